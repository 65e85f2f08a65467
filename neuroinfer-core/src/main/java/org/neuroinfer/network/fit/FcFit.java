package org.neuroinfer.network.fit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.numeric.UnitBoxCmaes;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;

/**
 * Fits a network's global parameters to an empirical FC (and FCD) with CMA-ES (Hansen 2006; Hipparchus'
 * {@code CMAESOptimizer}): the parameters are searched in their bounds, scaled to [0, 1], maximising
 * {@link FcTarget.Score#score()}.
 */
public final class FcFit {
    /**
     * One evaluation.
     *
     * @param evaluation its number, from 1
     * @param values     parameter → value
     * @param score      its score
     */
    public record Evaluation(int evaluation, Map<String, Double> values, FcTarget.Score score) {
    }

    /**
     * The fit.
     *
     * @param best        the best evaluation
     * @param evaluations every evaluation in order
     */
    public record Result(Evaluation best, List<Evaluation> evaluations) {
    }

    private FcFit() {
    }

    /**
     * Runs CMA-ES from the middle of the bounds for at most {@code maxEvaluations} network runs.
     *
     * @param listener told each evaluation
     */
    public static Result run(NetworkConfig base, Connectome con, Map<String, double[]> bounds, FcTarget target,
                             int maxEvaluations, long seed, Consumer<Evaluation> listener) {
        List<String> names = new ArrayList<>(bounds.keySet());
        int d = names.size();
        List<Evaluation> all = new ArrayList<>();
        UnitBoxCmaes.maximise(d, u -> {
            Map<String, Double> v = new LinkedHashMap<>();
            for (int i = 0; i < d; i++) {
                double[] b = bounds.get(names.get(i));
                v.put(names.get(i), b[0] + u[i] * (b[1] - b[0]));
            }
            FcTarget.Score s;
            try {
                s = target.score(ConfiguredRun.run(base.with(v), con));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (ArithmeticException e) { // a diverging point is a bad fit, not the end of the search
                s = new FcTarget.Score(-1, Double.NaN, -2);
            }
            Evaluation ev = new Evaluation(all.size() + 1, v, s);
            all.add(ev);
            listener.accept(ev);
            return s.score();
        }, maxEvaluations, seed);
        Evaluation best = all.stream().max(java.util.Comparator.comparingDouble(e -> e.score().score())).orElseThrow();
        return new Result(best, all);
    }
}
