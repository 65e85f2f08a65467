package org.neuroinfer.learn;

import java.util.Arrays;
import org.neuroinfer.numeric.Correlation;
import org.neuroinfer.observe.Extremes;

/**
 * Agreement between true and predicted values of one parameter: Pearson and Spearman correlation, the
 * coefficient of determination R^2 = 1 - SS_res / SS_tot, RMSE, and NRMSE (RMSE over the range of the true
 * values). Undefined values (a constant input) are NaN, never a division by zero.
 *
 * @param pearson  Pearson r
 * @param spearman Spearman rank correlation (average ranks for ties)
 * @param r2       coefficient of determination
 * @param rmse     root mean squared error
 * @param nrmse    RMSE divided by (max - min) of the true values
 * @param n        number of pairs
 */
public record Metrics(double pearson, double spearman, double r2, double rmse, double nrmse, int n) {

    /** The metrics of predictions {@code pred} against the truth {@code truth}; non-finite pairs are refused. */
    public static Metrics of(double[] truth, double[] pred) {
        if (truth.length != pred.length || truth.length < 2) {
            throw new IllegalArgumentException("metrics need two arrays of equal length >= 2, got " + truth.length
                    + " and " + pred.length);
        }
        for (int i = 0; i < truth.length; i++) {
            if (!Double.isFinite(truth[i]) || !Double.isFinite(pred[i])) {
                throw new IllegalArgumentException("non-finite value at index " + i + " (truth " + truth[i]
                        + ", prediction " + pred[i] + ")");
            }
        }
        int n = truth.length;
        double mt = Arrays.stream(truth).average().orElseThrow();
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < n; i++) {
            ssRes += (truth[i] - pred[i]) * (truth[i] - pred[i]);
            ssTot += (truth[i] - mt) * (truth[i] - mt);
        }
        double rmse = Math.sqrt(ssRes / n);
        double range = Extremes.of(truth).ptp();
        return new Metrics(Correlation.pearson(truth, pred), Correlation.pearson(ranks(truth), ranks(pred)),
                ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot, rmse, range == 0 ? Double.NaN : rmse / range, n);
    }

    /** Ranks from 1, ties sharing their average rank. */
    static double[] ranks(double[] x) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (p, q) -> Double.compare(x[p], x[q]));
        double[] r = new double[x.length];
        for (int i = 0; i < idx.length;) {
            int j = i;
            while (j + 1 < idx.length && x[idx[j + 1]] == x[idx[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }
}
