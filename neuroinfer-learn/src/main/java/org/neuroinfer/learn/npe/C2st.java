package org.neuroinfer.learn.npe;

import org.neuroinfer.random.RandomStreams;

/**
 * The classifier two-sample test (Lopez-Paz &amp; Oquab 2017), as sbi uses to compare an estimated posterior with
 * reference samples: the cross-validated accuracy of a classifier telling the two samples apart, 0.5 when they
 * come from the same distribution. The classifier here is k-nearest-neighbours (k = 15) on features z-scored with
 * the pooled mean and standard deviation; sbi's default is a small MLP, which is more sensitive in high
 * dimensions.
 */
public final class C2st {
    private static final int K = 15;

    private C2st() {
    }

    /** Cross-validated ({@code folds} folds, shuffled with {@code seed}) accuracy of telling {@code a} from {@code b}. */
    public static double accuracy(double[][] a, double[][] b, int folds, long seed) {
        int n = a.length + b.length;
        int d = a[0].length;
        double[][] x = new double[n][];
        boolean[] label = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i < a.length ? a[i] : b[i - a.length]).clone();
            label[i] = i >= a.length;
        }
        for (int j = 0; j < d; j++) {
            double m = 0;
            for (double[] r : x) {
                m += r[j] / n;
            }
            double v = 0;
            for (double[] r : x) {
                v += (r[j] - m) * (r[j] - m) / n;
            }
            double s = v > 0 ? Math.sqrt(v) : 1;
            for (double[] r : x) {
                r[j] = (r[j] - m) / s;
            }
        }
        int[] order = RandomStreams.permutation(n, RandomStreams.stream(seed, 0, RandomStreams.SHUFFLE));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % folds;
        }
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int f = fold[i];
            double[] best = new double[K];
            boolean[] bestLabel = new boolean[K];
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int t = 0; t < n; t++) {
                if (fold[t] == f) {
                    continue;
                }
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double e = x[i][j] - x[t][j];
                    s += e * e;
                }
                if (s < best[K - 1]) {
                    int p = K - 1;
                    while (p > 0 && best[p - 1] > s) {
                        best[p] = best[p - 1];
                        bestLabel[p] = bestLabel[p - 1];
                        p--;
                    }
                    best[p] = s;
                    bestLabel[p] = label[t];
                }
            }
            int votes = 0;
            for (boolean l : bestLabel) {
                votes += l ? 1 : 0;
            }
            if ((2 * votes > K) == label[i]) {
                correct++;
            }
        }
        return correct / (double) n;
    }
}
