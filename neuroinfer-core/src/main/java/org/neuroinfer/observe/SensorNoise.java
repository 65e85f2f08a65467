package org.neuroinfer.observe;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Gaussian sensor noise given by the lower Cholesky factor L of its covariance (L L^T), diagonal for MNE's ad-hoc
 * noise. The noise factor scales the <em>variance</em>, as the benchmark's pipeline does (Tilwani &amp; O'Reilly,
 * arXiv 2406.05002: MNE {@code add_noise} with the covariance times the factor). A scaled copy keeps its factor's
 * square root beside the unscaled L and makes its own L only when asked for it (a correlated noise's draws); a
 * diagonal noise's standard deviations come from L's diagonal alone, so scaling the ad-hoc noise per recording
 * (an SNR condition) costs a channel's worth of work, not a copy of L. The values are those of L scaled entry by
 * entry.
 */
public final class SensorNoise {
    private final double[][] base;
    /** Square root of the factor {@code base} is scaled by; 1 for noise made from its factor. */
    private final double root;
    private final boolean diagonal;
    private volatile double[][] scaled;

    /** Noise of lower-triangular factor {@code cholesky}, [channels][channels], volts. */
    public SensorNoise(double[][] cholesky) {
        this(cholesky, 1, diagonal(cholesky));
    }

    private SensorNoise(double[][] base, double root, boolean diagonal) {
        this.base = base;
        this.root = root;
        this.diagonal = diagonal;
        this.scaled = root == 1 ? base : null;
    }

    private static boolean diagonal(double[][] l) {
        for (int i = 0; i < l.length; i++) {
            for (int j = 0; j < i; j++) {
                if (l[i][j] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The lower-triangular factor L, [channels][channels], volts. */
    public double[][] cholesky() {
        double[][] l = scaled;
        if (l == null) {
            l = new double[base.length][];
            for (int i = 0; i < l.length; i++) {
                double[] row = base[i];
                l[i] = new double[row.length];
                for (int j = 0; j < row.length; j++) {
                    l[i][j] = row[j] * root;
                }
            }
            scaled = l;
        }
        return l;
    }
    /** MNE's ad-hoc EEG noise standard deviation (make_ad_hoc_cov): 0.2 uV. */
    public static final double AD_HOC_EEG_SD = 0.2e-6;

    /** Independent noise with standard deviation {@code sd[c]} (V) on channel c. */
    public static SensorNoise diagonal(double[] sd) {
        double[][] l = new double[sd.length][sd.length];
        for (int i = 0; i < sd.length; i++) {
            if (!(sd[i] >= 0) || Double.isInfinite(sd[i])) {
                throw new IllegalArgumentException("noise standard deviation of channel " + i + " must be finite and"
                        + " >= 0, got " + sd[i]);
            }
            l[i][i] = sd[i];
        }
        return new SensorNoise(l);
    }

    /** MNE's ad-hoc diagonal EEG covariance on {@code channels} channels. */
    public static SensorNoise adHocEeg(int channels) {
        double[] s = new double[channels];
        Arrays.fill(s, AD_HOC_EEG_SD);
        return diagonal(s);
    }

    /**
     * Noise with a full covariance [channels x channels] (V^2), for instance MNE's noise covariance saved with
     * numpy. A covariance that is not square, symmetric or positive definite is refused, naming where.
     */
    public static SensorNoise fromCovariance(double[][] cov) {
        int n = cov.length;
        for (int i = 0; i < n; i++) {
            if (cov[i].length != n) {
                throw new IllegalArgumentException("noise covariance must be square: row " + i + " has "
                        + cov[i].length + " values for " + n + " rows");
            }
            for (int j = 0; j < i; j++) {
                if (Math.abs(cov[i][j] - cov[j][i]) > 1e-12 * Math.max(Math.abs(cov[i][i]), Math.abs(cov[j][j]))) {
                    throw new IllegalArgumentException("noise covariance is not symmetric at (" + i + ", " + j + ")");
                }
            }
        }
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = cov[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("noise covariance is not positive definite (Cholesky "
                                + "pivot " + s + " at row " + i + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return new SensorNoise(l);
    }

    /** Number of channels. */
    public int size() {
        return base.length;
    }

    /** Whether the channels are independent (L is diagonal). */
    public boolean isDiagonal() {
        return diagonal;
    }

    /** Standard deviation per channel (V): the norm of L's row (its diagonal entry's size when L is diagonal). */
    public double[] sd() {
        double[] s = new double[base.length];
        if (diagonal) { // the row's other terms add zeros to the same square
            for (int i = 0; i < s.length; i++) {
                double x = base[i][i] * root;
                s[i] = Math.sqrt(x * x);
            }
            return s;
        }
        double[][] l = cholesky();
        for (int i = 0; i < s.length; i++) {
            double v = 0;
            for (double x : l[i]) {
                v += x * x;
            }
            s[i] = Math.sqrt(v);
        }
        return s;
    }

    /** The same noise with its variance multiplied by {@code factor} (>= 0). */
    public SensorNoise scaled(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("noise factor must be a finite number >= 0, got " + factor);
        }
        // a scaled copy of a scaled copy scales its own L, as scaling entry by entry twice does
        return root == 1 ? new SensorNoise(base, Math.sqrt(factor), diagonal)
                : new SensorNoise(cholesky(), Math.sqrt(factor), diagonal);
    }

    /** Expected noise power, the mean over channels of the variance (V^2). */
    public double power() {
        return Arrays.stream(sd()).map(v -> v * v).average().orElse(0);
    }

    /**
     * The benchmark's SNR in dB of a clean recording [channels x times], row-major:
     * 10 log10(mean(clean^2) / mean(noise^2)), with the noise power at its expected value.
     */
    public double snrDb(double[] clean) {
        double s = 0;
        for (double v : clean) {
            s += v * v;
        }
        return 10 * Math.log10(s / clean.length / power());
    }

    /**
     * The benchmark's SNR in dB of a recording from its clean part and its realised noise (same layout):
     * 10 log10(mean(clean^2) / mean(noise^2)) over the whole recording.
     */
    public static double snrDb(double[] clean, double[] noise) {
        if (clean.length != noise.length) {
            throw new IllegalArgumentException("clean signal and noise differ in length");
        }
        double s = 0;
        double n = 0;
        for (int i = 0; i < clean.length; i++) {
            s += clean[i] * clean[i];
            n += noise[i] * noise[i];
        }
        return 10 * Math.log10(s / n);
    }

    /** Adds one noise realisation to {@code signal} [channels x times], row-major. */
    public void addTo(double[] signal, int times, UniformRandomProvider rng) {
        double[][] cholesky = cholesky();
        int n = cholesky.length;
        if (signal.length != n * times) {
            throw new IllegalArgumentException("signal of " + signal.length + " values is not " + n
                    + " channels x " + times + " times");
        }
        NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] w = new double[n];
        for (int t = 0; t < times; t++) {
            for (int c = 0; c < n; c++) {
                w[c] = g.sample();
            }
            for (int c = 0; c < n; c++) {
                double z = 0;
                for (int k = 0; k <= c; k++) {
                    z += cholesky[c][k] * w[k];
                }
                signal[c * times + t] += z;
            }
        }
    }
}
