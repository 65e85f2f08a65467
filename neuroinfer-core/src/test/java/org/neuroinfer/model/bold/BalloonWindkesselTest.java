package org.neuroinfer.model.bold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BalloonWindkesselTest {
    /** The rate of region r at step k: slow oscillations between 0 and 40 Hz, a different phase per region. */
    private static double rate(int r, int k) {
        return 20 + 20 * Math.sin(k * 1e-3 + r);
    }

    @Test
    void agreesWithTheEquationsTakenWithPow() {
        int n = 13;
        double dt = 0.1;
        BalloonWindkessel bw = new BalloonWindkessel(n, dt);
        double[] x = filled(n);
        double[] f = filled(n);
        double[] q = filled(n);
        double[] v = filled(n);
        double[] z = new double[n];
        double[] bold = new double[n];
        double h = dt * 1e-3;
        double worst = 0;
        for (int k = 0; k < 200_000; k++) {
            for (int r = 0; r < n; r++) {
                z[r] = rate(r, k);
                double fo = Math.max(f[r], BalloonWindkessel.EPS);
                double xn = x[r] + h * (z[r] - BalloonWindkessel.K * x[r] - BalloonWindkessel.GAMMA * (fo - 1));
                double rho = BalloonWindkessel.RHO;
                double alpha = BalloonWindkessel.ALPHA;
                double qn = q[r] + h / BalloonWindkessel.TAU * (fo / rho * (1 - Math.pow(1 - rho, 1 / fo))
                        - q[r] * Math.pow(v[r], 1 / alpha - 1));
                double vn = v[r] + h / BalloonWindkessel.TAU * (fo - Math.pow(v[r], 1 / alpha));
                x[r] = xn;
                q[r] = qn;
                v[r] = vn;
                f[r] = fo + h * xn;
            }
            bw.step(z, bold);
            if (k % 1000 == 999) {
                for (int r = 0; r < n; r++) {
                    double want = BalloonWindkessel.V0 * (BalloonWindkessel.K1 * (1 - q[r])
                            + BalloonWindkessel.K2 * (1 - q[r] / v[r]) + BalloonWindkessel.K3 * (1 - v[r]));
                    worst = Math.max(worst, Math.abs(bold[r] - want));
                    assertEquals(v[r], bw.state()[3][r], 1e-12, "V of region " + r + " at step " + k);
                }
            }
        }
        // 20 s of BOLD of amplitude ~1e-2; the two forms part only by rounding
        assertTrue(worst < 1e-15, "largest BOLD difference " + worst);
    }

    @Test
    void aRegionHasTheSameBitsInTheVectorPartAndInTheTail() {
        int n = 29; // whole vectors and a tail on any vector length up to 16
        BalloonWindkessel bw = new BalloonWindkessel(n, 0.1);
        double[] z = new double[n];
        double[] bold = new double[n];
        for (int k = 0; k < 20_000; k++) {
            java.util.Arrays.fill(z, rate(0, k));
            bw.step(z, bold);
        }
        for (int r = 1; r < n; r++) {
            assertEquals(Double.doubleToRawLongBits(bold[0]), Double.doubleToRawLongBits(bold[r]), "region " + r);
            for (double[] s : bw.state()) {
                assertEquals(Double.doubleToRawLongBits(s[0]), Double.doubleToRawLongBits(s[r]), "region " + r);
            }
        }
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1.0);
        return a;
    }
}
