package org.neuroinfer.learn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.io.OutputExistsException;
import org.neuroinfer.io.StageStamp;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.store.WeightFile;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.random.RandomStreams;

/**
 * The optimisation loop shared by every trained model (inverse networks and posterior estimators): shuffled
 * mini-batches, Adam, gradient clipping, the learning-rate schedule, early stopping that restores the best weights,
 * an atomic checkpoint after every epoch (a killed run started again continues from it, bit for bit on the same
 * machine and thread count) and a clear stop on a non-finite loss. What is minimised is an {@link Objective}.
 */
public final class TrainingLoop {
    /** Folder of the checkpoint inside the output folder while training runs. */
    public static final String CHECKPOINT = "checkpoint";

    /** What is minimised. */
    public interface Objective {
        /**
         * The mean loss of the examples {@code rows[from .. from+count)}, in training mode (dropout on), computed
         * with arrays of {@code step} so that its gradient can be taken.
         */
        NDArray batchLoss(NDManager step, int[] rows, int from, int count);

        /** The loss over {@code rows} in inference mode, as early stopping compares it. */
        double validationLoss(int[] rows);
    }

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
     * How a fit ended; the block holds the best weights.
     *
     * @param history    every epoch, including those of an earlier, interrupted run
     * @param stopReason why it ended
     * @param bestEpoch  the epoch whose weights were kept
     * @param bestLoss   its validation loss
     * @param seconds    training time summed over epochs
     * @param resumedAt  epochs already done when this run started (0 for a fresh start)
     */
    public record Outcome(List<EpochRecord> history, String stopReason, int bestEpoch, double bestLoss,
                          double seconds, int resumedAt) {
    }

    /** What a checkpoint's {@code state.json} holds. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record State(@JsonProperty("key") String key, @JsonProperty("epoch") int epoch,
                 @JsonProperty("learning_rate") double learningRate, @JsonProperty("best") double best,
                 @JsonProperty("best_epoch") int bestEpoch, @JsonProperty("since_best") int sinceBest,
                 @JsonProperty("since_lr_change") int sinceLrChange,
                 @JsonProperty("history") List<EpochRecord> history,
                 @JsonProperty("settings") JsonNode settings) {
    }

    private TrainingLoop() {
    }

    /**
     * What a training is: the key its checkpoint must carry to be resumed (the configuration's hash, the data set's
     * and its size, as earlier versions wrote it) and the same as a tree, kept in the checkpoint so that one of
     * another training is refused naming what changed.
     *
     * @param key      the checkpoint key
     * @param settings the configuration, the data set's checksum and its size
     */
    public record Identity(String key, JsonNode settings) {
        /** The identity of a training with {@code config} on {@code data}. */
        public static Identity of(Object config, RecordingSet data) throws IOException {
            String key = Checksums.sha256(new ObjectMapper().writeValueAsBytes(config)) + ":" + data.datasetSha256()
                    + ":" + data.size();
            java.util.Map<String, Object> s = new java.util.LinkedHashMap<>();
            s.put("config", config);
            s.put("dataset_sha256", data.datasetSha256());
            s.put("recordings", data.size());
            return new Identity(key, StageStamp.canonical(StageStamp.tree(s)));
        }
    }

