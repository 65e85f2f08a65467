package org.neuroinfer.sensitivity;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scalar features of an ERP for global sensitivity: the largest and smallest value and their latencies, the RMS,
 * the peak-to-peak range, and the power in the classical bands (one-sided periodogram of the whole epoch, V^2):
 * delta 1-4, theta 4-8, alpha 8-13, beta 13-30, gamma 30-45 Hz. A flat ERP has undefined latencies, reported as
 * NaN.
 */
public final class ErpFeatures {
    /** Feature names, in the order of {@link #of}. */
    public static final List<String> NAMES = List.of("max", "min", "latency_max_s", "latency_min_s", "rms", "ptp",
            "power_delta", "power_theta", "power_alpha", "power_beta", "power_gamma");
    private static final double[][] BANDS = {{1, 4}, {4, 8}, {8, 13}, {13, 30}, {30, 45}};
    /** DFT tables per (length, sampling interval): rows of cos and sin for the bins in 1 .. 45 Hz. */
    private static final Map<String, double[][][]> TABLES = new ConcurrentHashMap<>();

    private ErpFeatures() {
    }

    /** The features of {@code erp} sampled at {@code time} (uniformly spaced). */
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
        double[] f = new double[NAMES.size()];
        f[0] = erp[hi];
        f[1] = erp[lo];
        f[2] = flat ? Double.NaN : time[hi];
        f[3] = flat ? Double.NaN : time[lo];
        f[4] = Math.sqrt(ss / erp.length);
        f[5] = erp[hi] - erp[lo];
        double dt = time[1] - time[0];
        int n = erp.length;
        double df = 1 / (n * dt);
        double[][][] tab = TABLES.computeIfAbsent(n + "@" + dt, key -> table(n, dt));
        int k0 = (int) Math.ceil(BANDS[0][0] / df);
        for (int b = 0; b < tab.length; b++) {
            double re = 0;
            double im = 0;
            double[] c = tab[b][0];
            double[] s = tab[b][1];
            for (int t = 0; t < n; t++) {
                re += erp[t] * c[t];
                im += erp[t] * s[t];
            }
            double p = 2 * (re * re + im * im) / ((double) n * n);
            double freq = (k0 + b) * df;
            for (int band = 0; band < BANDS.length; band++) {
                if (freq >= BANDS[band][0] && freq < BANDS[band][1]) {
                    f[6 + band] += p;
                }
            }
        }
        return f;
    }

    private static double[][][] table(int n, double dt) {
        double df = 1 / (n * dt);
        int k0 = (int) Math.ceil(BANDS[0][0] / df);
        int k1 = (int) Math.ceil(BANDS[BANDS.length - 1][1] / df);
        double[][][] tab = new double[k1 - k0][2][n];
        for (int k = k0; k < k1; k++) {
            for (int t = 0; t < n; t++) {
                double w = 2 * Math.PI * k * t / n;
                tab[k - k0][0][t] = Math.cos(w);
                tab[k - k0][1][t] = Math.sin(w);
            }
        }
        return tab;
    }
}
