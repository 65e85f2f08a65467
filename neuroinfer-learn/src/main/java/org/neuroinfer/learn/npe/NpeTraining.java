package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import org.neuroinfer.learn.Standardiser;
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
     * The atomic loss of automatic posterior transformation (APT, SNPE-C; Greenberg, Nonnenmacher &amp; Macke 2019,
     * ICML, eq. 7 with atomic proposals), for simulations whose parameters were drawn from proposals other than the
     * prior: each pair (θ_i, x_i) of a batch is scored against {@code atoms} − 1 parameter sets of other pairs of
     * the batch, loss_i = −log [q(θ_i | x_i) / p(θ_i)] / Σ_k [q(θ_k | x_i) / p(θ_k)], whose minimiser is the
     * posterior whatever the proposals were. Affine standardisation cancels from the ratio; a transform of the
     * bounds does not, and its Jacobian is taken into the prior's density of the learned parameters.
     *
     * @param logPrior log p of the targets' prior at a full parameter row (in the order of the data's parameters)
     * @param atoms    parameter sets each pair is scored against, itself included (sbi's default: 10)
     * @param seed     seed of the choice of atoms
     */
    public record Atomic(java.util.function.ToDoubleFunction<double[]> logPrior, int atoms, long seed) {
        public Atomic {
            if (atoms < 2) {
                throw new IllegalArgumentException("atoms must be >= 2, got " + atoms);
            }
        }
    }

    /**
     * Trains {@code config} on {@code data}, whose parameters have the prior support {@code support} (in the order
     * of {@code data.paramNames()}), and saves the estimator in {@code out}.
     *
     * @throws IllegalArgumentException for unknown targets, too few simulations or a checkpoint of another training
     */
    public static Result run(NpeConfig config, RecordingSet data, PosteriorCard.Support support, Path out,
                             TrainingLoop.Listener listener) throws IOException {
        return run(config, data, support, out, listener, null);
    }

    /**
     * As above, with the loss of maximum likelihood ({@code atomic} null: simulations from the prior) or APT's
     * atomic loss (simulations from other proposals).
     */
    public static Result run(NpeConfig config, RecordingSet data, PosteriorCard.Support support, Path out,
                             TrainingLoop.Listener listener, Atomic atomic) throws IOException {
        return run(config, data, support, out, listener, atomic, null);
    }

    /**
     * As above, continuing {@code start} (an estimator of the same configuration: its weights and its
     * standardisation) instead of starting from fresh weights, when it is not null.
     */
    public static Result run(NpeConfig config, RecordingSet data, PosteriorCard.Support support, Path out,
                             TrainingLoop.Listener listener, Atomic atomic, PosteriorModel start) throws IOException {
        int[] finite = data.finiteRows();
        int dropped = data.dropped() + data.size() - finite.length;
        RecordingSet set = finite.length == data.size() ? data : data.subset(finite);
        var opt = config.training();
        BoundsTransform transform = learnedTransform(set, support, config);
        StandardisedSet d = StandardisedSet.of(transform.identity() ? set
                : set.withY(transform.forwardAll(set.y(), set.paramNames())), config.input(), opt,
                start == null ? null : new Standardiser(start.card().input().mean(), start.card().input().sd()),
                start == null ? null : new Standardiser(start.card().targets().mean(), start.card().targets().sd()));
        float[] logPrior = atomic == null ? null : learnedLogPrior(set, transform, atomic);
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
        if (start == null) {
            ParameterInit.apply(model.network(), opt.seed());
        } else {
            var from = start.network().getParameters();
            var to = model.network().getParameters();
            for (int i = 0; i < to.size(); i++) {
                to.get(i).getValue().getArray().set(from.get(i).getValue().getArray().toFloatArray());
            }
        }
        TrainingLoop.Objective objective = new TrainingLoop.Objective() {
            @Override
            public NDArray batchLoss(NDManager step, int[] rows, int from, int count) {
                if (atomic != null) {
                    java.util.SplittableRandom rng = new java.util.SplittableRandom(atomic.seed()
                            ^ (0x9E3779B97F4A7C15L * (rows[from] + 1L)) ^ ((long) from << 32));
                    return atomicLoss(model, d, logPrior, atomic.atoms(), step, rows, from, count, true, rng).mean();
                }
                return model.logProbStandardised(new ParameterStore(step, false), d.batchX(step, rows, from, count),
                        d.batchY(step, rows, from, count), true).mean().neg();
            }

            @Override
            public double validationLoss(int[] rows) {
                if (atomic != null) { // the same atoms at every epoch, so that epochs compare
                    java.util.SplittableRandom rng = new java.util.SplittableRandom(atomic.seed());
                    double sum = 0;
                    for (int b0 = 0; b0 < rows.length; b0 += EVAL_BATCH) {
                        int nb = Math.min(EVAL_BATCH, rows.length - b0);
                        try (NDManager step = model.manager().newSubManager()) {
                            sum += atomicLoss(model, d, logPrior, atomic.atoms(), step, rows, b0, nb, false, rng)
                                    .sum().getFloat();
                        }
                    }
                    return sum / rows.length;
                }
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
     * APT's atomic loss of the pairs {@code rows[from .. from+count)}, one value per pair [count]: each pair's
     * recording is scored against its own parameters and {@code atoms} − 1 others of the batch drawn without
     * replacement by {@code rng}. The recordings are embedded once and the contexts and parameter sets of the
     * (pair, atom) rows picked by one-hot matrices, so that gradients flow through both.
     */
    static NDArray atomicLoss(PosteriorModel model, StandardisedSet d, float[] logPrior, int atoms, NDManager m,
                              int[] rows, int from, int count, boolean training, java.util.SplittableRandom rng) {
        ParameterStore store = new ParameterStore(m, false);
        int k = Math.min(atoms, count);
        if (k < 2) {
            return model.logProbStandardised(store, d.batchX(m, rows, from, count), d.batchY(m, rows, from, count),
                    training).neg();
        }
        int pairs = count * k;
        float[] pickContext = new float[pairs * count];
        float[] pickTheta = new float[pairs * count];
        float[] prior = new float[pairs];
        int[] others = new int[count - 1];
        for (int i = 0; i < count; i++) {
            for (int j = 0, o = 0; j < count; j++) {
                if (j != i) {
                    others[o++] = j;
                }
            }
            for (int a = 0; a < k; a++) {
                int atom;
                if (a == 0) {
                    atom = i;
                } else { // a partial Fisher-Yates shuffle of the others
                    int r = a - 1 + rng.nextInt(count - a);
                    atom = others[r];
                    others[r] = others[a - 1];
                    others[a - 1] = atom;
                }
                int row = i * k + a;
                pickContext[row * count + i] = 1;
                pickTheta[row * count + atom] = 1;
                prior[row] = logPrior[rows[from + atom]];
            }
        }
        NDArray context = m.create(pickContext, new Shape(pairs, count))
                .matMul(model.network().embed(store, d.batchX(m, rows, from, count), training));
        NDArray theta = m.create(pickTheta, new Shape(pairs, count)).matMul(d.batchY(m, rows, from, count));
        NDArray ratio = model.network().density().logProb(store, context, theta, training).reshape(count, k)
                .sub(m.create(prior, new Shape(count, k)));
        return ratio.logSoftmax(1).get(":, 0").neg();
    }

    /**
     * log p of each row's targets in the space the estimator learns: the prior's log density less the log
     * Jacobian of the bounds' transform (standardisation is affine and cancels from APT's ratio).
     */
    private static float[] learnedLogPrior(RecordingSet set, BoundsTransform transform, Atomic atomic) {
        float[] lp = new float[set.size()];
        for (int i = 0; i < lp.length; i++) {
            double[] theta = set.y()[i];
            double v = atomic.logPrior().applyAsDouble(theta)
                    - (transform.identity() ? 0 : transform.logAbsDetJacobian(theta));
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("simulation " + i + " has parameters outside the prior's support "
                        + "(log prior " + v + "); APT's loss needs every parameter set inside it");
            }
            lp[i] = (float) v;
        }
        return lp;
    }

    /**
     * The transform of the target parameters into the space the estimator learns ({@link BoundsTransform}); other
     * parameters as they are.
     */
    private static BoundsTransform learnedTransform(RecordingSet set, PosteriorCard.Support support,
                                                   NpeConfig config) {
        List<String> targets = config.input().targets() != null ? config.input().targets() : set.paramNames();
        List<Double> lo = new ArrayList<>(support.lower());
        List<Double> hi = new ArrayList<>(support.upper());
        for (int c = 0; c < lo.size(); c++) {
            if (!targets.contains(set.paramNames().get(c))) {
                lo.set(c, null);
                hi.set(c, null);
            }
        }
        return BoundsTransform.of(new PosteriorCard.Support(lo, hi, support.prior()), config.estimator().bounds());
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
