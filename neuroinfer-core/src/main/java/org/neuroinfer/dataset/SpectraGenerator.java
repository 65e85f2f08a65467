package org.neuroinfer.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.io.HdfFiles;
import org.neuroinfer.io.Part;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.model.sgm.LaplacianModes;
import org.neuroinfer.model.sgm.SgmConnectome;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.model.sgm.SgmVariant;
import org.neuroinfer.model.sgm.SpectralGraphModel;
import org.neuroinfer.random.RandomStreams;

/**
 * Generates a data set of simulated SGM spectra ({@link SpectraConfig}) into HDF5 shards and a manifest, in the
 * layout of the EEG data sets (X [n][regions][frequencies] float32, y [n][7] float64), so the same readers,
 * training and evaluation apply. Spectrum i of stratum j is global spectrum g = j × spectra_per_speed + i; its
 * parameters come from stream (seed, g), the stratum's speed from stream (seed, j), the noise of condition k from
 * stream (seed, k × spectra_per_condition + g): the content depends on nothing but the configuration, not on the
 * thread count. A killed run resumes: shards whose checksum holds are kept, and the result is byte-identical to an
 * uninterrupted run.
 */
public final class SpectraGenerator {
    private final SpectraConfig config;
    private final int threads;
    private final Connectome connectome;
    private final SpectralGraphModel model;
    // with a fixed speed every stratum shares one set of modes
    private final LaplacianModes fixedModes;

    public SpectraGenerator(SpectraConfig config, int threads) throws IOException {
        this.config = config.withDefaults();
        this.config.validate();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.connectome = SgmConnectome.read(Path.of(this.config.connectome()));
        this.model = new SpectralGraphModel(connectome, this.config.frequencies(), SgmVariant.of(this.config
                .variant()));
        this.fixedModes = this.config.drawn("speed") ? null : model.modes(speed(0), threads);
    }

    /** Spectra in all conditions. */
    public long total() {
        return (long) config.noiseDb().size() * config.spectraPerCondition();
    }

    /** The shards of the plan: for each block of strata, one shard per noise condition. */
    public List<Manifest.Shard> plan() {
        List<Manifest.Shard> p = new ArrayList<>();
        int per = config.spectraPerSpeed();
        for (int b = 0, m = 0; b < config.speeds(); b += config.speedsPerShard(), m++) {
            int strata = Math.min(config.speedsPerShard(), config.speeds() - b);
            for (int k = 0; k < config.noiseDb().size(); k++) {
                p.add(new Manifest.Shard(String.format(Locale.ROOT, "shards/c%02d_s%04d.h5", k, m), k,
                        config.noiseDb().get(k), null, b * per, strata * per, null));
            }
        }
        return p;
    }

    /**
     * The parameters of spectrum {@code g} (in the order of {@link SgmParameters#NAMES}): the stratum's speed, the
     * others uniform over their ranges or fixed.
     */
    public double[] parameters(long g) {
        int j = (int) (g / config.spectraPerSpeed());
        UniformRandomProvider rng = RandomStreams.stream(config.seed(), g, RandomStreams.SGM_PARAMS);
        double[] v = new double[SgmParameters.NAMES.size()];
        for (int i = 0; i < v.length; i++) {
            String name = SgmParameters.NAMES.get(i);
            List<Double> range = config.parameters().get(name);
            if (name.equals("speed")) {
                v[i] = speed(j);
            } else {
                double u = rng.nextDouble();
                v[i] = range.size() == 1 ? range.get(0) : range.get(0) + u * (range.get(1) - range.get(0));
            }
        }
        return v;
    }

    /** The speed of stratum {@code j}: uniform within the j-th of {@code speeds} equal slices of its range. */
    double speed(int j) {
        List<Double> range = config.parameters().get("speed");
        if (range.size() == 1) {
            return range.get(0);
        }
        double u = RandomStreams.stream(config.seed(), j, RandomStreams.SGM_SPEED).nextDouble();
        return range.get(0) + (j + u) / config.speeds() * (range.get(1) - range.get(0));
    }

    /**
     * Generates into {@code dir}, resuming a run of the same configuration.
     *
     * @param force     start over when {@code dir} holds a data set of another configuration
     * @param progress  called with the number of spectra finished (all conditions; including kept shards)
     * @param stopAfter stop after making this many blocks of strata (a simulated kill, for tests); negative: none
     * @return the number of shards made
     */
    public int generate(Path dir, boolean force, IntConsumer progress, int stopAfter) throws IOException {
        return generate(dir, force, progress, stopAfter, null);
    }

