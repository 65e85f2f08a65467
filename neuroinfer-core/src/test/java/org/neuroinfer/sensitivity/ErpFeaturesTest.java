package org.neuroinfer.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErpFeaturesTest {
    static double[] time() {
        double[] t = new double[1201];
        for (int i = 0; i < t.length; i++) {
            t[i] = (i - 200) / 1000.0;
        }
        return t;
    }

    @Test
    void peaksLatenciesRmsAndPtp() {
        double[] t = time();
        double[] x = new double[t.length];
        x[300] = 2;
        x[700] = -1;
        double[] f = ErpFeatures.of(x, t);
        assertEquals(2, f[0]);
        assertEquals(-1, f[1]);
        assertEquals(0.1, f[2], 1e-12);
        assertEquals(0.5, f[3], 1e-12);
        assertEquals(Math.sqrt(5.0 / 1201), f[4], 1e-15);
        assertEquals(3, f[5]);
        double[] flat = ErpFeatures.of(new double[t.length], t);
        assertTrue(Double.isNaN(flat[2]) && Double.isNaN(flat[3]));
    }

    @Test
    void aSineOnABinPutsItsPowerInItsBand() {
        double[] t = time();
        int k = 12; // 12 / 1.201 s = 9.99 Hz: alpha
        double a = 3;
        double[] x = new double[t.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = a * Math.cos(2 * Math.PI * k * i / x.length);
        }
        double[] f = ErpFeatures.of(x, t);
        int alpha = ErpFeatures.NAMES.indexOf("power_alpha");
        assertEquals(a * a / 2, f[alpha], 1e-9, "a cosine of amplitude a has power a^2/2");
        for (int b = 6; b < 11; b++) {
            if (b != alpha) {
                assertEquals(0, f[b], 1e-9, ErpFeatures.NAMES.get(b));
            }
        }
    }
}
