package org.neuroinfer.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;

/** A user's lead field and noise covariance. */
class UserObservationTest {

    @Test
    void readsNpyWithNamesAndCsvWithAHeader(@TempDir Path dir) throws Exception {
        Path npy = dir.resolve("L.npy");
        Npy.save(npy, new NpyArray(new int[] {3, 2}, new double[] {1, 2, 3, 4, 5, 6}), false);
        Path names = dir.resolve("ch.txt");
        Files.writeString(names, "Cz\nPz\nOz\n");
        LeadField a = LeadField.read(npy, names);
        assertArrayEquals(new String[] {"Cz", "Pz", "Oz"}, a.channels());
        assertArrayEquals(new double[] {3, 7, 11}, a.sum(new int[] {0, 1}));
        Path csv = dir.resolve("L.csv");
        Files.writeString(csv, "channel,s0,s1\nCz,1,2\nPz,3,4\nOz,5,6\n");
        LeadField b = LeadField.read(csv, null);
        assertArrayEquals(a.matrix(), b.matrix());
        assertArrayEquals(a.channels(), b.channels());
        Files.writeString(names, "Cz\nPz\n");
        var e = assertThrows(IllegalArgumentException.class, () -> LeadField.read(npy, names));
        assertTrue(e.getMessage().contains("3 rows") && e.getMessage().contains("2 channels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.sum(new int[] {2}));
        // the projection sums the region's columns, references and scales them
        EegProjection p = EegProjection.of(a, new int[] {0, 1}, true, 1e-6, SensorNoise.adHocEeg(3));
        assertArrayEquals(new double[] {-4e-6, 0, 4e-6}, p.topography(), 1e-20);
        e = assertThrows(IllegalArgumentException.class,
                () -> EegProjection.of(a, new int[] {0}, true, 1e-6, SensorNoise.adHocEeg(64)));
        assertTrue(e.getMessage().contains("64 channels"), e.getMessage());
    }

    @Test
    void covarianceMustBePositiveDefinite() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SensorNoise.fromCovariance(new double[][] {{1, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("positive definite") && e.getMessage().contains("row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SensorNoise.fromCovariance(new double[][] {{1, 0.5}, {0.4, 1}}));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        SensorNoise n = SensorNoise.fromCovariance(new double[][] {{4, 2}, {2, 5}});
        assertEquals(2, n.cholesky()[0][0], 1e-15);
        assertEquals(1, n.cholesky()[1][0], 1e-15);
        assertEquals(2, n.cholesky()[1][1], 1e-15);
        assertEquals(4.5, n.power(), 1e-12);
    }

    @Test
    void scaledNoiseHasTheValuesOfItsFactorScaledEntryByEntry() {
        SensorNoise full = SensorNoise.fromCovariance(new double[][] {{4e-12, 2e-12, 0}, {2e-12, 5e-12, 1e-12},
                {0, 1e-12, 3e-12}});
        SensorNoise diag = SensorNoise.diagonal(new double[] {0.2e-6, 0.3e-6, 0.25e-6});
        for (SensorNoise n : new SensorNoise[] {full, diag}) {
            for (double f : new double[] {0, 0.37, 1, 2.5}) {
                double r = Math.sqrt(f);
                double[][] l = n.cholesky();
                double[][] want = new double[l.length][l.length];
                double[] sd = new double[l.length];
                for (int i = 0; i < l.length; i++) {
                    double v = 0;
                    for (int j = 0; j < l.length; j++) {
                        want[i][j] = l[i][j] * r;
                        v += want[i][j] * want[i][j];
                    }
                    sd[i] = Math.sqrt(v);
                }
                SensorNoise s = n.scaled(f);
                assertArrayEquals(sd, s.sd(), 0, "sd, factor " + f);
                assertEquals(n.isDiagonal(), s.isDiagonal());
                for (int i = 0; i < l.length; i++) {
                    assertArrayEquals(want[i], s.cholesky()[i], 0, "L, factor " + f);
                }
                // scaled twice: L scaled by one root, then by the other
                SensorNoise twice = s.scaled(1.7);
                for (int i = 0; i < l.length; i++) {
                    for (int j = 0; j < l.length; j++) {
                        assertEquals(want[i][j] * Math.sqrt(1.7), twice.cholesky()[i][j], 0);
                    }
                }
            }
        }
    }

    @Test
    void correlatedEvokedNoiseHasTheExactCrossCovariance() {
        Protocol p = Protocol.benchmark().withDuration(8);
        EpochWindow w = EpochWindow.benchmark();
        EvokedNoise en = new EvokedNoise(p.onsets(), p.nSamples(), w);
        SensorNoise noise = SensorNoise.fromCovariance(new double[][] {{1, 0.6}, {0.6, 2}});
        int j = 600;
        double weight = EvokedNoiseTest.dot(EvokedNoiseTest.weights(p.onsets(), p.nSamples(), w, j),
                EvokedNoiseTest.weights(p.onsets(), p.nSamples(), w, j));
        var g = ZigguratSampler.NormalizedGaussian.of(RandomStreams.stream(2, 0));
        int draws = 30_000;
        double c01 = 0;
        double c11 = 0;
        double[] ev = new double[2 * w.length()];
        for (int d = 0; d < draws; d++) {
            java.util.Arrays.fill(ev, 0);
            en.addTo(ev, noise, g);
            c01 += ev[j] * ev[w.length() + j];
            c11 += ev[w.length() + j] * ev[w.length() + j];
        }
        assertEquals(0.6 * weight, c01 / draws, 4 * Math.sqrt(2.0 / draws) * 2 * weight);
        assertEquals(2 * weight, c11 / draws, 4 * Math.sqrt(2.0 / draws) * 2 * weight);
    }
}
