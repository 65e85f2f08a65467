package org.neuroinfer.numeric;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * CMA-ES ({@link Cmaes}) maximising a score over the unit box [0, 1]^d: started from the centre with step 0.3 and
 * the default population 4 + ⌊3 ln d⌋, stopped when the evaluation budget is spent. A candidate outside the box is
 * scored at its nearest point in the box and ranked below that score by its distance to the box (scaled by the
 * generation's spread of scores), so the search is drawn back inside. Callers map the box onto their parameters'
 * bounds and keep their own record of the evaluations.
 */
public final class UnitBoxCmaes {
    private UnitBoxCmaes() {
    }

    /** Scores a generation's points (each in the box), in their order; they may be evaluated side by side. */
    public interface Generation {
        /** The scores of {@code points}; higher is better, -infinity for a point that failed. */
        double[] score(double[][] points);
    }

    /** Runs at most {@code maxEvaluations} evaluations of {@code score} (clamped into the box) from seed {@code seed}. */
    public static void maximise(int d, ToDoubleFunction<double[]> score, int maxEvaluations, long seed) {
        maximiseGenerations(d, points -> Arrays.stream(points).mapToDouble(score).toArray(), maxEvaluations, seed);
    }

    /**
     * As {@link #maximise}, a generation at a time: the last generation is cut to the budget (and not told).
     *
     * @throws IllegalArgumentException for no parameter or no evaluation
     */
    public static void maximiseGenerations(int d, Generation score, int maxEvaluations, long seed) {
        if (d < 1 || maxEvaluations < 1) {
            throw new IllegalArgumentException("CMA-ES needs at least one parameter and one evaluation; got " + d
                    + " and " + maxEvaluations);
        }
        double[] centre = new double[d];
        Arrays.fill(centre, 0.5);
        Cmaes es = new Cmaes(centre, 0.3, Cmaes.defaultLambda(d), seed);
        int done = 0;
        while (done < maxEvaluations) {
            double[][] x = es.ask();
            int k = Math.min(x.length, maxEvaluations - done);
            double[][] u = new double[k][d];
            double[] outside = new double[k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < d; j++) {
                    u[i][j] = Math.max(0, Math.min(1, x[i][j]));
                    outside[i] += Math.abs(x[i][j] - u[i][j]);
                }
            }
            double[] s = score.score(u);
            if (s.length != k) {
                throw new IllegalStateException("expected " + k + " scores, got " + s.length);
            }
            done += k;
            if (k < x.length) {
                break;
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : s) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            double scale = hi > lo ? hi - lo : 1;
            double[] ranked = new double[k];
            for (int i = 0; i < k; i++) {
                double v = Double.isNaN(s[i]) ? Double.NEGATIVE_INFINITY : s[i];
                ranked[i] = v - scale * outside[i];
            }
            es.tell(ranked);
        }
    }
}
