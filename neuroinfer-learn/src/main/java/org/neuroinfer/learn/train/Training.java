package org.neuroinfer.learn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;
import org.neuroinfer.Version;
import org.neuroinfer.data.AtomicFiles;
import org.neuroinfer.data.Checksums;
import org.neuroinfer.learn.Splits;
import org.neuroinfer.learn.Standardizer;
import org.neuroinfer.learn.data.RecordingSet;
import org.neuroinfer.learn.nn.ParameterInit;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.store.WeightFile;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.random.RandomStreams;

/**
 * Trains an inverse network on a {@link RecordingSet}: seeded split, inputs and targets standardised with the
 * training split's statistics only, Adam, the configured loss, learning-rate schedule, early stopping that restores
 * the best weights, a checkpoint after every epoch (a killed run started again continues from it, bit for bit on
 * the same machine and thread count) and a clear stop on a NaN loss.
 */
public final class Training {
    /** Folder of the checkpoint inside the model folder while training runs. */
    public static final String CHECKPOINT = "checkpoint";
    private static final int EVAL_BATCH = 256;

    /** Told about progress. */
    public interface Listener {
        /** After each batch. */
        default void batch(int epoch, int done, int total, double loss) {
        }

        /** After each epoch. */
        default void epoch(EpochRecord record) {
        }
    }

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

