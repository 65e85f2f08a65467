package org.neuroinfer.learn;

import org.neuroinfer.random.RandomStreams;

/**
 * A seeded partition of n recordings into training, validation and test indices (the benchmark used about
 * 81 / 9 / 10 %). The same seed and n always give the same split.
 *
 * @param train      training indices, ascending
 * @param validation validation indices, ascending
 * @param test       test indices, ascending
 */
public record Splits(int[] train, int[] validation, int[] test) {
    /** Purpose of the split's random stream. */
    private static final long SPLIT = 8;

    /** Splits n recordings with fractions {@code validation} and {@code test} (the rest trains). */
    public static Splits of(int n, double validation, double test, long seed) {
        if (n < 3 || !(validation > 0) || !(test > 0) || validation + test >= 1) {
            throw new IllegalArgumentException("a split needs n >= 3 and validation, test fractions > 0 with a sum "
                    + "below 1; got n = " + n + ", " + validation + ", " + test);
        }
        int[] perm = RandomStreams.permutation(n, RandomStreams.stream(seed, 0, SPLIT));
        int nt = Math.max(1, (int) Math.round(test * n));
        int nv = Math.max(1, (int) Math.round(validation * n));
        int[] te = java.util.Arrays.copyOfRange(perm, 0, nt);
        int[] va = java.util.Arrays.copyOfRange(perm, nt, nt + nv);
        int[] tr = java.util.Arrays.copyOfRange(perm, nt + nv, n);
        java.util.Arrays.sort(te);
        java.util.Arrays.sort(va);
        java.util.Arrays.sort(tr);
        return new Splits(tr, va, te);
    }

    /** The benchmark's proportions: 9 % validation, 10 % test. */
    public static Splits benchmark(int n, long seed) {
        return of(n, 0.09, 0.10, seed);
    }
}
