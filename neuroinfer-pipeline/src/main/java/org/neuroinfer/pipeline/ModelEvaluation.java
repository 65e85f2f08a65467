package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.dataset.Manifest;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.Evaluation;

/**
 * A trained model scored on a data set (the {@code evaluate} command): on the model's own data set only the rows of
 * its test split, on any other every kept recording. The unit is a shard: its scored rows are predicted in batches
 * from the shard's first, so one machine and a cluster (one task per shard, {@link #onCluster}) compute the same
 * batches and give the same bytes.
 */
public final class ModelEvaluation {
    /** Models loaded on this JVM (a Spark executor) for its tasks, idle ones by key; one key at a time. */
    private static final Map<String, ConcurrentLinkedDeque<InverseModel>> IDLE = new ConcurrentHashMap<>();

    private ModelEvaluation() {
    }

    /**
     * What to score.
     *
     * @param model      the model folder made by train
     * @param data       the data set made by generate
     * @param conditions the noise factors to score; null for the model's own (on its own data set) or all
     * @param everyRow   predict every kept recording of those conditions, even on the model's own data set (the
     *                   {@code infer} of a data set), rather than its test split
     */
    public record Spec(Path model, Path data, List<Double> conditions, boolean everyRow) {
        /** The scores of {@code evaluate}: the test split on the model's own data set. */
        public Spec(Path model, Path data, List<Double> conditions) {
            this(model, data, conditions, false);
        }
    }

    /**
     * The scores.
     *
     * @param card       the model's card
     * @param evaluation the metrics, truth and predictions of the scored rows
     * @param testSplit  whether the rows are the model's test split (the data set is its own) rather than all
     * @param rows       the kept rows of the data set in the scored conditions
     */
    public record Result(ModelCard card, Evaluation evaluation, boolean testSplit, int rows) {
    }

    /** What a run on this machine reports. */
    public interface Listener {
        /** The run will score {@code shards} shards. */
        default void planned(int shards) {
        }

        /** One more shard was scored. */
        default void scored() {
        }
    }

    /** The shards to score and, per shard, its scored rows (null: every kept row). */
    private record Plan(ModelCard card, int[][] rows, boolean testSplit, int total) {
    }

    /**
     * Scores on this machine, reading each shard once; on the model's own data set every shard is read before the
     * first is scored (their kept rows place the test split), on any other each is scored as it is read.
     */
    public static Result run(Spec spec, Listener listener) throws IOException {
        try (InverseModel model = InverseModel.load(spec.model(), TorchRuntime.device("cpu"))) {
            ModelCard card = model.card();
            DatasetReader reader = new DatasetReader(spec.data());
            List<Integer> shards = shards(card, reader, spec);
            listener.planned(shards.size());
            int decimate = card.input().decimate();
            List<RecordingSet> sets = null;
            int[] counts = null;
            if (split(card, reader.manifest(), spec)) {
                sets = new ArrayList<>();
                for (int si : shards) {
                    sets.add(RecordingSet.loadShard(reader, si, decimate));
                }
                counts = sets.stream().mapToInt(RecordingSet::size).toArray();
            }
            Plan plan = plan(card, reader, shards.size(), counts);
            List<double[][]> parts = new ArrayList<>();
            for (int k = 0; k < shards.size(); k++) {
                RecordingSet set = sets != null ? sets.set(k, null) : RecordingSet.loadShard(reader, shards.get(k),
                        decimate);
                parts.add(score(model, set, plan.rows()[k]));
                listener.scored();
            }
            return gather(plan, parts);
        }
    }