    /**
     * Optimises {@code block} (initialised, owned by {@code base}) on the {@code train} rows, validating on
     * {@code validation}; resumes from {@code out}'s checkpoint if it holds one of the same {@code identity}.
     *
     * @param marker a file whose presence in {@code out} means a finished result is there (refused unless discarded)
     * @throws IllegalArgumentException for a checkpoint of another training in {@code out}
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public static Outcome run(Block block, NDManager base, TrainingConfig.Optimisation opt, int[] train,
                              int[] validation, Identity identity, Path out, String marker, Objective objective,
                              Listener listener) throws IOException {
        // on any thread but the one that started the engine (a Spark task, a pool) autograd starts on, and the
        // in-place updates of the weights outside a gradient collector would be refused
        try (TorchRuntime.NoGrad g = TorchRuntime.noGrad()) {
            return train(block, base, opt, train, validation, identity, out, marker, objective, listener);
        }
    }

    private static Outcome train(Block block, NDManager base, TrainingConfig.Optimisation opt, int[] train,
                                 int[] validation, Identity identity, Path out, String marker, Objective objective,
                                 Listener listener) throws IOException {
        String key = identity.key();
        JsonNode settings = identity.settings();
        ParameterList params = block.getParameters();
        // what the optimiser updates: not batch norm's running statistics, which the forward pass maintains
        ParameterList trainable = new ParameterList();
        for (Pair<String, Parameter> prm : params) {
            if (prm.getValue().requiresGradient()) {
                prm.getValue().getArray().setRequiresGradient(true);
                trainable.add(prm.getKey(), prm.getValue());
            }
        }
        Adam adam = new Adam(base, opt.weightDecay());
        Average average = opt.ema() == null ? null : new Average(base, trainable, opt.ema());
        Files.createDirectories(out);
        State state;
        float[][] best;
        Path dir = checkpointDir(out);
        if (dir == null) {
            if (Files.exists(out.resolve(marker))) {
                throw new OutputExistsException(out.resolve(marker));
            }
            state = new State(key, 0, opt.learningRate(), Double.POSITIVE_INFINITY, 0, 0, 0, List.of(), settings);
            best = snapshot(params);
        } else {
            state = new ObjectMapper().readValue(dir.resolve("state.json").toFile(), State.class);
            if (!key.equals(state.key())) {
                String changed = state.settings() == null ? "another configuration or data set"
                        : String.join("; ", StageStamp.differences(state.settings(), settings));
                throw new IllegalArgumentException(out + " holds the checkpoint of a different training (" + changed
                        + "); use --force to start afresh, or another --out");
            }
            WeightFile w = WeightFile.read(dir.resolve("state.npz"));
            w.loadInto(block, "");
            adam.restore(w, trainable);
            if (average != null) {
                average.restore(w);
            }
            best = new float[params.size()][];
            for (int i = 0; i < best.length; i++) {
                best[i] = w.floats("best." + params.get(i).getKey(), params.get(i).getValue().getArray().getShape());
            }
        }
        int resumedAt = state.epoch();
        double lr = state.learningRate();
        double bestLoss = state.best();
        int bestEpoch = state.bestEpoch();
        int sinceBest = state.sinceBest();
        int sinceLr = state.sinceLrChange();
        List<EpochRecord> history = new ArrayList<>(state.history());
        String stop = "reached training.epochs (" + opt.epochs() + ")";
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
                double loss = step(base, trainable, adam, objective, order, from, nb, opt.clipNorm(), lr);
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException("the training loss or its gradient became " + loss
                            + " at epoch " + epoch
                            + ", batch " + (s + 1) + " of " + steps + "; lower training.learning_rate (now " + lr
                            + "), set training.clip_norm, or check the data for extreme values. " + out + "/"
                            + CHECKPOINT + " holds the last good epoch (" + (epoch - 1) + ")");
                }
                if (average != null) {
                    average.update();
                }
                sum += loss * nb;
                listener.batch(epoch, s + 1, steps, loss);
            }
            // with averaging, the averaged weights are validated and kept, and training goes on from the raw ones
            float[][] raw = average == null ? null : average.swapIn(params);
            double val = scoped(() -> objective.validationLoss(validation));
            boolean improved = val < bestLoss;
            if (improved) {
                bestLoss = val;
                bestEpoch = epoch;
                sinceBest = 0;
                best = snapshot(params);
            } else {
                sinceBest++;
            }
            if (raw != null) {
                restore(params, raw);
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
            State now = new State(key, epoch, lr, bestLoss, bestEpoch, sinceBest, sinceLr, history, settings);
            float[][] kept = best;
            scoped(() -> {
                writeCheckpoint(out, now, block, kept, adam, average);
                return 0.0;
            });
            listener.epoch(rec);
        }
        restore(params, best);
        double seconds = history.stream().mapToDouble(EpochRecord::seconds).sum();
        return new Outcome(history, stop, bestEpoch, bestLoss, seconds, resumedAt);
    }

    /** Held while a gradient collector collects. */
    private static final Object COLLECTING = new Object();

