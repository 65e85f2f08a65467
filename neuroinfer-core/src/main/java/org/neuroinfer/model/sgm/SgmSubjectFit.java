package org.neuroinfer.model.sgm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.neuroinfer.numeric.Correlation;
import org.neuroinfer.numeric.UnitBoxCmaes;

/**
 * The classical per-subject fit of the SGM to one regional spectrum (the baseline Spectrome-AI replaces; Raj et
 * al. 2020 used simulated annealing, the 2022 papers dual annealing): CMA-ES over the parameters' bounds,
 * minimising the mean squared difference of the dB spectra, or maximising the mean per-region Pearson correlation
 * over frequency as the 2020 papers did (insensitive to a region's offset, so it cannot tell every parameter).
 */
public final class SgmSubjectFit {
    /** What the fit minimises. */
    public enum Cost {
        /** Mean squared difference of the dB spectra. */
        MSE_DB,
        /** One minus the mean over regions of the Pearson correlation of the dB spectra across frequencies. */
        CORRELATION
    }

    /**
     * One evaluation.
     *
     * @param evaluation its number, from 1
     * @param params     the parameters
     * @param cost       the cost (lower is better)
     */
    public record Evaluation(int evaluation, SgmParameters params, double cost) {
    }

    /**
     * The fit.
     *
     * @param best        the lowest-cost evaluation
     * @param evaluations every evaluation in order
     */
    public record Result(Evaluation best, List<Evaluation> evaluations) {
    }

    private SgmSubjectFit() {
    }

    /** The cost of spectrum {@code db} against {@code target} (both [regions][frequencies] in dB). */
    public static double cost(Cost cost, double[][] db, double[][] target) {
        if (cost == Cost.CORRELATION) {
            double sum = 0;
            for (int r = 0; r < db.length; r++) {
                sum += Correlation.pearson(db[r], target[r]);
            }
            return 1 - sum / db.length;
        }
        double sum = 0;
        int n = 0;
        for (int r = 0; r < db.length; r++) {
            for (int f = 0; f < db[r].length; f++) {
                double d = db[r][f] - target[r][f];
                sum += d * d;
                n++;
            }
        }
        return sum / n;
    }

    /**
     * Fits {@code target} (dB, [regions][frequencies], smoothed or not as the model's spectra are compared) by
     * CMA-ES over {@code bounds} (parameter name → [lower, upper]); the other parameters keep {@code base}'s values.
     *
     * @param smooth   whether the simulated magnitude is smoothed before dB, as the 2020 pipeline
     * @param threads  threads for each evaluation's eigen-decompositions (the result does not depend on it)
     * @param listener told each evaluation
     */
    public static Result run(SpectralGraphModel model, double[][] target, SgmParameters base,
                             Map<String, double[]> bounds, Cost cost, boolean smooth, int maxEvaluations, long seed,
                             int threads, Consumer<Evaluation> listener) {
        if (target.length != model.regions() || target[0].length != model.frequencies().length) {
            throw new IllegalArgumentException("target spectrum is " + target.length + " x " + target[0].length
                    + "; the model gives " + model.regions() + " regions x " + model.frequencies().length
                    + " frequencies");
        }
        List<String> names = new ArrayList<>(bounds.keySet());
        for (String name : names) {
            if (!SgmParameters.NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown SGM parameter '" + name + "'; valid: "
                        + String.join(", ", SgmParameters.NAMES));
            }
        }
        List<Evaluation> all = new ArrayList<>();
        UnitBoxCmaes.maximise(names.size(), u -> {
            SgmParameters p = base;
            for (int i = 0; i < names.size(); i++) {
                double[] b = bounds.get(names.get(i));
                p = p.with(names.get(i), b[0] + u[i] * (b[1] - b[0]));
            }
            double[][] mag = model.magnitude(p, threads);
            double c = cost(cost, SpectralGraphModel.decibels(smooth ? SpectralGraphModel.smooth(mag) : mag), target);
            Evaluation ev = new Evaluation(all.size() + 1, p, Double.isFinite(c) ? c : Double.MAX_VALUE);
            all.add(ev);
            listener.accept(ev);
            return -ev.cost();
        }, maxEvaluations, seed);
        Evaluation best = all.stream().min(java.util.Comparator.comparingDouble(Evaluation::cost)).orElseThrow();
        return new Result(best, all);
    }
}
