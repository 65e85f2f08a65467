package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.neuroinfer.learn.Splits;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.nn.ParameterInit;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.EpochRecord;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.learn.train.StandardisedSet;
import org.neuroinfer.learn.train.Training;

/**
 * Neural posterior estimation (Papamakarios &amp; Murray 2016; Greenberg et al. 2019; sbi's SNPE on simulations
 * from the prior, where it reduces to maximum likelihood): the embedding and density are trained jointly to
 * minimise -log q(θ | x) over simulated pairs, with θ and x z-scored on the training split, and everything
 * else of {@link TrainingLoop} (early stopping, checkpoints, resume). Simulations with NaN or Inf are dropped and counted,
 * as sbi does.
 */
public final class NpeTraining {
    /** Embeddings larger than this keep a diagonal precision only. */
    private static final int FULL_PRECISION_MAX = 256;
    private static final int EVAL_BATCH = 256;

    private NpeTraining() {
    }

    /**
     * The outcome.
     *
     * @param model      the estimator with the best weights (also saved)
     * @param history    every epoch
     * @param stopReason why training ended
     * @param splits     the rows of each split (of the finite simulations)
     * @param resumedAt  epochs done before this run
     * @param dropped    simulations dropped for NaN or Inf (including those dropped while loading)
     */
    public record Result(PosteriorModel model, List<EpochRecord> history, String stopReason, Splits splits,
                         int resumedAt, int dropped) {
    }

    /**
     * Trains {@code config} on {@code data}, whose parameters have the prior support {@code support} (in the order
     * of {@code data.paramNames()}), and saves the estimator in {@code out}.
     *
     * @throws IllegalArgumentException for unknown targets, too few simulations or a checkpoint of another training
     */
    public static Result run(NpeConfig config, RecordingSet data, PosteriorCard.Support support, Path out,
                             TrainingLoop.Listener listener) throws IOException {
        int[] finite = data.finiteRows();
        int dropped = data.dropped() + data.size() - finite.length;
        RecordingSet set = finite.length == data.size() ? data : data.subset(finite);
        var opt = config.training();
        StandardisedSet d = StandardisedSet.of(learnedSpace(set, support, config), config.input(), opt);
        List<Double> lo = new ArrayList<>();
        List<Double> hi = new ArrayList<>();
        List<String> families = new ArrayList<>();
        for (String name : d.targets().names()) {
            int c = set.paramNames().indexOf(name);
            lo.add(support.lower().get(c));
            hi.add(support.upper().get(c));
            families.add(support.prior() == null ? null : support.prior().get(c));
        }
        PosteriorCard draft = new PosteriorCard(PosteriorCard.FORMAT, PosteriorCard.FORMAT_VERSION,
                config.estimator(), d.input(), d.targets(), new PosteriorCard.Support(lo, hi,
                support.prior() == null ? null : families), config, null, null, dropped, null, null);
        PosteriorModel model = PosteriorModel.create(draft, TorchRuntime.device(opt.device()));
        ParameterInit.apply(model.network(), opt.seed());
        TrainingLoop.Objective objective = new TrainingLoop.Objective() {
            @Override
            public NDArray batchLoss(NDManager step, int[] rows, int from, int count) {
                return model.logProbStandardised(new ParameterStore(step, false), d.batchX(step, rows, from, count),
                        d.batchY(step, rows, from, count), true).mean().neg();
            }

            @Override
            public double validationLoss(int[] rows) {
                return meanNegLogProb(model, d, rows);
            }
        };
        TrainingLoop.Outcome fit = TrainingLoop.run(model.network(), model.manager(), opt, d.splits().train(),
                d.splits().validation(), TrainingLoop.Identity.of(config, set), out, ModelCard.FILE, objective, listener);
        PosteriorCard card = new PosteriorCard(draft.format(), draft.formatVersion(), draft.estimator(),
                draft.input(), draft.targets(), draft.support(), config, Training.provenance(set, d, opt, fit),
                embeddingStats(model, d), dropped, null, null);
        PosteriorModel done = new PosteriorModel(card, model.network(), model.manager());
        done.save(out);
        TrainingLoop.writeHistory(out.resolve("history.csv"), fit.history());
        TrainingLoop.finish(out);
        return new Result(done, fit.history(), fit.stopReason(), d.splits(), fit.resumedAt(), dropped);
    }