    /** What a checkpoint's {@code state.json} holds. */
    record State(@JsonProperty("key") String key, @JsonProperty("epoch") int epoch,
                 @JsonProperty("learning_rate") double learningRate, @JsonProperty("best") double best,
                 @JsonProperty("best_epoch") int bestEpoch, @JsonProperty("since_best") int sinceBest,
                 @JsonProperty("since_lr_change") int sinceLrChange,
                 @JsonProperty("history") List<EpochRecord> history) {
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
    public static Result run(TrainingConfig config, RecordingSet data, Path out, Listener listener)
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
        String key = Checksums.sha256(new ObjectMapper().writeValueAsBytes(config) ) + ":" + data.datasetSha256()
                + ":" + n;

        InverseModel model = InverseModel.create(draft, TorchRuntime.device(opt.device()));
        ParameterInit.apply(model.block(), opt.seed());
        ParameterList params = model.block().getParameters();
        for (Pair<String, Parameter> prm : params) {
            prm.getValue().getArray().setRequiresGradient(true);
        }
        NDManager base = model.manager();
        Adam adam = new Adam(base, opt.weightDecay());
        Files.createDirectories(out);
        Resumed resumed = resume(out, key, model, adam);
        State state = resumed.state();
        int resumedAt = state.epoch();
        float[][] best = resumed.best();
        double lr = state.learningRate();
        double bestLoss = state.best();
        int bestEpoch = state.bestEpoch();
        int sinceBest = state.sinceBest();
        int sinceLr = state.sinceLrChange();
        List<EpochRecord> history = new ArrayList<>(state.history());
        String stop = "reached training.epochs (" + opt.epochs() + ")";
        int[] train = splits.train();
        int steps = (train.length + opt.batchSize() - 1) / opt.batchSize();
        for (int epoch = state.epoch() + 1; epoch <= opt.epochs(); epoch++) {
            if (sinceBest >= opt.patience()) {
                stop = "early stopping: no improvement for " + opt.patience() + " epochs";
                break;
            }
            long t0 = System.nanoTime();
            if (opt.schedule().equals("cosine")) {
                lr = opt.learningRate() * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / opt.epochs()));
            }
            int[] order = shuffled(train, opt.seed(), epoch);
            TorchRuntime.seed(opt.seed() * 1_000_003L + epoch);
            double sum = 0;
            for (int s = 0; s < steps; s++) {
                int from = s * opt.batchSize();
                int nb = Math.min(opt.batchSize(), order.length - from);
                double loss = step(model, params, adam, xz, yz, order, from, nb, len, p, ch, t, opt, lr);
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException("the training loss became " + loss + " at epoch " + epoch
                            + ", batch " + (s + 1) + " of " + steps + "; lower training.learning_rate (now " + lr
                            + "), set training.clip_norm, or check the data for extreme values. " + out + "/"
                            + CHECKPOINT + " holds the last good epoch (" + (epoch - 1) + ")");
                }
                sum += loss * nb;
                listener.batch(epoch, s + 1, steps, loss);
            }
            double val = evaluate(model, xz, yz, splits.validation(), len, p, ch, t, opt.loss());
            boolean improved = val < bestLoss;
            if (improved) {
                bestLoss = val;
                bestEpoch = epoch;
                sinceBest = 0;
                best = snapshot(model);
            } else {
                sinceBest++;
            }
            EpochRecord rec = new EpochRecord(epoch, sum / train.length, val, lr, (System.nanoTime() - t0) / 1e9,
                    improved);
            history.add(rec);
            if (opt.schedule().equals("plateau")) {
                sinceLr = improved ? 0 : sinceLr + 1;
                if (sinceLr >= opt.lrPatience() && lr > opt.learningRate() * 1e-3) {
                    lr *= 0.5;
                    sinceLr = 0;
                }
            }
            writeCheckpoint(out, new State(key, epoch, lr, bestLoss, bestEpoch, sinceBest, sinceLr, history), model,
                    best, adam);
            listener.epoch(rec);
        }
        restore(model, best);
        double seconds = history.stream().mapToDouble(EpochRecord::seconds).sum();
        ModelCard.Provenance prov = new ModelCard.Provenance(Version.get(), data.datasetSha256(), conditions,
                opt.seed(), new int[]{splits.train().length, splits.validation().length, splits.test().length},
                history.size(), bestEpoch, bestLoss, seconds, "PyTorch " + TorchRuntime.engine().getVersion()
                + " via DJL");
        ModelCard card = new ModelCard(ModelCard.FORMAT, ModelCard.FORMAT_VERSION, config.network(), in,
                draft.targets(), config, prov, null);
        InverseModel done = new InverseModel(card, model.block(), base);
        done.save(out);
        writeHistory(out.resolve("history.csv"), history);
        deleteTree(out.resolve(CHECKPOINT));
        return new Result(done, history, stop, splits, resumedAt);
    }

    private static double step(InverseModel model, ParameterList params, Adam adam, float[] xz,
                               float[] yz, int[] order, int from, int nb, int len, int p, int ch, int t,
                               TrainingConfig.Optimisation opt, double lr) {
        try (NDManager step = model.manager().newSubManager()) {
            float[] bx = new float[nb * len];
            float[] by = new float[nb * p];
            for (int i = 0; i < nb; i++) {
                System.arraycopy(xz, order[from + i] * len, bx, i * len, len);
                System.arraycopy(yz, order[from + i] * p, by, i * p, p);
            }
            NDArray x = step.create(bx, new Shape(nb, ch, t));
            NDArray y = step.create(by, new Shape(nb, p));
            double value;
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray pred = model.block().forward(new ParameterStore(step, false), new NDList(x), true)
                        .singletonOrThrow();
                NDArray loss = loss(pred, y, opt.loss());
                value = loss.getFloat();
                if (!Double.isFinite(value)) {
                    return value;
                }
                gc.backward(loss);
            }
            if (opt.clipNorm() > 0) {
                clip(params, opt.clipNorm());
            }
            adam.update(params, lr);
            return value;
        }
    }

    /** MSE, or minus the SNR in dB of the error: 10 log10(Σ(y-ŷ)²) - 10 log10(Σy²). */
    static NDArray loss(NDArray pred, NDArray y, String kind) {
        NDArray err = pred.sub(y).square();
        if (kind.equals("snr-db")) {
            return err.sum().log10().mul(10).sub(y.square().sum().log10().mul(10));
        }
        return err.mean();
    }

    private static void clip(ParameterList params, double max) {
        try (NDScope scope = new NDScope()) {
            double total = 0;
            for (Pair<String, Parameter> prm : params) {
                total += prm.getValue().getArray().getGradient().square().sum().getFloat();
            }
            double norm = Math.sqrt(total);
            if (norm > max) {
                for (Pair<String, Parameter> prm : params) {
                    prm.getValue().getArray().getGradient().muli(max / norm);
                }
            }
            scope.suppressNotUsedWarning();
        }
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

    static int[] shuffled(int[] rows, long seed, int epoch) {
        int[] o = rows.clone();
        UniformRandomProvider rng = RandomStreams.stream(seed, epoch, RandomStreams.SHUFFLE);
        for (int i = o.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = o[i];
            o[i] = o[j];
            o[j] = tmp;
        }
        return o;
    }

    private static float[][] snapshot(InverseModel model) {
        ParameterList ps = model.block().getParameters();
        float[][] s = new float[ps.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = ps.get(i).getValue().getArray().toFloatArray();
        }
        return s;
    }

    private static void restore(InverseModel model, float[][] weights) {
        ParameterList ps = model.block().getParameters();
        for (int i = 0; i < weights.length; i++) {
            ps.get(i).getValue().getArray().set(weights[i]);
        }
    }

    /** Where a run starts: its state and the best weights so far (the initial ones for a fresh start). */
    private record Resumed(State state, float[][] best) {
    }

    /** Restores weights, Adam's moments, state and best weights from {@code out}'s checkpoint, read once. */
    private static Resumed resume(Path out, String key, InverseModel model, Adam adam) throws IOException {
        Path dir = checkpointDir(out);
        if (dir == null) {
            if (Files.exists(out.resolve(ModelCard.FILE))) {
                throw new org.neuroinfer.data.OutputExistsException(out.resolve(ModelCard.FILE));
            }
            return new Resumed(new State(key, 0, model.card().training().training().learningRate(),
                    Double.POSITIVE_INFINITY, 0, 0, 0, List.of()), snapshot(model));
        }
        State s = new ObjectMapper().readValue(dir.resolve("state.json").toFile(), State.class);
        if (!key.equals(s.key())) {
            throw new IllegalArgumentException(out + " holds the checkpoint of a different training (another "
                    + "configuration or data set); use --force to start afresh, or another --out");
        }
        WeightFile w = WeightFile.read(dir.resolve("state.npz"));
        w.loadInto(model.block(), "");
        adam.restore(w, model.block().getParameters());
        ParameterList ps = model.block().getParameters();
        float[][] best = new float[ps.size()][];
        for (int i = 0; i < best.length; i++) {
            best[i] = w.floats("best." + ps.get(i).getKey(), ps.get(i).getValue().getArray().getShape());
        }
        return new Resumed(s, best);
    }

    /** The checkpoint folder, or its previous copy if a kill came between the two renames; null if none. */
    private static Path checkpointDir(Path out) {
        Path dir = out.resolve(CHECKPOINT);
        Path old = out.resolve(CHECKPOINT + ".old");
        if (Files.exists(dir.resolve("state.json"))) {
            return dir;
        }
        return Files.exists(old.resolve("state.json")) ? old : null;
    }

    /** Writes the checkpoint into a fresh folder, then swaps it in, so a kill never leaves a half checkpoint. */
    private static void writeCheckpoint(Path out, State state, InverseModel model, float[][] best, Adam adam)
            throws IOException {
        Path tmp = out.resolve(CHECKPOINT + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        WeightFile.Builder w = new WeightFile.Builder().putAll(model.block(), "");
        ParameterList ps = model.block().getParameters();
        for (int i = 0; i < ps.size(); i++) {
            w.put("best." + ps.get(i).getKey(), best[i], ps.get(i).getValue().getArray().getShape());
        }
        adam.save(w);
        w.write(tmp.resolve("state.npz"));
        byte[] json = new ObjectMapper().writeValueAsBytes(state);
        AtomicFiles.write(tmp.resolve("state.json"), true, o -> o.write(json));
        Path dir = out.resolve(CHECKPOINT);
        Path old = out.resolve(CHECKPOINT + ".old");
        deleteTree(old);
        if (Files.exists(dir)) {
            Files.move(dir, old);
        }
        Files.move(tmp, dir);
        deleteTree(old);
    }

    private static void writeHistory(Path file, List<EpochRecord> history) throws IOException {
        StringBuilder sb = new StringBuilder("epoch,train_loss,validation_loss,learning_rate,seconds,improved\n");
        for (EpochRecord r : history) {
            sb.append(r.epoch()).append(',').append(r.trainLoss()).append(',').append(r.validationLoss()).append(',')
                    .append(r.learningRate()).append(',').append(r.seconds()).append(',').append(r.improved())
                    .append('\n');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, true, o -> o.write(b));
    }

    /** Removes a trained model and any checkpoint from {@code out}, for a fresh start ({@code --force}). */
    public static void discard(Path out) throws IOException {
        Files.deleteIfExists(out.resolve(ModelCard.FILE));
        for (String d : new String[]{CHECKPOINT, CHECKPOINT + ".old", CHECKPOINT + ".tmp"}) {
            deleteTree(out.resolve(d));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
