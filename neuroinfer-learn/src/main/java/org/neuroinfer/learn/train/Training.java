package org.neuroinfer.learn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuroinfer.Version;
import org.neuroinfer.data.Checksums;
import org.neuroinfer.learn.Splits;
import org.neuroinfer.learn.Standardizer;
import org.neuroinfer.learn.data.RecordingSet;
import org.neuroinfer.learn.nn.ParameterInit;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;

/**
 * Trains an inverse network on a {@link RecordingSet}: seeded split, inputs and targets standardised with the
 * training split's statistics only, the configured loss, minimised by {@link Fit} (Adam, schedule, early stopping,
 * checkpoints and resume, a clear stop on a NaN loss).
 */
public final class Training {
    /** Folder of the checkpoint inside the model folder while training runs. */
    public static final String CHECKPOINT = Fit.CHECKPOINT;
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
    public static Result run(TrainingConfig config, RecordingSet data, Path out, Fit.Listener listener)
            throws IOException {
        TrainingConfig.Optimisation opt = config.training();
        List<String> names = config.input().targets() != null ? config.input().targets() : data.paramNames();
        int p = names.size();
        int[] cols = new int[p];
        for (int j = 0; j < p; j++) {
            cols[j] = data.paramNames().indexOf(names.get(j));
            if (cols[j] < 0) {
                throw new IllegalArgumentException("input.targets: the data set has no parameter '" + names.get(j)
                        + "'; it has " + data.paramNames());
            }
        }
        int n = data.size();
        if (n < 10) {
            throw new IllegalArgumentException("only " + n + " usable recordings; training needs at least 10");
        }
        Splits splits = Splits.of(n, opt.validation(), opt.test(), opt.seed());
        double[][] y = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                y[i][j] = data.y()[i][cols[j]];
            }
        }
        int ch = data.channels();
        int t = data.times();
        int len = ch * t;
        Standardizer xs = Standardizer.fitChannels(data.x(), ch, t, splits.train());
        Standardizer ys = Standardizer.fit(y, splits.train());
        float[] xz = data.x().clone();
        float[] yz = new float[n * p];
        for (int i = 0; i < n; i++) {
            xs.transformChannels(xz, i * len, t);
            double[] z = ys.transform(y[i]);
            for (int j = 0; j < p; j++) {
                yz[i * p + j] = (float) z[j];
            }
        }
        List<String> units = new ArrayList<>();
        for (int c : cols) {
            units.add(data.paramUnits().get(c));
        }
        List<Double> conditions = new ArrayList<>();
        for (int c : java.util.Arrays.stream(data.condition()).distinct().sorted().toArray()) {
            conditions.add(data.noiseFactors()[c]);
        }
        ModelCard.InputSpec in = new ModelCard.InputSpec(ch, data.rawTimes(), config.input().decimate(),
                List.of(), xs.mean(), xs.sd());
        ModelCard draft = new ModelCard(ModelCard.FORMAT, ModelCard.FORMAT_VERSION, config.network(), in,
                new ModelCard.TargetSpec(names, units, ys.mean(), ys.sd()), config, null, null);
        String key = Checksums.sha256(new ObjectMapper().writeValueAsBytes(config)) + ":" + data.datasetSha256()
                + ":" + n;

        InverseModel model = InverseModel.create(draft, TorchRuntime.device(opt.device()));
        ParameterInit.apply(model.block(), opt.seed());
        Fit.Objective objective = new Fit.Objective() {
            @Override
            public NDArray batchLoss(NDManager step, int[] rows, int from, int count) {
                float[] bx = new float[count * len];
                float[] by = new float[count * p];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(xz, rows[from + i] * len, bx, i * len, len);
                    System.arraycopy(yz, rows[from + i] * p, by, i * p, p);
                }
                NDArray pred = model.block().forward(new ParameterStore(step, false),
                        new NDList(step.create(bx, new Shape(count, ch, t))), true).singletonOrThrow();
                return loss(pred, step.create(by, new Shape(count, p)), opt.loss());
            }

            @Override
            public double validationLoss(int[] rows) {
                return evaluate(model, xz, yz, rows, len, p, ch, t, opt.loss());
            }
        };
        Fit.Outcome fit = Fit.run(model.block(), model.manager(), opt, splits.train(), splits.validation(), key, out,
                ModelCard.FILE, objective, listener);
        List<EpochRecord> history = fit.history();
        ModelCard.Provenance prov = new ModelCard.Provenance(Version.get(), data.datasetSha256(), conditions,
                opt.seed(), new int[]{splits.train().length, splits.validation().length, splits.test().length},
                history.size(), fit.bestEpoch(), fit.bestLoss(), fit.seconds(),
                "PyTorch " + TorchRuntime.engine().getVersion() + " via DJL");
        ModelCard card = new ModelCard(ModelCard.FORMAT, ModelCard.FORMAT_VERSION, config.network(), in,
                draft.targets(), config, prov, null);
        InverseModel done = new InverseModel(card, model.block(), model.manager());
        done.save(out);
        Fit.writeHistory(out.resolve("history.csv"), history);
        Fit.finish(out);
        return new Result(done, history, fit.stopReason(), splits, fit.resumedAt());
    }

    /** MSE, or minus the SNR in dB of the error: 10 log10(Σ(y-ŷ)²) - 10 log10(Σy²). */
    static NDArray loss(NDArray pred, NDArray y, String kind) {
        NDArray err = pred.sub(y).square();
        if (kind.equals("snr-db")) {
            return err.sum().log10().mul(10).sub(y.square().sum().log10().mul(10));
        }
        return err.mean();
    }

    /** The configured loss over {@code rows}, without dropout. */
    static double evaluate(InverseModel model, float[] xz, float[] yz, int[] rows, int len, int p, int ch, int t,
                           String kind) {
        double sq = 0;
        double sig = 0;
        for (int b0 = 0; b0 < rows.length; b0 += EVAL_BATCH) {
            int nb = Math.min(EVAL_BATCH, rows.length - b0);
            try (NDManager step = model.manager().newSubManager()) {
                float[] bx = new float[nb * len];
                for (int i = 0; i < nb; i++) {
                    System.arraycopy(xz, rows[b0 + i] * len, bx, i * len, len);
                }
                float[] pred = model.block().forward(new ParameterStore(step, false),
                        new NDList(step.create(bx, new Shape(nb, ch, t))), false).singletonOrThrow().toFloatArray();
                for (int i = 0; i < nb; i++) {
                    for (int j = 0; j < p; j++) {
                        double yv = yz[rows[b0 + i] * p + j];
                        double d = pred[i * p + j] - yv;
                        sq += d * d;
                        sig += yv * yv;
                    }
                }
            }
        }
        return kind.equals("snr-db") ? 10 * Math.log10(sq) - 10 * Math.log10(sig) : sq / ((double) rows.length * p);
    }

    /** Removes a trained model and any checkpoint from {@code out}, for a fresh start ({@code --force}). */
    public static void discard(Path out) throws IOException {
        Fit.discard(out, ModelCard.FILE);
    }
}
