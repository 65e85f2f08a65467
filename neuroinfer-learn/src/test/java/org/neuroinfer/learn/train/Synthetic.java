package org.neuroinfer.learn.train;

import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.random.RandomStreams;

/** A small learnable problem: 3 channels of a sinusoid whose amplitude and frequency are the parameters. */
final class Synthetic {
    static final int C = 3;
    static final int T = 32;

    private Synthetic() {
    }

    static RecordingSet set(int n, long seed) {
        UniformRandomProvider rng = RandomStreams.stream(seed, 0);
        float[] x = new float[n * C * T];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            double amp = 1e-6 * (1 + rng.nextDouble());
            double freq = 1 + 3 * rng.nextDouble();
            y[i] = new double[]{amp, freq, rng.nextDouble()};
            for (int c = 0; c < C; c++) {
                for (int t = 0; t < T; t++) {
                    x[(i * C + c) * T + t] = (float) (amp * (c + 1) * Math.sin(2 * Math.PI * freq * t / T + c)
                            + 1e-8 * (rng.nextDouble() - 0.5));
                }
            }
        }
        return new RecordingSet(x, y, new int[n], new double[]{0.0}, C, T, T, List.of("amp", "freq", "junk"),
                List.of("V", "Hz", "1"), "synthetic-" + seed, 0);
    }
}
