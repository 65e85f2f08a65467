package org.neuroinfer.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.random.RandomStreams;

class BackgroundEegTest {
    private static final BackgroundEeg BG = BackgroundEeg.of(Montage.biosemi64(), 10, 10e-6, 1.0, 0.3, 1);

    /** Averaged periodogram power at frequency f over segments of 1000 samples. */
    static double power(double[] s, double f) {
        int seg = 1000;
        double p = 0;
        int count = 0;
        for (int o = 0; o + seg <= s.length; o += seg) {
            double re = 0;
            double im = 0;
            for (int t = 0; t < seg; t++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / seg); // Hann window
                re += w * s[o + t] * Math.cos(2 * Math.PI * f * t / 1000.0);
                im += w * s[o + t] * Math.sin(2 * Math.PI * f * t / 1000.0);
            }
            p += re * re + im * im;
            count++;
        }
        return p / count;
    }

    static double[] source(int n, long seed) {
        double[] s = new double[n];
        int[] t = {0};
        BG.source(n, ZigguratSampler.NormalizedGaussian.of(RandomStreams.stream(seed, 0)), v -> s[t[0]++] = v);
        return s;
    }

    @Test
    void eachSourceHasUnitVariance() {
        double[] s = source(1_000_000, 2);
        double v = 0;
        for (double x : s) {
            v += x * x / s.length;
        }
        assertEquals(1.0, v, 0.05);
        assertEquals(1e-10, BG.power(), 1e-22, "channels' mean variance is rms^2");
    }

    @Test
    void spectrumFallsAsOneOverFWithAnAlphaPeak() {
        double[] s = source(400_000, 3);
        double slope = Math.log(power(s, 40) / power(s, 20)) / Math.log(2);
        assertEquals(-1.0, slope, 0.3, "beta = 1 between the corners");
        double alpha = power(s, 10);
        assertTrue(alpha > 3 * (power(s, 6) + power(s, 15)) / 2, "alpha peak at 10 Hz");
    }

    @Test
    void spatialCorrelationIsTheHeads() {
        int n = 100_000;
        double[] x = new double[64 * n];
        BG.addContinuous(x, n, RandomStreams.stream(4, 0));
        int o1 = java.util.Arrays.asList(Montage.biosemi64().channelNames()).indexOf("O1");
        int oz = java.util.Arrays.asList(Montage.biosemi64().channelNames()).indexOf("Oz");
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int t = 0; t < n; t++) {
            double a = x[o1 * n + t];
            double b = x[oz * n + t];
            sab += a * b;
            saa += a * a;
            sbb += b * b;
        }
        double[][] m = BG.mixing();
        double eab = 0;
        double eaa = 0;
        double ebb = 0;
        for (int k = 0; k < m[0].length; k++) {
            eab += m[o1][k] * m[oz][k];
            eaa += m[o1][k] * m[o1][k];
            ebb += m[oz][k] * m[oz][k];
        }
        assertEquals(eab / Math.sqrt(eaa * ebb), sab / Math.sqrt(saa * sbb), 0.05);
    }
}