    /**
     * Scores on a cluster, one task per shard: a task loads the model once per executor slot, predicts its shard's
     * rows and writes them atomically to a part file under {@code work} (kept if an earlier attempt or run made
     * it); the driver gathers the parts, in shard order, and removes them. On the model's own data set the driver
     * reads the shards once first to count their kept rows, which place the test split.
     */
    public static Result onCluster(Spec spec, Path work, Cluster cluster, String master) throws IOException {
        ModelCard card = ModelCard.read(spec.model());
        DatasetReader reader = new DatasetReader(spec.data());
        List<Integer> shards = shards(card, reader, spec);
        int[] counts = null;
        if (split(card, reader.manifest(), spec)) {
            counts = new int[shards.size()];
            for (int k = 0; k < counts.length; k++) {
                counts[k] = RecordingSet.loadShard(reader, shards.get(k), card.input().decimate()).size();
            }
        } else if (!shards.isEmpty()) { // data the model cannot read is refused here, before any task or file
            InverseModel.columnsIn(card, RecordingSet.loadShard(reader, shards.get(0), card.input().decimate()));
        }
        Plan plan = plan(card, reader, shards.size(), counts);
        String key = Checksums.sha256((card.weightsSha256() + " " + reader.manifest().configSha256() + " "
                + shards + " " + Arrays.deepToString(plan.rows())).getBytes(StandardCharsets.UTF_8));
        Path parts = work.resolve(".evaluate-parts-" + key.substring(0, 16));
        Files.createDirectories(parts);
        String modelDir = spec.model().toAbsolutePath().toString();
        String dataDir = spec.data().toAbsolutePath().toString();
        String partsDir = parts.toAbsolutePath().toString();
        String modelKey = modelDir + " " + card.weightsSha256();
        List<Integer> shardList = List.copyOf(shards);
        int[][] rows = plan.rows();
        int decimate = card.input().decimate();
        try {
            cluster.runParts(master, "neuroinfer evaluate " + spec.model().getFileName(), shards.size(),
                    List.of(spec.model()), part -> {
                int k = part.index();
                Path file = Path.of(partsDir).resolve(partFile(k));
                if (Files.exists(file)) { // written whole (atomically) by an earlier attempt or run
                    return;
                }
                TorchRuntime.threads(1); // Spark runs a task per core
                RecordingSet set = RecordingSet.loadShard(new DatasetReader(Path.of(dataDir)), shardList.get(k),
                        decimate);
                InverseModel model = borrow(modelDir, modelKey);
                double[][] s;
                try {
                    s = score(model, set, rows[k]);
                } finally {
                    giveBack(modelKey, model);
                }
                byte[] bytes = new Npy.Archive().put("truth", new NpyArray(new int[] {s[0].length}, s[0]))
                        .put("predicted", new NpyArray(new int[] {s[1].length}, s[1]))
                        .put("condition", NpyArray.of(s[2])).toBytes();
                AtomicFiles.write(file, true, o -> o.write(bytes));
            });
            List<double[][]> got = new ArrayList<>();
            for (int k = 0; k < shards.size(); k++) {
                Map<String, NpyArray> a = Npy.loadArchive(parts.resolve(partFile(k)));
                got.add(new double[][] {a.get("truth").data(), a.get("predicted").data(), a.get("condition").data()});
            }
            Result r = gather(plan, got);
            for (int k = 0; k < shards.size(); k++) {
                Files.deleteIfExists(parts.resolve(partFile(k)));
            }
            Files.deleteIfExists(parts);
            return r;
        } finally {
            closeIdle(modelKey); // the models this JVM loaded as an executor (local mode)
        }
    }

    private static String partFile(int k) {
        return "shard-" + k + ".npz";
    }

    /** The shards of the scored conditions: those asked for, else the model's own on its own data set, else all. */
    private static List<Integer> shards(ModelCard card, DatasetReader reader, Spec spec) throws IOException {
        List<Double> conds = spec.conditions();
        if (conds == null && split(card, reader.manifest(), spec)) {
            conds = card.provenance().conditions();
        }
        return RecordingSet.shardsOf(reader.manifest(), conds, spec.data());
    }

    /** Whether only the test split is scored: on the model's own data set, unless every row is asked for. */
    private static boolean split(ModelCard card, Manifest man, Spec spec) {
        return !spec.everyRow() && card.provenance() != null
                && man.configSha256().equals(card.provenance().datasetSha256());
    }

