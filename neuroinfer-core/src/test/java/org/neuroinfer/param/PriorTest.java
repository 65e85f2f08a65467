package org.neuroinfer.param;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Every prior family: the CDF inverts the quantile, and the density is the CDF's derivative and integrates to 1. */
class PriorTest {
    @Test
    void cdfQuantileAndDensityAgree() {
        double lo = 2;
        double hi = 7;
        for (Prior p : new Prior[]{Prior.UNIFORM, Prior.LOG_UNIFORM, Prior.SEED_NORMAL, Prior.TRUNCATED_NORMAL}) {
            for (double u : new double[]{1e-6, 0.01, 0.3, 0.5, 0.77, 0.999}) {
                assertEquals(u, p.cdf(p.quantile(u, lo, hi), lo, hi), 1e-9, p.name() + " cdf(quantile(" + u + "))");
            }
            double a = p.mayLeaveBounds() ? lo - 10 : lo;
            double b = p.mayLeaveBounds() ? hi + 10 : hi;
            int k = 20_000;
            double h = (b - a) / k;
            double mass = 0;
            for (int i = 0; i < k; i++) {
                double x = a + (i + 0.5) * h;
                mass += Math.exp(p.logDensity(x, lo, hi)) * h;
                if (i % 997 == 0) {
                    double d = (p.cdf(x + 1e-6, lo, hi) - p.cdf(x - 1e-6, lo, hi)) / 2e-6;
                    assertEquals(d, Math.exp(p.logDensity(x, lo, hi)), 1e-6, p.name() + " density at " + x);
                }
            }
            assertEquals(1, mass, 1e-6, p.name() + " integrates to 1");
            if (!p.mayLeaveBounds()) {
                assertEquals(Double.NEGATIVE_INFINITY, p.logDensity(hi + 0.1, lo, hi));
                assertEquals(1, p.cdf(hi + 0.1, lo, hi));
                assertEquals(0, p.cdf(lo - 0.1, lo, hi));
            }
        }
    }
}
