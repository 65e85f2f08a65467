package org.neuroinfer.model.sgm;

/**
 * numpy's pairwise summation (blocks of 128 with eight accumulators, halving above), so that a threshold the
 * reference computed with {@code numpy.mean} is reproduced to the last bit.
 */
final class PairwiseSum {
    private static final int BLOCK = 128;
    private static final int LANES = 8;

    private PairwiseSum() {
    }

    /** The sum of {@code a[from, from + n)} in numpy's order. */
    static double of(double[] a, int from, int n) {
        if (n < LANES) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        if (n <= BLOCK) {
            double[] r = new double[LANES];
            System.arraycopy(a, from, r, 0, LANES);
            int i = LANES;
            for (; i < n - n % LANES; i += LANES) {
                for (int j = 0; j < LANES; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        int half = n / 2;
        half -= half % LANES;
        return of(a, from, half) + of(a, from + half, n - half);
    }
}