    /**
     * The predictions as a CSV table: one row per scored recording in shard order, its condition (noise factor),
     * the predicted parameters and the true ones, named with their units.
     */
    public static byte[] table(Result r) {
        ModelCard.TargetSpec t = r.card().targets();
        StringBuilder sb = new StringBuilder("recording,condition");
        for (String prefix : new String[] {"", "true "}) {
            for (int j = 0; j < t.names().size(); j++) {
                sb.append(',').append(prefix).append(t.names().get(j)).append(" [").append(t.units().get(j))
                        .append(']');
            }
        }
        sb.append('\n');
        Evaluation e = r.evaluation();
        for (int i = 0; i < e.predicted().length; i++) {
            sb.append(i).append(',').append(e.condition()[i]);
            for (double[] row : new double[][] {e.predicted()[i], e.truth()[i]}) {
                for (double v : row) {
                    sb.append(',').append(String.format(java.util.Locale.ROOT, "%.6g", v));
                }
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The plan for shards with {@code counts} kept rows each: the test split's rows of each shard on the model's
     * own data set (when the counts add up to the rows it was trained on), else every row ({@code counts} may then
     * be null).
     */
    private static Plan plan(ModelCard card, DatasetReader reader, int shards, int[] counts) throws IOException {
        int[][] rows = new int[shards][];
        if (counts == null) {
            return new Plan(card, rows, false, -1);
        }
        int total = Arrays.stream(counts).sum();
        int[] held = Evaluation.heldOut(card.provenance(), card.training().training(),
                reader.manifest().configSha256(), total);
        boolean split = held.length < total;
        int at = 0;
        int from = 0;
        for (int k = 0; k < counts.length; k++) {
            int end = from + counts[k];
            int start = at;
            while (at < held.length && held[at] < end) {
                at++;
            }
            int[] local = new int[at - start];
            for (int i = 0; i < local.length; i++) {
                local[i] = held[start + i] - from;
            }
            rows[k] = split ? local : null;
            from = end;
        }
        return new Plan(card, rows, split, total);
    }

    /**
     * The truth, predictions (both flattened [m][P]) and condition levels of rows {@code rows} (null: all) of one
     * shard's kept recordings.
     */
    private static double[][] score(InverseModel model, RecordingSet shard, int[] rows) {
        int[] cols = model.columnsIn(shard);
        RecordingSet sub = rows == null ? shard : shard.subset(rows);
        double[][] pred = model.predictDecimated(sub.x(), sub.size());
        int p = cols.length;
        double[] truth = new double[sub.size() * p];
        double[] predicted = new double[sub.size() * p];
        double[] cond = new double[sub.size()];
        for (int i = 0; i < sub.size(); i++) {
            for (int j = 0; j < p; j++) {
                truth[i * p + j] = sub.y()[i][cols[j]];
                predicted[i * p + j] = pred[i][j];
            }
            cond[i] = sub.noiseFactors()[sub.condition()[i]];
        }
        return new double[][] {truth, predicted, cond};
    }

    /** The shards' scores, in shard order, as one evaluation. */
    private static Result gather(Plan plan, List<double[][]> parts) {
        ModelCard.TargetSpec targets = plan.card().targets();
        int p = targets.names().size();
        int n = parts.stream().mapToInt(s -> s[2].length).sum();
        double[][] truth = new double[n][];
        double[][] pred = new double[n][];
        double[] cond = new double[n];
        int i = 0;
        for (double[][] s : parts) {
            for (int r = 0; r < s[2].length; r++, i++) {
                truth[i] = Arrays.copyOfRange(s[0], r * p, (r + 1) * p);
                pred[i] = Arrays.copyOfRange(s[1], r * p, (r + 1) * p);
                cond[i] = s[2][r];
            }
        }
        return new Result(plan.card(), Evaluation.of(targets, truth, cond, pred), plan.testSplit(),
                plan.total() < 0 ? n : plan.total());
    }

    /**
     * A model for a task on this JVM: an idle one of {@code key} (its folder and weights' checksum), else loaded from
     * {@code dir} (other models' idle ones closed).
     */
    private static InverseModel borrow(String dir, String key) throws IOException {
        for (String other : List.copyOf(IDLE.keySet())) {
            if (!other.equals(key)) {
                closeIdle(other);
            }
        }
        InverseModel m = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).poll();
        return m != null ? m : InverseModel.load(org.neuroinfer.io.InputFiles.local(Path.of(dir)),
                TorchRuntime.device("cpu"));
    }

    private static void giveBack(String key, InverseModel model) {
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).push(model);
    }

    private static void closeIdle(String key) {
        ConcurrentLinkedDeque<InverseModel> q = IDLE.remove(key);
        if (q != null) {
            for (InverseModel m; (m = q.poll()) != null; ) {
                m.close();
            }
        }
    }
}
