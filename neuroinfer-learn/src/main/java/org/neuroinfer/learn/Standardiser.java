package org.neuroinfer.learn;

/**
 * Per-feature standardisation z = (x - mean) / sd, fitted on the training rows only (so nothing of the validation
 * or test split leaks into it) and stored with a model. A constant feature gets sd = 1, so it maps to 0 instead of
 * dividing by zero.
 *
 * @param mean per-feature mean of the training rows
 * @param sd   per-feature standard deviation (population) of the training rows, 1 where it is 0
 */
public record Standardiser(double[] mean, double[] sd) {

    public Standardiser {
        if (mean.length != sd.length) {
            throw new IllegalArgumentException(mean.length + " means for " + sd.length + " standard deviations");
        }
        for (int j = 0; j < sd.length; j++) {
            if (!Double.isFinite(mean[j]) || !(sd[j] > 0) || Double.isInfinite(sd[j])) {
                throw new IllegalArgumentException("feature " + j + ": mean " + mean[j] + " and sd " + sd[j]
                        + " must be finite with sd > 0");
            }
        }
        mean = mean.clone();
        sd = sd.clone();
    }

    /** Fits on {@code rows[i]} for i in {@code train}. */
    public static Standardiser fit(double[][] rows, int[] train) {
        if (train.length == 0) {
            throw new IllegalArgumentException("cannot fit a standardiser on an empty training split");
        }
        int p = rows[train[0]].length;
        double[] m = new double[p];
        double[] s = new double[p];
        for (int i : train) {
            for (int j = 0; j < p; j++) {
                if (!Double.isFinite(rows[i][j])) {
                    throw new IllegalArgumentException("non-finite value in row " + i + ", feature " + j);
                }
                m[j] += rows[i][j] / train.length;
            }
        }
        for (int i : train) {
            for (int j = 0; j < p; j++) {
                s[j] += (rows[i][j] - m[j]) * (rows[i][j] - m[j]) / train.length;
            }
        }
        for (int j = 0; j < p; j++) {
            s[j] = spread(Math.sqrt(s[j]), m[j]);
        }
        return new Standardiser(m, s);
    }

    /**
     * Fits one mean and standard deviation per channel of recordings stored row-major as [n][channels][times] in
     * {@code x}, over the rows {@code train} and all their samples (so a recording's amplitude stays informative).
     */
    public static Standardiser fitChannels(float[] x, int channels, int times, int[] train) {
        if (train.length == 0) {
            throw new IllegalArgumentException("cannot fit a standardiser on an empty training split");
        }
        double[] m = new double[channels];
        double[] s = new double[channels];
        double count = (double) train.length * times;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i : train) {
                int at = (i * channels + c) * times;
                for (int t = 0; t < times; t++) {
                    sum += x[at + t];
                }
            }
            m[c] = sum / count;
            double ss = 0;
            for (int i : train) {
                int at = (i * channels + c) * times;
                for (int t = 0; t < times; t++) {
                    double d = x[at + t] - m[c];
                    ss += d * d;
                }
            }
            s[c] = spread(Math.sqrt(ss / count), m[c]);
        }
        return new Standardiser(m, s);
    }

    /** {@code sd}, or 1 for a feature that is constant up to rounding (so it maps to 0, not to rounding noise). */
    private static double spread(double sd, double mean) {
        return sd > 1e-10 * Math.abs(mean) && sd > 0 ? sd : 1;
    }

    /** Standardises, in place, the recording [channels][times] starting at {@code at} of {@code x}. */
    public void transformChannels(float[] x, int at, int times) {
        for (int c = 0; c < mean.length; c++) {
            for (int t = 0; t < times; t++) {
                int k = at + c * times + t;
                x[k] = (float) ((x[k] - mean[c]) / sd[c]);
            }
        }
    }

    /** z-scores of one row. */
    public double[] transform(double[] x) {
        check(x);
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            z[j] = (x[j] - mean[j]) / sd[j];
        }
        return z;
    }

    /** The row whose z-scores are {@code z}. */
    public double[] inverse(double[] z) {
        check(z);
        double[] x = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            x[j] = z[j] * sd[j] + mean[j];
        }
        return x;
    }

    private void check(double[] x) {
        if (x.length != mean.length) {
            throw new IllegalArgumentException("row of " + x.length + " features, the standardiser has "
                    + mean.length);
        }
    }
}
