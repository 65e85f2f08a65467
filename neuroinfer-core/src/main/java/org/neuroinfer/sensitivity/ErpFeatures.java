package org.neuroinfer.sensitivity;

import java.util.List;

/**
 * Scalar features of an ERP for global sensitivity: the largest and smallest value and their latencies, the RMS
 * and the peak-to-peak range. A flat ERP has undefined latencies, reported as NaN.
 */
public final class ErpFeatures {
    /** Feature names, in the order of {@link #of}. */
    public static final List<String> NAMES = List.of("max", "min", "latency_max_s", "latency_min_s", "rms", "ptp");

    private ErpFeatures() {
    }

    /** The features of {@code erp} sampled at {@code time}. */
    public static double[] of(double[] erp, double[] time) {
        int lo = 0;
        int hi = 0;
        double ss = 0;
        for (int t = 0; t < erp.length; t++) {
            if (erp[t] < erp[lo]) {
                lo = t;
            }
            if (erp[t] > erp[hi]) {
                hi = t;
            }
            ss += erp[t] * erp[t];
        }
        boolean flat = erp[hi] == erp[lo];
        return new double[] {erp[hi], erp[lo], flat ? Double.NaN : time[hi], flat ? Double.NaN : time[lo],
            Math.sqrt(ss / erp.length), erp[hi] - erp[lo]};
    }
}
