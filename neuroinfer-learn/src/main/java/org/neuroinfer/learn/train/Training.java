package org.neuroinfer.learn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.neuroinfer.Version;
import org.neuroinfer.learn.Splits;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.nn.ParameterInit;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.nn.Scalars;

/**
 * Trains an inverse network on a {@link RecordingSet}: seeded split, inputs and targets standardised with the
 * training split's statistics only, the configured loss, minimised by {@link TrainingLoop} (Adam, schedule, early stopping,
 * checkpoints and resume, a clear stop on a NaN loss).
 */
public final class Training {
    /** Folder of the checkpoint inside the model folder while training runs. */
    public static final String CHECKPOINT = TrainingLoop.CHECKPOINT;
    private static final int EVAL_BATCH = 256;

    /**
     * The outcome.
     *
     * @param model      the model with the best weights (also saved)
     * @param history    every epoch
     * @param stopReason why training ended
     * @param splits     the rows of each split
     * @param resumedAt  epochs already done when this run started (0 for a fresh start)
     */
    public record Result(InverseModel model, List<EpochRecord> history, String stopReason, Splits splits,
                         int resumedAt) {
    }

    private Training() {
    }

    /**
     * Trains {@code config} on {@code data} and saves the model in {@code out}; resumes from {@code out}'s checkpoint
     * if one of the same training is there.
     *
     * @throws IllegalArgumentException for unknown targets, or a checkpoint of a different training in {@code out}
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public static Result run(TrainingConfig config, RecordingSet data, Path out, TrainingLoop.Listener listener)
            throws IOException {
        TrainingConfig.Optimisation opt = config.training();
        StandardisedSet d = StandardisedSet.of(data, config.input(), opt);
        ModelCard draft = new ModelCard(ModelCard.FORMAT, ModelCard.FORMAT_VERSION, config.network(), d.input(),
                d.targets(), config, null, null, null);
        InverseModel model = InverseModel.create(draft, TorchRuntime.device(opt.device()));
        ParameterInit.apply(model.block(), opt.seed());
        TrainingLoop.Objective objective = new TrainingLoop.Objective() {
            @Override
            public NDArray batchLoss(NDManager step, int[] rows, int from, int count) {
                NDArray pred = model.block().forward(new ParameterStore(step, false),
                        new NDList(d.batchX(step, rows, from, count)), true).singletonOrThrow();
                return loss(pred, d.batchY(step, rows, from, count), opt.loss());
            }

            @Override
            public double validationLoss(int[] rows) {
                return evaluate(model, d, rows, opt.loss());
            }
        };
        TrainingLoop.Outcome fit = TrainingLoop.run(model.block(), model.manager(), opt, d.splits().train(), d.splits().validation(),
                TrainingLoop.Identity.of(config, data), out, ModelCard.FILE, objective, listener);
        List<EpochRecord> history = fit.history();
        ModelCard card = new ModelCard(ModelCard.FORMAT, ModelCard.FORMAT_VERSION, config.network(), d.input(),
                d.targets(), config, provenance(data, d, opt, fit), null, null);
        InverseModel done = new InverseModel(card, model.block(), model.manager());
        done.save(out);
        TrainingLoop.writeHistory(out.resolve("history.csv"), history);
        TrainingLoop.finish(out);
        return new Result(done, history, fit.stopReason(), d.splits(), fit.resumedAt());
    }

    /** How a model trained on {@code data} with {@code opt} came about. */
    public static ModelCard.Provenance provenance(RecordingSet data, StandardisedSet d, TrainingConfig.Optimisation opt,
                                                 TrainingLoop.Outcome fit) {
        return new ModelCard.Provenance(Version.get(), data.datasetSha256(), d.conditions(), opt.seed(),
                d.splitSizes(), fit.history().size(), fit.bestEpoch(), fit.bestLoss(), fit.seconds(),
                TorchRuntime.describe());
    }

    /** MSE, or minus the SNR in dB of the error: 10 log10(Σ(y-ŷ)²) - 10 log10(Σy²). */
    static NDArray loss(NDArray pred, NDArray y, String kind) {
        NDArray err = pred.sub(y).square();
        if (kind.equals("snr-db")) {
            return Scalars.times(err.sum().log10(), 10).sub(Scalars.times(y.square().sum().log10(), 10));
        }
        return err.mean();
    }

    /** The configured loss over {@code rows}, without dropout. */
    static double evaluate(InverseModel model, StandardisedSet d, int[] rows, String kind) {
        double sq = 0;
        double sig = 0;
        int p = d.p();
        for (int b0 = 0; b0 < rows.length; b0 += EVAL_BATCH) {
            int nb = Math.min(EVAL_BATCH, rows.length - b0);
            try (NDManager step = model.manager().newSubManager()) {
                float[] pred = model.block().forward(new ParameterStore(step, false),
                        new NDList(d.batchX(step, rows, b0, nb)), false).singletonOrThrow().toFloatArray();
                for (int i = 0; i < nb; i++) {
                    for (int j = 0; j < p; j++) {
                        double yv = d.y()[rows[b0 + i] * p + j];
                        double e = pred[i * p + j] - yv;
                        sq += e * e;
                        sig += yv * yv;
                    }
                }
            }
        }
        return kind.equals("snr-db") ? 10 * Math.log10(sq) - 10 * Math.log10(sig) : sq / ((double) rows.length * p);
    }

    /** Removes a trained model and any checkpoint from {@code out}, for a fresh start ({@code --force}). */
    public static void discard(Path out) throws IOException {
        TrainingLoop.discard(out, ModelCard.FILE);
    }
}
