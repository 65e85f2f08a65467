package org.neuroinfer.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.neuroinfer.model.sgm.LaplacianModes;
import org.neuroinfer.model.sgm.SgmConnectome;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.model.sgm.SgmVariant;
import org.neuroinfer.model.sgm.SpectralGraphModel;

/**
 * SGM forward speed on one core: a whole sgm2020 spectrum (86 regions × 40 frequencies, 40 eigen-decompositions) at
 * speeds never seen before, a spectrum whose speed's decompositions are already computed (how data sets are made),
 * and the same single spectrum in numpy ({@code sgm_numpy_peer.py}, one BLAS thread), whose dB sum at spectrome's
 * defaults must agree.
 */
public final class SgmBench {
    /** The peer script on the class path. */
    public static final String PEER = "/org/neuroinfer/cli/peer/sgm_numpy_peer.py";

    /**
     * Java's figures.
     *
     * @param spectrumSeconds median seconds per spectrum at a new speed
     * @param bestSeconds     best of those
     * @param reusedSeconds   median seconds per spectrum with the speed's modes computed before
     * @param checksumDb      sum of the dB spectrum at spectrome's defaults
     */
    public record Java(double spectrumSeconds, double bestSeconds, double reusedSeconds, double checksumDb) {
    }

    /**
     * The peer's figures.
     *
     * @param spectrumSeconds median seconds per spectrum
     * @param bestSeconds     best of those
     * @param checksumDb      sum of the dB spectrum at spectrome's defaults
     * @param numpy           numpy's version
     */
    public record Peer(double spectrumSeconds, double bestSeconds, double checksumDb, String numpy) {
    }

    private SgmBench() {
    }

    /** Times {@code repeats} spectra at distinct speeds on the calling thread, after a warm-up. */
    public static Java java(Path raw, int repeats) throws IOException {
        SpectralGraphModel m = new SpectralGraphModel(SgmConnectome.read(raw), SpectralGraphModel.standardFrequencies(),
                SgmVariant.SGM2020);
        double checksum = Arrays.stream(SpectralGraphModel.decibels(m.magnitude(SgmParameters.DEFAULTS)))
                .flatMapToDouble(Arrays::stream).sum();
        for (int k = 0; k < 16; k++) {
            // warm-up over the timed range (other speeds): the JIT compiles every path the timed spectra take,
            // the eigensolver's repairs and reverse-order retries included
            m.magnitude(SgmParameters.DEFAULTS.with("speed", 5.0 + 15.0 * k / 15 + 0.37));
        }
        double[] t = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            SgmParameters p = SgmParameters.DEFAULTS.with("speed", 5.0 + 15.0 * (k + 1) / (repeats + 1) + 1e-3);
            long t0 = System.nanoTime();
            m.magnitude(p);
            t[k] = (System.nanoTime() - t0) / 1e9;
        }
        LaplacianModes modes = m.modes(7.5);
        int reuse = 200;
        double[] r = new double[reuse];
        for (int k = 0; k < reuse; k++) {
            SgmParameters p = SgmParameters.DEFAULTS.with("speed", 7.5).with("alpha", 0.1 + 0.9 * k / reuse);
            long t0 = System.nanoTime();
            m.magnitude(p, modes);
            r[k] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        Arrays.sort(r);
        return new Java(t[repeats / 2], t[0], r[reuse / 2], checksum);
    }

    /**
     * Data-set throughput: {@code strata} speed strata of 100 spectra generated on {@code threads} threads into a
     * temporary folder (as {@code sgm generate} does), in spectra per second.
     */
    public static double generation(Path raw, int strata, int threads) throws IOException {
        Path dir = java.nio.file.Files.createTempDirectory("sgm-bench");
        try {
            org.neuroinfer.dataset.SpectraConfig c = new org.neuroinfer.dataset.SpectraConfig("sgm", null,
                    raw.toString(), null, null, null, null, null, null, strata, 100, null, strata, 3L).withDefaults();
            org.neuroinfer.dataset.SpectraGenerator g = new org.neuroinfer.dataset.SpectraGenerator(c, threads);
            long t0 = System.nanoTime();
            g.generate(dir.resolve("data"), false, k -> { }, -1);
            return g.total() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            org.neuroinfer.io.AtomicFiles.deleteTree(dir);
        }
    }

    /** Runs the numpy peer with one BLAS thread. */
    public static Peer peer(String python, Path raw, int repeats) throws IOException, InterruptedException {
        Map<String, String> oneThread = Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1",
                "MKL_NUM_THREADS", "1");
        JsonNode j = PeerScript.run(python, PEER, oneThread, raw.toString(), "--repeats", Integer.toString(repeats));
        return new Peer(j.get("median_s").asDouble(), j.get("best_s").asDouble(), j.get("checksum_db").asDouble(),
                j.get("numpy").asText());
    }
}
