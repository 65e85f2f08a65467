package org.neuroinfer.observe;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Diagonal sensor noise: independent Gaussian noise per channel. The noise factor scales the <em>variance</em>, as
 * the benchmark's pipeline does (Tilwani &amp; O'Reilly, arXiv 2406.05002: MNE {@code add_noise} with an ad-hoc
 * covariance times the factor).
 *
 * @param sd standard deviation per channel in volts, at factor 1
 */
public record SensorNoise(double[] sd) {
    /** MNE's ad-hoc EEG noise standard deviation (make_ad_hoc_cov): 0.2 uV. */
    public static final double AD_HOC_EEG_SD = 0.2e-6;

    public SensorNoise {
        for (int i = 0; i < sd.length; i++) {
            if (!(sd[i] >= 0) || Double.isInfinite(sd[i])) {
                throw new IllegalArgumentException("noise standard deviation of channel " + i + " must be finite and"
                        + " >= 0, got " + sd[i]);
            }
        }
        sd = sd.clone();
    }

    /** MNE's ad-hoc diagonal EEG covariance on {@code channels} channels. */
    public static SensorNoise adHocEeg(int channels) {
        double[] s = new double[channels];
        Arrays.fill(s, AD_HOC_EEG_SD);
        return new SensorNoise(s);
    }

    /** The same noise with its variance multiplied by {@code factor} (>= 0). */
    public SensorNoise scaled(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("noise factor must be a finite number >= 0, got " + factor);
        }
        double r = Math.sqrt(factor);
        return new SensorNoise(Arrays.stream(sd).map(v -> v * r).toArray());
    }

    /** Expected noise power, the mean over channels of the variance (V^2). */
    public double power() {
        return Arrays.stream(sd).map(v -> v * v).average().orElse(0);
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
        if (signal.length != sd.length * times) {
            throw new IllegalArgumentException("signal of " + signal.length + " values is not " + sd.length
                    + " channels x " + times + " times");
        }
        NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        for (int c = 0; c < sd.length; c++) {
            for (int t = 0; t < times; t++) {
                signal[c * times + t] += sd[c] * g.sample();
            }
        }
    }
}
