package org.neuroinfer.observe;

/**
 * Minimum and maximum of a signal and where they occur (first occurrence).
 *
 * @param argMin index of the minimum
 * @param argMax index of the maximum
 * @param min    the minimum
 * @param max    the maximum
 */
public record Extremes(int argMin, int argMax, double min, double max) {

    /** The extremes of {@code x} (at least one value). */
    public static Extremes of(double[] x) {
        if (x.length == 0) {
            throw new IllegalArgumentException("extremes of an empty signal");
        }
        int lo = 0;
        int hi = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] < x[lo]) {
                lo = i;
            }
            if (x[i] > x[hi]) {
                hi = i;
            }
        }
        return new Extremes(lo, hi, x[lo], x[hi]);
    }

    /** Peak-to-peak range, max - min. */
    public double ptp() {
        return max - min;
    }
}
