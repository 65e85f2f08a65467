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

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws java.io.IOException {
        if (calls < 10) {
            throw new IllegalArgumentException("--calls must be >= 10, got " + calls);
        }
        TorchRuntime.threads(threads.get());
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
            o.flush();
        }
        return 0;
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