    /**
     * {@code set} with its target parameters in the space the estimator learns ({@link BoundsTransform}); other
     * parameters as they are.
     */
    private static RecordingSet learnedSpace(RecordingSet set, PosteriorCard.Support support, NpeConfig config) {
        List<String> targets = config.input().targets() != null ? config.input().targets() : set.paramNames();
        List<Double> lo = new ArrayList<>(support.lower());
        List<Double> hi = new ArrayList<>(support.upper());
        for (int c = 0; c < lo.size(); c++) {
            if (!targets.contains(set.paramNames().get(c))) {
                lo.set(c, null);
                hi.set(c, null);
            }
        }
        BoundsTransform t = BoundsTransform.of(new PosteriorCard.Support(lo, hi, support.prior()),
                config.estimator().bounds());
        if (t.identity()) {
            return set;
        }
        return set.withY(t.forwardAll(set.y(), set.paramNames()));
    }

    private static double meanNegLogProb(PosteriorModel model, StandardisedSet d, int[] rows) {
        double sum = 0;
        for (int b0 = 0; b0 < rows.length; b0 += EVAL_BATCH) {
            int nb = Math.min(EVAL_BATCH, rows.length - b0);
            try (NDManager step = model.manager().newSubManager()) {
                sum -= model.logProbStandardised(new ParameterStore(step, false), d.batchX(step, rows, b0, nb),
                        d.batchY(step, rows, b0, nb), false).sum().getFloat();
            }
        }
        return sum / rows.length;
    }

    /** Embeddings of {@code rows}, one row each. */
    private static double[][] embed(PosteriorModel model, StandardisedSet d, int[] rows) {
        double[][] e = new double[rows.length][];
        for (int b0 = 0; b0 < rows.length; b0 += EVAL_BATCH) {
            int nb = Math.min(EVAL_BATCH, rows.length - b0);
            try (NDManager step = model.manager().newSubManager()) {
                NDArray c = model.network().embed(new ParameterStore(step, false), d.batchX(step, rows, b0, nb),
                        false);
                int w = (int) c.getShape().get(1);
                float[] f = c.toFloatArray();
                for (int i = 0; i < nb; i++) {
                    e[b0 + i] = new double[w];
                    for (int j = 0; j < w; j++) {
                        e[b0 + i][j] = f[i * w + j];
                    }
                }
            }
        }
        return e;
    }

    /** Mean and precision of the training embeddings; the threshold from the validation split's distances. */
    static PosteriorCard.EmbeddingStats embeddingStats(PosteriorModel model, StandardisedSet d) {
        double[][] e = embed(model, d, d.splits().train());
        int w = e[0].length;
        double[] mean = new double[w];
        for (double[] r : e) {
            for (int j = 0; j < w; j++) {
                mean[j] += r[j] / e.length;
            }
        }
        boolean diagonal = w > FULL_PRECISION_MAX;
        double[][] cov = new double[w][w];
        for (double[] r : e) {
            for (int i = 0; i < w; i++) {
                for (int j = diagonal ? i : 0; j < (diagonal ? i + 1 : w); j++) {
                    cov[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / Math.max(1, e.length - 1);
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < w; i++) {
            trace += cov[i][i];
        }
        double ridge = 1e-6 * Math.max(trace / w, 1e-12);
        double[] precision;
        if (diagonal) {
            precision = new double[w];
            for (int i = 0; i < w; i++) {
                precision[i] = 1 / (cov[i][i] + ridge);
            }
        } else {
            for (int i = 0; i < w; i++) {
                cov[i][i] += ridge;
            }
            RealMatrix inv = new CholeskyDecomposition(MatrixUtils.createRealMatrix(cov), 1e-14, 0).getSolver()
                    .getInverse();
            precision = new double[w * w];
            for (int i = 0; i < w; i++) {
                for (int j = 0; j < w; j++) {
                    precision[i * w + j] = inv.getEntry(i, j);
                }
            }
        }
        PosteriorCard.EmbeddingStats partial = new PosteriorCard.EmbeddingStats(mean, precision, diagonal, 0);
        double[] dist = Arrays.stream(embed(model, d, d.splits().validation())).mapToDouble(partial::distance)
                .sorted().toArray();
        return new PosteriorCard.EmbeddingStats(mean, precision, diagonal, PosteriorSummary.quantile(dist, 0.999));
    }

    /** Removes a trained estimator and any checkpoint from {@code out}, for a fresh start. */
    public static void discard(Path out) throws IOException {
        TrainingLoop.discard(out, ModelCard.FILE);
    }
}
