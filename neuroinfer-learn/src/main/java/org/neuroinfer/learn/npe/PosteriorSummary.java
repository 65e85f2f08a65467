package org.neuroinfer.learn.npe;

import java.util.Arrays;

/**
 * Per-parameter summaries of posterior draws: mean, standard deviation, median, the equal-tailed credible interval
 * of a given probability, and the MAP estimate taken as the draw of highest posterior density.
 *
 * @param mean   posterior means
 * @param sd     posterior standard deviations
 * @param median posterior medians
 * @param low    lower ends of the credible intervals
 * @param high   upper ends
 * @param map    the draw of highest log density
 */
public record PosteriorSummary(double[] mean, double[] sd, double[] median, double[] low, double[] high,
                               double[] map) {

    /** Summarises {@code draws} [n][D] with log densities {@code logProb} and interval probability {@code level}. */
    public static PosteriorSummary of(double[][] draws, double[] logProb, double level) {
        int n = draws.length;
        int d = draws[0].length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        double[] median = new double[d];
        double[] low = new double[d];
        double[] high = new double[d];
        for (int j = 0; j < d; j++) {
            final int col = j;
            double[] v = Arrays.stream(draws).mapToDouble(r -> r[col]).sorted().toArray();
            double m = Arrays.stream(v).sum() / n;
            double q = 0;
            for (double x : v) {
                q += (x - m) * (x - m);
            }
            mean[j] = m;
            sd[j] = Math.sqrt(q / Math.max(1, n - 1));
            median[j] = quantile(v, 0.5);
            low[j] = quantile(v, (1 - level) / 2);
            high[j] = quantile(v, 1 - (1 - level) / 2);
        }
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logProb[i] > logProb[best]) {
                best = i;
            }
        }
        return new PosteriorSummary(mean, sd, median, low, high, draws[best].clone());
    }

    /** Linear-interpolation quantile of sorted values. */
    static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
