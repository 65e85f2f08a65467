package org.neuroinfer.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The estimators against the analytical indices of the Ishigami and Sobol-G functions. */
class GlobalSensitivityTest {

    /** Ishigami (a = 7, b = 0.1) on [-pi, pi]^3 from the unit cube. */
    static final Function<double[][], double[]> ISHIGAMI = rows -> {
        double[] y = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double x1 = -Math.PI + 2 * Math.PI * rows[i][0];
            double x2 = -Math.PI + 2 * Math.PI * rows[i][1];
            double x3 = -Math.PI + 2 * Math.PI * rows[i][2];
            y[i] = Math.sin(x1) + 7 * Math.sin(x2) * Math.sin(x2) + 0.1 * Math.pow(x3, 4) * Math.sin(x1);
        }
        return y;
    };

    @Test
    void ishigamiIndices() {
        double a = 7;
        double b = 0.1;
        double pi4 = Math.pow(Math.PI, 4);
        double pi8 = pi4 * pi4;
        double v1 = 0.5 * Math.pow(1 + b * pi4 / 5, 2);
        double v2 = a * a / 8;
        double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
        double v = v1 + v2 + v13;
        double[] s = {v1 / v, v2 / v, 0};
        double[] st = {(v1 + v13) / v, v2 / v, v13 / v};
        GlobalSensitivity.SobolIndices r = GlobalSensitivity.sobol(3, 1 << 14, ISHIGAMI, 200, 1);
        for (int j = 0; j < 3; j++) {
            assertEquals(s[j], r.first()[j], 0.02, "S" + (j + 1));
            assertEquals(st[j], r.total()[j], 0.02, "ST" + (j + 1));
            assertTrue(r.totalCi()[j][0] <= st[j] + 0.01 && st[j] - 0.01 <= r.totalCi()[j][1],
                    "ST" + (j + 1) + " interval " + r.totalCi()[j][0] + " .. " + r.totalCi()[j][1]);
        }
        assertEquals((1 << 14) * 5, r.evaluations());
    }

    @Test
    void sobolGIndices() {
        double[] a = {0, 1, 4.5, 9, 99, 99};
        Function<double[][], double[]> g = rows -> {
            double[] y = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                double p = 1;
                for (int j = 0; j < a.length; j++) {
                    p *= (Math.abs(4 * rows[i][j] - 2) + a[j]) / (1 + a[j]);
                }
                y[i] = p;
            }
            return y;
        };
        double[] vi = new double[a.length];
        double prod = 1;
        for (int j = 0; j < a.length; j++) {
            vi[j] = 1 / (3 * (1 + a[j]) * (1 + a[j]));
            prod *= 1 + vi[j];
        }
        double v = prod - 1;
        GlobalSensitivity.SobolIndices r = GlobalSensitivity.sobol(a.length, 1 << 14, g, 0, 2);
        for (int j = 0; j < a.length; j++) {
            assertEquals(vi[j] / v, r.first()[j], 0.02, "S" + (j + 1));
            assertEquals(vi[j] * prod / (1 + vi[j]) / v, r.total()[j], 0.02, "ST" + (j + 1));
        }
    }

    @Test
    void morrisOnALinearFunctionIsExact() {
        double[] c = {3, -2, 0.5, 0};
        Function<double[][], double[]> f = rows -> {
            double[] y = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < c.length; j++) {
                    y[i] += c[j] * rows[i][j];
                }
            }
            return y;
        };
        GlobalSensitivity.MorrisIndices m = GlobalSensitivity.morris(4, 20, 4, f, 3);
        for (int j = 0; j < 4; j++) {
            assertEquals(Math.abs(c[j]), m.muStar()[j], 1e-12);
            assertEquals(c[j], m.mu()[j], 1e-12);
            assertEquals(0, m.sigma()[j], 1e-12);
        }
        assertEquals(20 * 5, m.evaluations());
    }

    @Test
    void morrisRanksIshigamiAndSeesItsInteraction() {
        GlobalSensitivity.MorrisIndices m = GlobalSensitivity.morris(3, 200, 4, ISHIGAMI, 4);
        // x3 acts only through its interaction with x1: a large sigma relative to its mean effect
        assertTrue(m.muStar()[0] > m.muStar()[2] && m.muStar()[1] > m.muStar()[2] * 0.5, java.util.Arrays.toString(
                m.muStar()));
        assertTrue(m.sigma()[2] > Math.abs(m.mu()[2]), "x3 interacts with x1");
        assertThrows(IllegalArgumentException.class, () -> GlobalSensitivity.morris(3, 10, 3, ISHIGAMI, 0));
    }
}
