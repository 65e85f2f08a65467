package org.neuroinfer.param;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.random.RandomStreams;

class DesignTest {
    private final ParameterSpace space = Convention.DEEPJR.parameterSpace();

    @Test
    void randomIsTheIndexedDraws() {
        double[][] d = Design.RANDOM.draw(space, 4, 10, 0, 3);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(space.sample(RandomStreams.stream(4, 10 + i)), d[i]);
        }
    }

    @Test
    void latinHypercubePutsOnePointInEveryStratum() {
        int n = 50;
        for (Prior prior : new Prior[] {Prior.UNIFORM, Prior.TRUNCATED_NORMAL, Prior.LOG_UNIFORM}) {
            ParameterSpace s = space.withPrior(prior);
            double[][] d = Design.LATIN_HYPERCUBE.draw(s, 1, 0, 7, n);
            for (int k = 0; k < s.size(); k++) {
                Parameter p = s.get(k);
                boolean[] hit = new boolean[n];
                for (double[] x : d) {
                    // invert the quantile by bisection to find the stratum
                    double lo = 0;
                    double hi = 1;
                    for (int it = 0; it < 60; it++) {
                        double mid = (lo + hi) / 2;
                        if (p.prior().quantile(mid, p.lower(), p.upper()) < x[k]) {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    int stratum = (int) Math.min(n - 1, Math.floor(lo * n));
                    assertEquals(false, hit[stratum], prior.name() + " " + p.name() + " stratum " + stratum);
                    hit[stratum] = true;
                }
            }
        }
    }

    @Test
    void sobolStartsWithTheSequencesFirstPoints() {
        ParameterSpace u = space.withPrior(Prior.UNIFORM);
        double[][] d = Design.SOBOL.draw(u, 0, 0, 0, 3);
        // Sobol points 1..3 in every dimension's first coordinates: 0.5, then 0.75 / 0.25 in some order
        for (int k = 0; k < u.size(); k++) {
            Parameter p = u.get(k);
            assertEquals((p.lower() + p.upper()) / 2, d[0][k], 1e-12);
        }
        assertEquals(p(u, 0, 0.75), d[1][0], 1e-12);
        assertEquals(p(u, 0, 0.25), d[2][0], 1e-12);
        // a later block continues the sequence
        assertArrayEquals(Design.SOBOL.draw(u, 0, 0, 0, 5)[4], Design.SOBOL.draw(u, 0, 4, 1, 1)[0]);
    }

    private static double p(ParameterSpace s, int k, double u) {
        return s.get(k).lower() + u * (s.get(k).upper() - s.get(k).lower());
    }

    @Test
    void quantilesOfTheNormals() {
        Parameter b = space.get(3); // b_i: 25 .. 75, mean 50, sd 12.5
        assertEquals(50, Prior.TRUNCATED_NORMAL.quantile(0.5, b.lower(), b.upper()), 1e-9);
        assertEquals(62.5, Prior.SEED_NORMAL.quantile(0.8413447460685429, b.lower(), b.upper()), 1e-6);
        assertEquals(75, Prior.TRUNCATED_NORMAL.quantile(1 - 1e-15, b.lower(), b.upper()), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Design.of("grid"));
    }
}
