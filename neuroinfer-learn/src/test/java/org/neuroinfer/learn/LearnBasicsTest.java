package org.neuroinfer.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LearnBasicsTest {

    @Test
    void metricsMatchScipy() {
        double[] t = {1.0, 2.0, 2.0, 4.0, 7.0, 3.5, 9.0, 0.5};
        double[] p = {1.2, 1.9, 2.5, 3.0, 6.0, 4.0, 8.5, 1.5};
        Metrics m = Metrics.of(t, p);
        // scipy.stats.pearsonr / spearmanr and numpy, on the same arrays
        assertEquals(0.9783308158669158, m.pearson(), 1e-14);
        assertEquals(0.9461247469114745, m.spearman(), 1e-14);
        assertEquals(0.9390781563126253, m.r2(), 1e-14);
        assertEquals(0.689202437604511, m.rmse(), 1e-14);
        assertEquals(0.08108263971817777, m.nrmse(), 1e-14);
        assertArrayEquals(new double[] {2, 3.5, 3.5, 6, 7, 5, 8, 1}, Metrics.ranks(t));
    }

    @Test
    void metricsOfConstantsAreNanAndBadInputIsRefused() {
        Metrics m = Metrics.of(new double[] {1, 1, 1}, new double[] {1, 2, 3});
        assertTrue(Double.isNaN(m.pearson()) && Double.isNaN(m.r2()) && Double.isNaN(m.nrmse()));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(new double[] {1, Double.NaN},
                new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void standardizerUsesTheTrainingRowsOnlyAndRoundTrips() {
        double[][] rows = {{1, 10}, {3, 10}, {5, 10}, {1000, -7}};
        Standardiser s = Standardiser.fit(rows, new int[] {0, 1, 2});
        assertArrayEquals(new double[] {3, 10}, s.mean(), 1e-15);
        assertEquals(Math.sqrt(8.0 / 3), s.sd()[0], 1e-15);
        assertEquals(1.0, s.sd()[1], "a constant feature keeps sd 1");
        double[] z = s.transform(rows[3]);
        assertArrayEquals(rows[3], s.inverse(z), 1e-12);
        assertArrayEquals(new double[] {0, 0}, s.transform(new double[] {3, 10}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> s.transform(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Standardiser.fit(new double[][] {{Double.NaN}},
                new int[] {0}));
    }

    @Test
    void channelStandardisationUsesTrainingRecordingsOnly() {
        // 3 recordings x 2 channels x 2 samples; recording 2 is held out and extreme
        float[] x = {1, 3, 10, 10, 5, 7, 10, 10, 1000, 1000, -5, 9};
        Standardiser s = Standardiser.fitChannels(x, 2, 2, new int[] {0, 1});
        assertArrayEquals(new double[] {4, 10}, s.mean(), 1e-12);
        assertEquals(Math.sqrt(5), s.sd()[0], 1e-12);
        assertEquals(1.0, s.sd()[1], "a constant channel keeps sd 1");
        float[] y = x.clone();
        s.transformChannels(y, 4, 2);
        assertArrayEquals(new float[] {(float) (1 / Math.sqrt(5)), (float) (3 / Math.sqrt(5)), 0, 0},
                java.util.Arrays.copyOfRange(y, 4, 8), 1e-6f);
        assertArrayEquals(java.util.Arrays.copyOfRange(x, 0, 4), java.util.Arrays.copyOfRange(y, 0, 4),
                "only the recording asked for changes");
    }

    @Test
    void splitsPartitionAndAreSeeded() {
        Splits s = Splits.benchmark(1000, 3);
        assertEquals(100, s.test().length);
        assertEquals(90, s.validation().length);
        assertEquals(810, s.train().length);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())),
                Arrays.stream(s.test())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1000).toArray(), all, "a partition");
        assertArrayEquals(s.test(), Splits.benchmark(1000, 3).test(), "same seed, same split");
        assertTrue(!Arrays.equals(s.test(), Splits.benchmark(1000, 4).test()), "another seed, another split");
        assertThrows(IllegalArgumentException.class, () -> Splits.of(10, 0.5, 0.6, 0));
    }
}