    private static double step(NDManager base, ParameterList params, Adam adam, Objective objective, int[] order,
                               int from, int nb, double clipNorm, double lr) {
        // the scope frees every array the step makes, whichever manager holds it: an operation on a weight puts its
        // result in the weight's long-lived manager, where it would stay until training ends (~400 KB a step)
        try (NDScope scope = new NDScope(); NDManager step = base.newSubManager()) {
            scope.suppressNotUsedWarning();
            double value;
            // DJL lets one gradient collector collect at a time in a JVM: trainings on several threads (the cells
            // of a Spark job in local mode) take turns for their forward and backward passes
            synchronized (COLLECTING) {
                try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                    NDArray loss = objective.batchLoss(step, order, from, nb);
                    value = loss.getFloat();
                    if (!Double.isFinite(value)) {
                        return value;
                    }
                    gc.backward(loss);
                }
            }
            NDArray g = Adam.gradient(params);
            double norm = Math.sqrt(g.square().sum().getFloat());
            if (!Double.isFinite(norm)) {
                // a finite loss with a NaN or infinite gradient: the weights are left as they were, so the
                // checkpoint of the last epoch stays good
                return Double.NaN;
            }
            if (clipNorm > 0 && norm > clipNorm) {
                g.muli(clipNorm / norm);
            }
            adam.update(params, g, lr);
            return value;
        }
    }

    /** What a scope runs. */
    private interface Scoped {
        double run() throws IOException;
    }

    /** Runs {@code body}, freeing every array it makes on the way. */
    private static double scoped(Scoped body) throws IOException {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return body.run();
        }
    }


    static int[] shuffled(int[] rows, long seed, int epoch) {
        int[] o = rows.clone();
        RandomStreams.shuffle(o, RandomStreams.stream(seed, epoch, RandomStreams.SHUFFLE));
        return o;
    }

    private static void restore(ParameterList ps, float[][] values) {
        for (int i = 0; i < values.length; i++) {
            ps.get(i).getValue().getArray().set(values[i]);
        }
    }

    /**
     * An exponential moving average of the trainable weights (Polyak &amp; Juditsky 1992): after every step
     * a ← β·a + (1 − β)·w.
     */
    private static final class Average {
        private final ParameterList trainable;
        private final NDArray[] values;
        private final float beta;

        Average(NDManager base, ParameterList trainable, double beta) {
            this.trainable = trainable;
            this.beta = (float) beta;
            values = new NDArray[trainable.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = trainable.get(i).getValue().getArray().duplicate();
                values[i].attach(base);
            }
        }

        void update() {
            for (int i = 0; i < values.length; i++) {
                try (NDArray w = trainable.get(i).getValue().getArray().mul(1 - beta)) {
                    values[i].muli(beta).addi(w);
                }
            }
        }

        // puts the averages into the trainable weights; returns every parameter's values before
        float[][] swapIn(ParameterList all) {
            float[][] raw = snapshot(all);
            for (int i = 0; i < values.length; i++) {
                trainable.get(i).getValue().getArray().set(values[i].toFloatArray());
            }
            return raw;
        }

        void save(WeightFile.Builder w) {
            for (int i = 0; i < values.length; i++) {
                w.put("ema." + trainable.get(i).getKey(), values[i].toFloatArray(), values[i].getShape());
            }
        }

        void restore(WeightFile w) throws IOException {
            for (int i = 0; i < values.length; i++) {
                values[i].set(w.floats("ema." + trainable.get(i).getKey(), values[i].getShape()));
            }
        }
    }

    private static float[][] snapshot(ParameterList ps) {
        float[][] s = new float[ps.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = ps.get(i).getValue().getArray().toFloatArray();
        }
        return s;
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
    private static void writeCheckpoint(Path out, State state, Block block, float[][] best, Adam adam,
                                        Average average) throws IOException {
        Path tmp = out.resolve(CHECKPOINT + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        WeightFile.Builder w = new WeightFile.Builder().putAll(block, "");
        ParameterList ps = block.getParameters();
        for (int i = 0; i < ps.size(); i++) {
            w.put("best." + ps.get(i).getKey(), best[i], ps.get(i).getValue().getArray().getShape());
        }
        adam.save(w);
        if (average != null) {
            average.save(w);
        }
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

    /** Writes {@code history.csv}: one line per epoch. */
    public static void writeHistory(Path file, List<EpochRecord> history) throws IOException {
        StringBuilder sb = new StringBuilder("epoch,train_loss,validation_loss,learning_rate,seconds,improved\n");
        for (EpochRecord r : history) {
            sb.append(r.epoch()).append(',').append(r.trainLoss()).append(',').append(r.validationLoss()).append(',')
                    .append(r.learningRate()).append(',').append(r.seconds()).append(',').append(r.improved())
                    .append('\n');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, true, o -> o.write(b));
    }

    /** Removes {@code marker} and any checkpoint from {@code out}, for a fresh start ({@code --force}). */
    public static void discard(Path out, String marker) throws IOException {
        Files.deleteIfExists(out.resolve(marker));
        for (String d : new String[]{CHECKPOINT, CHECKPOINT + ".old", CHECKPOINT + ".tmp"}) {
            deleteTree(out.resolve(d));
        }
    }

    /** Removes the checkpoint once the result is saved. */
    public static void finish(Path out) throws IOException {
        deleteTree(out.resolve(CHECKPOINT));
    }

    private static void deleteTree(Path dir) throws IOException {
        AtomicFiles.deleteTree(dir);
    }
}
