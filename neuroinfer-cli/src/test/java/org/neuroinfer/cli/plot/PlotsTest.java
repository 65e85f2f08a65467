package org.neuroinfer.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Axis ranges that show every value. */
class PlotsTest {
    @Test
    void theLowerBoundGoesBelowTheUsualOnlyToShowAValue() {
        assertEquals(-0.2, Plots.lowerBound(-0.2, 0.1, 0.5, 0.9, -0.15, Double.NaN), 0.0);
        assertEquals(-0.4, Plots.lowerBound(-0.2, 0.1, 0.5, -0.32, Double.NEGATIVE_INFINITY), 1e-12);
        assertEquals(0.45, Plots.lowerBound(0.45, 0.05, 0.49, 0.8), 0.0);
        assertEquals(0.40, Plots.lowerBound(0.45, 0.05, 0.43), 1e-12);
    }
}
