package org.neuroinfer.numeric;

import java.util.Arrays;

/** Order statistics of a sample given in any order. */
public final class OrderStatistics {
    private OrderStatistics() {
    }

    /** The median of {@code v} (the mean of the two middle values for an even count), NaN when it is empty. */
    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
