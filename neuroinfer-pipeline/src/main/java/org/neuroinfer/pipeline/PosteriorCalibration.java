package org.neuroinfer.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.neuroinfer.learn.npe.Calibration;
import org.neuroinfer.learn.npe.PosteriorCard;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.train.Evaluation;

/**
 * The calibration stage: how far a trained posterior estimator can be trusted, on simulations it never saw (its
 * own test split of the data set): posterior mean against truth, expected coverage of the highest-density regions
 * and TARP, simulation-based calibration ranks, contraction and z-scores per parameter (Talts et al. 2018; Lemos
 * et al. 2023).
 */
public final class PosteriorCalibration {
    private PosteriorCalibration() {
    }

    /**
     * What to check.
     *
     * @param samples     posterior draws per simulation (≥ 10)
     * @param simulations held-out simulations used at most (≥ 10)
     * @param seed        seed of the draws
     */
    public record Spec(int samples, int simulations, long seed) {
        public Spec {
            if (samples < 10 || simulations < 10) {
                throw new IllegalArgumentException("--samples and --simulations must be >= 10");
            }
        }
    }

    /**
     * The checks.
     *
     * @param calibration coverage, ranks and moments per simulation
     * @param evaluation  posterior mean against truth, per condition and parameter
     * @param names       the estimator's parameters
     * @param theta       every row's true parameters [row][parameter], in the order of {@code names}
     * @param rows        the held-out rows used
     * @param seconds     wall time of the draws
     */
    public record Result(Calibration calibration, Evaluation evaluation, List<String> names, double[][] theta,
                         int[] rows, double seconds) {
        /** The prior sd of parameter {@code j} over the rows used (for the contraction). */
        public double priorSd(int j) {
            return Calibration.moments(theta, rows, j)[1];
        }
    }

    /** The rows of {@code set} the check uses: those the training held out, at most {@code spec.simulations()}. */
    public static int[] rows(PosteriorModel model, RecordingSet set, Spec spec) {
        int[] rows = Evaluation.heldOut(model.card().provenance(), model.card().training().training(), set);
        return rows.length > spec.simulations() ? Arrays.copyOf(rows, spec.simulations()) : rows;
    }

    /**
     * Checks {@code model} on {@code rows} of {@code set} (its data set, loaded as the estimator reads it; the rows
     * its training held out, {@link #rows}), telling {@code progress} each simulation finished.
     */
    public static Result run(PosteriorModel model, RecordingSet set, int[] rows, Spec spec, IntConsumer progress) {
        PosteriorCard card = model.card();
        List<String> names = card.targets().names();
        int[] cols = names.stream().mapToInt(nm -> set.paramNames().indexOf(nm)).toArray();
        for (int j = 0; j < cols.length; j++) {
            if (cols[j] < 0) {
                throw new IllegalArgumentException("the data set has no parameter '" + names.get(j) + "'");
            }
        }
        if (set.channels() != card.input().channels() || set.times() != card.input().times()) {
            throw new IllegalArgumentException("the data have " + set.channels() + " channels x " + set.times()
                    + " samples, the estimator reads " + card.input().channels() + " x " + card.input().times());
        }
        double[][] theta = new double[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            theta[i] = new double[cols.length];
            for (int j = 0; j < cols.length; j++) {
                theta[i][j] = set.y()[i][cols[j]];
            }
        }
        long t0 = System.nanoTime();
        Calibration cal = Calibration.run(model, set.x(), theta, rows, spec.samples(), spec.seed(), progress);
        double secs = (System.nanoTime() - t0) / 1e9;
        Evaluation ev = Evaluation.of(card.targets(), set.subset(rows), cols, cal.mean());
        return new Result(cal, ev, names, theta, rows, secs);
    }
}
