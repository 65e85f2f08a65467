package org.neuroinfer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.random.RandomStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Measures a trained model's inference latency (batch of one) and throughput (large batches). */
@Command(name = "bench-infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure inference time of a trained model on the CPU: median latency per recording with a "
                + "batch of one (raw recording in, parameters out, decimation and normalisation included) and "
                + "recordings per second in batches of 256. Inputs are random recordings of the model's shape."})
final class BenchInferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Model folder made by train.")
    Path modelDir;

    @Option(names = "--calls", defaultValue = "300", description = "Timed single-recording calls (default "
            + "${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--peer", description = "Also run the same model in numpy (infer_numpy_peer.py, an independent "
            + "implementation of every network reading model.json and weights.npz), compare the predictions and "
            + "print the ratio; exits 5 when a prediction differs by more than --tolerance.")
    boolean peer;

    @Option(names = "--tolerance", defaultValue = "1e-3", description = "Largest difference between neuroinfer's "
            + "and the peer's predictions, as a fraction of the parameter's training sd (default ${DEFAULT-VALUE}).")
    double tolerance;


    @Option(names = "--python", defaultValue = "python3", description = "Python with numpy (and scipy) for the peer.")
    String python;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    /** The peer script on the class path. */
    static final String PEER = "/org/neuroinfer/cli/peer/infer_numpy_peer.py";

    @Override
    public Integer call() throws java.io.IOException, InterruptedException {
        if (calls < 10) {
            throw new IllegalArgumentException("--calls must be >= 10, got " + calls);
        }
        Main.tolerance(tolerance);
        TorchRuntime.threads(threads.forEngine());
        PrintWriter o = spec.commandLine().getOut();
        try (InverseModel m = InverseModel.load(modelDir, TorchRuntime.device("cpu"))) {
            ModelCard.InputSpec in = m.card().input();
            float[][][] one = random(1, in);
            for (int i = 0; i < 50; i++) {
                m.predict(one);
            }
            double[] ms = new double[calls];
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                m.predict(one);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            float[][][] batch = random(256, in);
            m.predict(batch);
            long t0 = System.nanoTime();
            int reps = 4;
            for (int r = 0; r < reps; r++) {
                m.predict(batch);
            }
            double perSec = reps * 256 / ((System.nanoTime() - t0) / 1e9);
            o.printf(Locale.ROOT, "%s, input %d x %d (decimated by %d), %d thread(s)%n",
                    m.card().network().describe(), in.channels(), in.rawTimes(), in.decimate(), threads.get());
            o.printf(Locale.ROOT, "batch of 1: median %.2f ms per recording (p10 %.2f, p90 %.2f; %d calls)%n",
                    ms[calls / 2], ms[calls / 10], ms[calls * 9 / 10], calls);
            o.printf(Locale.ROOT, "batches of 256: %.0f recordings/s (%.3f ms per recording)%n", perSec,
                    1000 / perSec);
            boolean agree = !peer || comparePeer(o, m, batch, ms[calls / 2], perSec);
            o.flush();
            return agree ? 0 : Main.DISAGREES;
        }
    }

    /** Runs the peer, prints the comparison; whether every prediction agrees within the tolerance. */
    private boolean comparePeer(PrintWriter o, InverseModel m, float[][][] batch, double ms, double perSec)
            throws java.io.IOException, InterruptedException {
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("bench-infer");
        try {
            int n = batch.length;
            org.neuroinfer.io.Npy.save(tmp.resolve("x.npy"), org.neuroinfer.io.NpyArray.of(batch), true);
            com.fasterxml.jackson.databind.JsonNode j = org.neuroinfer.cli.bench.PeerScript.run(python, PEER,
                    modelDir.toAbsolutePath().toString(), tmp.resolve("x.npy").toString(),
                    tmp.resolve("y.npy").toString(), "--calls", "30");
            org.neuroinfer.io.NpyArray y = org.neuroinfer.io.Npy.load(tmp.resolve("y.npy"));
            double[][] mine = m.predict(batch);
            double worst = 0;
            int worstRow = 0;
            int worstParam = 0;
            ModelCard.TargetSpec ts = m.card().targets();
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < mine[i].length; p++) {
                    double d = Math.abs(mine[i][p] - y.row(i)[p]) / ts.sd()[p];
                    if (!(d <= worst)) {
                        worst = d;
                        worstRow = i;
                        worstParam = p;
                    }
                }
            }
            double peerMs = j.get("median_ms").asDouble();
            double peerRate = j.get("per_second").asDouble();
            o.printf(Locale.ROOT, "numpy %s peer (its BLAS threads): batch of 1 %.2f ms, batches of %d %.0f "
                    + "recordings/s%n", j.get("numpy").asText(), peerMs, n, peerRate);
            o.printf(Locale.ROOT, "speed ratio neuroinfer/numpy: %.2f at batch 1, %.2f in batches; predictions "
                    + "agree to %.1e of a parameter's training sd%n", peerMs / ms, perSec / peerRate, worst);
            if (!(worst <= tolerance)) {
                spec.commandLine().getErr().printf(Locale.ROOT, "bench-infer: the numpy peer disagrees: %s of "
                        + "recording %d differs by %.3g of its training sd (%.6g against %.6g), more than "
                        + "--tolerance %.3g%n", ts.names().get(worstParam), worstRow, worst,
                        mine[worstRow][worstParam], y.row(worstRow)[worstParam], tolerance);
                return false;
            }
            return true;
        } finally {
            try (var s = java.nio.file.Files.list(tmp)) {
                for (java.nio.file.Path f : s.toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(tmp);
        }
    }

    private static float[][][] random(int n, ModelCard.InputSpec in) {
        UniformRandomProvider rng = RandomStreams.stream(1, 0);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        float[][][] x = new float[n][in.channels()][in.rawTimes()];
        for (float[][] r : x) {
            for (float[] c : r) {
                for (int k = 0; k < c.length; k++) {
                    c[k] = (float) (1e-6 * g.sample());
                }
            }
        }
        return x;
    }
}
