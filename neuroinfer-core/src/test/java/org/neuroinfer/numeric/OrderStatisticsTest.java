package org.neuroinfer.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OrderStatisticsTest {
    @Test
    void theMedianOfOddAndEvenCountsLeavesItsInputAlone() {
        double[] odd = {3, -1, 7, 0.5, 2};
        assertEquals(2, OrderStatistics.median(odd));
        assertArrayEquals(new double[] {3, -1, 7, 0.5, 2}, odd, "not sorted in place");
        assertEquals(1.25, OrderStatistics.median(new double[] {3, -1, 0.5, 2}));
        assertEquals(4, OrderStatistics.median(new double[] {4}));
        assertTrue(Double.isNaN(OrderStatistics.median(new double[0])));
    }
}
