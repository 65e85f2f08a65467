package org.neuroinfer.network.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.numeric.UnitBoxCmaes;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.network.cases.RunBatches;

/**
 * Fits a network's global parameters to an empirical FC (and FCD) with CMA-ES (Hansen 2016, {@link
 * org.neuroinfer.numeric.Cmaes}): the parameters are searched in their bounds, scaled to [0, 1], maximising
 * {@link FcTarget.Score#score()}. A generation's candidates are scored together ({@link Generation}: side by side on
 * threads, or on a cluster), and the search depends only on the seed and the scores, so it is the same wherever they
 * ran.
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

    /** Scores a generation: one network run of {@code base} per parameter set. */
    public interface Generation {
        /**
         * The scores of the runs with {@code points}, in order; {@code first} is the evaluation number of the first
         * (from 1).
         */
        List<FcTarget.Score> score(int first, List<Map<String, Double>> points) throws IOException;
    }

    /** The score of a run that diverged: the worst fit, not the end of the search. */
    public static final FcTarget.Score DIVERGED = new FcTarget.Score(-1, Double.NaN, -2);

    private FcFit() {
    }

    /**
     * Runs CMA-ES from the middle of the bounds for at most {@code maxEvaluations} network runs, a generation at a
     * time on {@code threads} threads.
     *
     * @param listener told each evaluation
     */
    public static Result run(NetworkConfig base, Connectome con, Map<String, double[]> bounds, FcTarget target,
                             int maxEvaluations, long seed, int threads, Consumer<Evaluation> listener)
            throws IOException {
        return run(bounds, maxEvaluations, seed, here(base, con, target, threads), listener);
    }

    /** As above, each generation scored by {@code generation}. */
    public static Result run(Map<String, double[]> bounds, int maxEvaluations, long seed, Generation generation,
                             Consumer<Evaluation> listener) throws IOException {
        List<String> names = new ArrayList<>(bounds.keySet());
        int d = names.size();
        List<Evaluation> all = new ArrayList<>();
        try {
            UnitBoxCmaes.maximiseGenerations(d, u -> {
                List<Map<String, Double>> points = new ArrayList<>();
                for (double[] x : u) {
                    Map<String, Double> v = new LinkedHashMap<>();
                    for (int i = 0; i < d; i++) {
                        double[] b = bounds.get(names.get(i));
                        v.put(names.get(i), b[0] + x[i] * (b[1] - b[0]));
                    }
                    points.add(v);
                }
                List<FcTarget.Score> s;
                try {
                    s = generation.score(all.size() + 1, points);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                double[] scores = new double[points.size()];
                for (int k = 0; k < points.size(); k++) {
                    Evaluation ev = new Evaluation(all.size() + 1, points.get(k), s.get(k));
                    all.add(ev);
                    listener.accept(ev);
                    scores[k] = ev.score().score();
                }
                return scores;
            }, maxEvaluations, seed);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Evaluation best = all.stream().max(java.util.Comparator.comparingDouble(e -> e.score().score())).orElseThrow();
        return new Result(best, all);
    }

    /** Generations run on this machine: the candidates side by side on {@code threads} threads. */
    public static Generation here(NetworkConfig base, Connectome con, FcTarget target, int threads) {
        return (first, points) -> {
            List<NetworkConfig> runs = points.stream().map(base::with).toList();
            FcTarget.Score[] out = new FcTarget.Score[points.size()];
            int[] index = java.util.stream.IntStream.range(0, points.size()).toArray();
            RunBatches.run(runs, index, con, threads, (k, run) -> score(target, run), (k, s) -> out[k] = s);
            return List.of(out);
        };
    }

    /** The score of a run against {@code target}; {@link #DIVERGED} for a run that diverged. */
    public static FcTarget.Score score(FcTarget target, Supplier<ConfiguredRun.Output> run) {
        try {
            return target.score(run.get());
        } catch (ArithmeticException e) {
            return DIVERGED;
        }
    }
}
