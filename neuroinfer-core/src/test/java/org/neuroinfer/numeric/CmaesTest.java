package org.neuroinfer.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** CMA-ES against functions with a known optimum, and its contract: a generation's scores told in any order of evaluation give the same search. */
class CmaesTest {
    /** Generations of {@code es} on {@code f} (maximised); the mean's distance to {@code optimum} at the end. */
    private static double run(Cmaes es, ToDoubleFunction<double[]> f, int generations, double[] optimum) {
        for (int g = 0; g < generations; g++) {
            double[][] x = es.ask();
            double[] s = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                s[k] = f.applyAsDouble(x[k]);
            }
            es.tell(s);
        }
        double[] m = es.mean();
        double d = 0;
        for (int i = 0; i < m.length; i++) {
            d += (m[i] - optimum[i]) * (m[i] - optimum[i]);
        }
        return Math.sqrt(d);
    }

    @Test
    void findsTheOptimumOfASphereAndOfAnIllConditionedEllipsoid() {
        double[] opt = {0.3, -1.2, 2.0, 0.7, -0.4};
        ToDoubleFunction<double[]> sphere = x -> {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s -= (x[i] - opt[i]) * (x[i] - opt[i]);
            }
            return s;
        };
        assertTrue(run(new Cmaes(new double[5], 0.5, Cmaes.defaultLambda(5), 1), sphere, 250, opt) < 1e-6);
        // condition number 10^6: only an adapted covariance gets there in this many generations
        ToDoubleFunction<double[]> ellipsoid = x -> {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s -= Math.pow(1e6, i / 4.0) * (x[i] - opt[i]) * (x[i] - opt[i]);
            }
            return s;
        };
        Cmaes es = new Cmaes(new double[5], 0.5, Cmaes.defaultLambda(5), 2);
        assertTrue(run(es, ellipsoid, 600, opt) < 1e-5, "ellipsoid");
        // Rosenbrock in 4 dimensions, optimum at (1, 1, 1, 1)
        ToDoubleFunction<double[]> rosenbrock = x -> {
            double s = 0;
            for (int i = 0; i + 1 < x.length; i++) {
                s -= 100 * Math.pow(x[i + 1] - x[i] * x[i], 2) + Math.pow(1 - x[i], 2);
            }
            return s;
        };
        assertTrue(run(new Cmaes(new double[4], 0.5, Cmaes.defaultLambda(4), 3), rosenbrock, 1000,
                new double[] {1, 1, 1, 1}) < 1e-4, "rosenbrock");
    }

    @Test
    void theSameSeedAndScoresGiveTheSameSearchAndAskingAgainGivesTheSameCandidates() {
        Cmaes a = new Cmaes(new double[] {0.5, 0.5}, 0.3, 6, 42);
        Cmaes b = new Cmaes(new double[] {0.5, 0.5}, 0.3, 6, 42);
        for (int g = 0; g < 20; g++) {
            double[][] x = a.ask();
            assertArrayEquals(x, a.ask(), "asked again");
            double[][] y = b.ask();
            double[] sa = new double[x.length];
            double[] sb = new double[y.length];
            for (int k = x.length - 1; k >= 0; k--) { // b scored in the other order
                sb[k] = -Math.abs(y[k][0] - 0.2) - Math.abs(y[k][1] - 0.9);
            }
            for (int k = 0; k < x.length; k++) {
                sa[k] = -Math.abs(x[k][0] - 0.2) - Math.abs(x[k][1] - 0.9);
            }
            a.tell(sa);
            b.tell(sb);
        }
        assertArrayEquals(a.mean(), b.mean(), 0);
        assertEquals(a.sigma(), b.sigma(), 0);
        assertEquals(20, a.generation());
        a.ask();
        assertThrows(IllegalArgumentException.class, () -> a.tell(new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Cmaes(new double[2], 0, 6, 1));
    }

    @Test
    void aGenerationAtATimeEvaluatesTheSamePointsAsOneAtATimeAndKeepsToTheBudgetAndTheBox() {
        List<double[]> one = new ArrayList<>();
        List<double[]> batch = new ArrayList<>();
        ToDoubleFunction<double[]> f = u -> -Math.pow(u[0] - 0.95, 2) - Math.pow(u[1] - 0.1, 2) - Math.pow(u[2]
                - 0.5, 2);
        UnitBoxCmaes.maximise(3, u -> {
            one.add(u.clone());
            return f.applyAsDouble(u);
        }, 300, 7);
        UnitBoxCmaes.maximiseGenerations(3, points -> {
            double[] s = new double[points.length];
            for (int k = points.length - 1; k >= 0; k--) {
                batch.add(0, null);
                s[k] = f.applyAsDouble(points[k]);
            }
            batch.removeIf(java.util.Objects::isNull);
            for (double[] p : points) {
                batch.add(p.clone());
            }
            return s;
        }, 300, 7);
        assertEquals(300, one.size(), "the budget, the last generation cut to it");
        assertEquals(one.size(), batch.size());
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), batch.get(i), 0);
            for (double v : one.get(i)) {
                assertTrue(v >= 0 && v <= 1, "in the box");
            }
        }
        double[] best = one.stream().max(java.util.Comparator.comparingDouble(f)).orElseThrow();
        assertTrue(Math.abs(best[0] - 0.95) < 0.005 && Math.abs(best[1] - 0.1) < 0.005 && Math.abs(best[2] - 0.5)
                < 0.005, java.util.Arrays.toString(best));
    }
}