    /**
     * As {@link #generate(Path, boolean, IntConsumer, int)}, making only the blocks of strata of {@code part} (null:
     * all, accepting those that parts made and writing the manifest).
     */
    public int generate(Path dir, boolean force, IntConsumer progress, int stopAfter, Part part) throws IOException {
        return generate(dir, force, progress, stopAfter, part, false);
    }

    /**
     * As {@link #generate(Path, boolean, IntConsumer, int, Part)}; with {@code checked}, the shards already there
     * were read back against their checksum files, or checksummed as written, by the parts of a cluster job in this
     * run, so their recorded checksums are taken without reading them again.
     */
    public int generate(Path dir, boolean force, IntConsumer progress, int stopAfter, Part part, boolean checked)
            throws IOException {
        String hash = config.hash();
        Map<String, Manifest.Shard> done = Manifest.resume(dir, hash, Manifest.tree(config), force, part != null);
        List<Manifest.Shard> plan = plan();
        int conditions = config.noiseDb().size();
        List<Manifest.Shard> finished = new ArrayList<>();
        int made = 0;
        int blocks = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sgm-generate");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int s = 0; s < plan.size(); s += conditions) {
                if (part != null && !part.owns(s / conditions)) {
                    continue;
                }
                List<Manifest.Shard> block = plan.subList(s, s + conditions);
                boolean kept = true;
                List<Manifest.Shard> sealed = new ArrayList<>();
                for (Manifest.Shard planned : block) {
                    Manifest.Shard prior = done.get(planned.file());
                    Path file = dir.resolve(planned.file());
                    kept &= prior != null && Part.holds(file, prior.sha256(), checked);
                    String sum = Part.sealed(file, hash, checked);
                    if (sum != null) { // made by a part
                        sealed.add(planned.withSha256(sum));
                    }
                }
                if (kept || sealed.size() == block.size()) {
                    finished.addAll(kept ? block.stream().map(p -> done.get(p.file())).toList() : sealed);
                    progress.accept(block.get(0).count() * conditions);
                    continue;
                }
                if (stopAfter >= 0 && blocks >= stopAfter) {
                    return made;
                }
                Block b = simulate(block.get(0), pool);
                for (Manifest.Shard planned : block) {
                    Path file = dir.resolve(planned.file());
                    writeShard(file, b, planned, hash);
                    if (part != null) {
                        Part.seal(file, hash);
                    } else {
                        finished.add(planned.withSha256(Checksums.sha256(file)));
                    }
                    made++;
                }
                if (part == null) {
                    manifest(hash, finished, plan.size()).write(dir);
                }
                blocks++;
                progress.accept(block.get(0).count() * conditions);
            }
        } finally {
            pool.shutdownNow();
        }
        if (part == null) {
            manifest(hash, finished, plan.size()).write(dir);
            Part.unseal(dir.resolve("shards"));
        }
        return made;
    }

    /**
     * Writes into {@code dir} the manifest of the complete data set whose planned shards, kept elsewhere (a folder on
     * a cluster's file system), have the checksums {@code sha256} in plan order: the manifest a run on one machine
     * ends with.
     */
    public void gather(Path dir, List<String> sha256) throws IOException {
        manifest(config.hash(), Manifest.Shard.withSha256(plan(), sha256), plan().size()).write(dir);
    }

    /** Clean spectra of one block of strata, [n][regions][frequencies], and their parameters. */
    private record Block(double[][][] spectra, double[][] params, long first) {
    }

    private Block simulate(Manifest.Shard shard, ExecutorService pool) throws IOException {
        int per = config.spectraPerSpeed();
        int n = shard.count();
        double[][][] x = new double[n][][];
        double[][] y = new double[n][];
        List<Future<?>> jobs = new ArrayList<>();
        for (int s0 = 0; s0 < n; s0 += per) {
            int start = s0;
            jobs.add(pool.submit(() -> {
                long g0 = (long) shard.first() + start;
                LaplacianModes modes = fixedModes != null ? fixedModes : model.modes(speed((int) (g0 / per)));
                for (int i = start; i < start + per; i++) {
                    y[i] = parameters(shard.first() + (long) i);
                    x[i] = clean(y[i], modes);
                }
            }));
        }
        for (Future<?> f : jobs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(e.getCause());
            }
        }
        return new Block(x, y, shard.first());
    }

    /**
     * The clean spectrum of {@code params} (in the order of {@link SgmParameters#NAMES}): the magnitude
     * [regions][frequencies], smoothed when the configuration says so, as a data set's spectra before noise.
     */
    public double[][] clean(double[] params) {
        return clean(params, fixedModes != null ? fixedModes : model.modes(params[SgmParameters.NAMES
                .indexOf("speed")]));
    }

    private double[][] clean(double[] params, LaplacianModes modes) {
        double[][] mag = model.magnitude(SgmParameters.of(params), modes);
        return config.smooth() ? SpectralGraphModel.smooth(mag) : mag;
    }

    /**
     * The spectrum {@code magnitude} as the configuration records it, into {@code out}: in dB with Gaussian noise of
     * sd {@code sigma} dB added to each value, or as magnitude multiplied by 10^(noise / 20).
     *
     * @param normal the noise's draws; may be null when {@code sigma} is 0
     * @return whether every value is finite
     */
    public boolean observe(double[][] magnitude, double sigma, ZigguratSampler.NormalizedGaussian normal,
                           float[][] out) {
        boolean db = config.output().equals("db");
        boolean finite = true;
        for (int r = 0; r < magnitude.length; r++) {
            for (int f = 0; f < magnitude[r].length; f++) {
                double mag = magnitude[r][f];
                double noise = sigma > 0 ? sigma * normal.sample() : 0;
                // noise in dB: added to 20 log10 |x|, or |x| multiplied by 10^(noise / 20)
                double v = db ? 20 * Math.log10(mag) + noise : sigma > 0 ? mag * Math.pow(10, noise / 20) : mag;
                finite &= Double.isFinite(v);
                out[r][f] = (float) v;
            }
        }
        return finite;
    }

    /** The configuration, defaults filled in. */
    public SpectraConfig config() {
        return config;
    }

    /** Regions of each spectrum. */
    public int regions() {
        return model.regions();
    }

    private void writeShard(Path file, Block b, Manifest.Shard planned, String hash) throws IOException {
        int n = b.spectra().length;
        int regions = model.regions();
        int freqs = config.freqCount();
        double sigma = planned.noiseFactor();
        boolean db = config.output().equals("db");
        float[][][] x = new float[n][regions][freqs];
        byte[] valid = new byte[n];
        long[] index = new long[n];
        double[] snr = new double[n];
        for (int i = 0; i < n; i++) {
            ZigguratSampler.NormalizedGaussian normal = null;
            long g = b.first() + i;
            index[i] = g;
            snr[i] = Double.NaN;
            if (sigma > 0) {
                normal = ZigguratSampler.NormalizedGaussian.of(RandomStreams.stream(config.seed(),
                        (long) planned.condition() * config.spectraPerCondition() + g, RandomStreams.SGM_NOISE));
            }
            boolean finite = observe(b.spectra()[i], sigma, normal, x[i]);
            valid[i] = (byte) (finite ? 1 : 0);
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        HdfFiles.write(tmp, h -> {
            var xd = h.putDataset("X", x);
            xd.putAttribute("unit", db ? "dB" : "1");
            xd.putAttribute("axes", new String[] {"spectrum", "region", "frequency"});
            h.putDataset("y", b.params());
            h.putDataset("snr_db", snr);
            h.putDataset("noise_factor", filled(n, sigma));
            h.putDataset("valid", valid);
            h.putDataset("index", index);
            h.putDataset("times", config.frequencies());
            h.putDataset("freqs_hz", config.frequencies());
            h.putDataset("channel_names", connectome.names().toArray(String[]::new));
            h.putDataset("param_names", SgmParameters.NAMES.toArray(String[]::new));
            h.putDataset("param_units", SgmParameters.UNITS.toArray(String[]::new));
            h.putAttribute("noise_db", sigma);
            h.putAttribute("condition", (long) planned.condition());
            h.putAttribute("first", (long) planned.first());
            h.putAttribute("seed", config.seed());
            h.putAttribute("variant", config.variant());
            h.putAttribute("config_sha256", hash);
        });
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private Manifest manifest(String hash, List<Manifest.Shard> finished, int planned) {
        return new Manifest("neuroinfer-dataset", 1, hash, Manifest.tree(config), SgmParameters.NAMES,
                SgmParameters.UNITS, connectome.names(), List.of("count", Integer.toString(model.regions()),
                Integer.toString(config.freqCount())), List.copyOf(finished), finished.size() == planned);
    }
}
