package org.neuroinfer.numeric;

import java.util.function.ToDoubleFunction;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.hipparchus.random.Well19937c;

/**
 * CMA-ES (Hansen 2006; Hipparchus' {@code CMAESOptimizer}) maximising a score over the unit box [0, 1]^d: started
 * from the centre with step 0.3 and the default population 4 + ⌊3 ln d⌋, stopped when the evaluation budget is
 * spent. Callers map the box onto their parameters' bounds and keep their own record of the evaluations.
 */
public final class UnitBoxCmaes {
    private UnitBoxCmaes() {
    }

    /** Runs at most {@code maxEvaluations} evaluations of {@code score} (clamped into the box) from seed {@code seed}. */
    public static void maximise(int d, ToDoubleFunction<double[]> score, int maxEvaluations, long seed) {
        if (d < 1 || maxEvaluations < 1) {
            throw new IllegalArgumentException("CMA-ES needs at least one parameter and one evaluation; got " + d
                    + " and " + maxEvaluations);
        }
        ObjectiveFunction f = new ObjectiveFunction(u -> {
            double[] x = new double[d];
            for (int i = 0; i < d; i++) {
                x[i] = Math.max(0, Math.min(1, u[i]));
            }
            return score.applyAsDouble(x);
        });
        double[] lo = new double[d];
        double[] hi = new double[d];
        double[] x0 = new double[d];
        double[] sigma = new double[d];
        java.util.Arrays.fill(hi, 1);
        java.util.Arrays.fill(x0, 0.5);
        java.util.Arrays.fill(sigma, 0.3);
        int lambda = 4 + (int) (3 * Math.log(d));
        CMAESOptimizer opt = new CMAESOptimizer(Integer.MAX_VALUE, 0, true, 0, 0, new Well19937c(seed), false, null);
        try {
            opt.optimize(new MaxEval(maxEvaluations), new MaxIter(Integer.MAX_VALUE), f, GoalType.MAXIMIZE,
                    new InitialGuess(x0), new SimpleBounds(lo, hi), new CMAESOptimizer.Sigma(sigma),
                    new CMAESOptimizer.PopulationSize(lambda));
        } catch (org.hipparchus.exception.MathIllegalStateException e) {
            // the evaluation budget is spent: the caller's best so far is the answer
        }
    }
}
