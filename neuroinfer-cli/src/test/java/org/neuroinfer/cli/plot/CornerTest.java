package org.neuroinfer.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Corner-plot ticks carry the digits a parameter's range needs, no more. */
class CornerTest {
    static double[][] column(double lo, double hi) {
        double[][] d = new double[11][1];
        for (int i = 0; i <= 10; i++) {
            d[i][0] = lo + (hi - lo) * i / 10;
        }
        return d;
    }

    @Test
    void tickDigitsFollowTheRange() {
        assertEquals("0", Corner.tickPattern(column(65, 1350), 0, null));
        assertEquals("0.####", Corner.tickPattern(column(0.0026, 0.00975), 0, null));
        assertEquals("0.##", Corner.tickPattern(column(0.5, 1.5), 0, null));
        assertEquals("0.##E0", Corner.tickPattern(column(1e-9, 3e-9), 0, null));
        assertEquals("0.###", Corner.tickPattern(column(0.5, 0.51), 0, new double[] {0.55}), "the truth widens it");
    }
}
