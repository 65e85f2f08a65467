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
     * @param data       the data set made by generate (null when it is on a cluster's file system: see
     *                   {@link #onCluster(Spec, RemoteFolder, RemoteFolder, Cluster, String)})
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
            List<Integer> shards = shards(card, reader.manifest(), spec, spec.data().toString());
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
            Plan plan = plan(card, reader.manifest(), shards.size(), counts);
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
     * it); the driver gathers the parts, in shard order, and removes them. On the model's own data set a first round
     * of tasks counts each shard's kept rows, which place the test split. The data set ({@code spec.data()}) and
     * {@code work} are folders every worker reaches at the same path.
     */
    public static Result onCluster(Spec spec, Path work, Cluster cluster, String master) throws IOException {
        return mounted(spec, PartFiles.in(work), cluster, master);
    }

    private static Result mounted(Spec spec, PartFiles files, Cluster cluster, String master) throws IOException {
        Path data = spec.data().toAbsolutePath();
        return onCluster(spec, new DatasetReader(data).manifest(), data.toString(), new MountedShards(data.toString()),
                files, cluster, master);
    }

    /**
     * Scores on a cluster as {@link #onCluster(Spec, Path, Cluster, String)} does, the data set and the part files on
     * the cluster's file system: each task copies its shard to its worker and reads it there.
     *
     * @param data the data set, or null for {@code spec.data()}, a folder every worker reaches
     * @param work where the tasks leave their part files
     * @throws IllegalArgumentException when {@code data} holds no complete data set, naming its URI
     */
    public static Result onCluster(Spec spec, RemoteFolder data, RemoteFolder work, Cluster cluster, String master)
            throws IOException {
        return data == null ? mounted(spec, PartFiles.in(work), cluster, master)
                : remote(spec, data, PartFiles.in(work), cluster, master);
    }

    /**
     * Scores on a cluster as {@link #onCluster(Spec, Path, Cluster, String)} does, the data set on the cluster's file
     * system (each task copies its shard to its worker) and the part files under {@code work}, a folder every worker
     * reaches.
     *
     * @throws IllegalArgumentException when {@code data} holds no complete data set, naming its URI
     */
    public static Result onCluster(Spec spec, RemoteFolder data, Path work, Cluster cluster, String master)
            throws IOException {
        return remote(spec, data, PartFiles.in(work), cluster, master);
    }

    private static Result remote(Spec spec, RemoteFolder data, PartFiles files, Cluster cluster, String master)
            throws IOException {
        byte[] manifest = data.read(Manifest.FILE);
        if (manifest == null) {
            throw new IllegalArgumentException(data.uri() + " is not a neuroinfer data set (no " + Manifest.FILE + ")");
        }
        Manifest man = RemoteShards.manifest(manifest);
        if (!man.complete()) {
            throw new IllegalArgumentException(data.uri() + " is incomplete: run the same generate command again to "
                    + "finish it");
        }
        return onCluster(spec, man, data.uri(), new RemoteShards(data, manifest), files, cluster, master);
    }

    private static Result onCluster(Spec spec, Manifest man, String where, ShardSource source, PartFiles files,
                                    Cluster cluster, String master) throws IOException {
        ModelCard card = ModelCard.read(spec.model());
        List<Integer> shards = shards(card, man, spec, where);
        boolean split = split(card, man, spec);
        int decimate = card.input().decimate();
        if (!split && !shards.isEmpty()) { // data the model cannot read is refused here, before any task or file
            InverseModel.columnsIn(card, source.load(shards.get(0), decimate));
        }
        String key = Checksums.sha256((card.weightsSha256() + " " + man.configSha256() + " " + shards + " " + split)
                .getBytes(StandardCharsets.UTF_8));
        String parts = ".evaluate-parts-" + key.substring(0, 16) + "/";
        String modelDir = spec.model().toAbsolutePath().toString();
        String modelKey = modelDir + " " + card.weightsSha256();
        List<Integer> shardList = List.copyOf(shards);
        try (Cluster.Session session = cluster.open(master, "neuroinfer evaluate " + spec.model().getFileName(),
                List.of(spec.model()))) {
            int[] counts = null;
            if (split) {
                session.runParts("count kept recordings", shards.size(), part -> {
                    String file = parts + "count-" + part.index();
                    if (files.read(file) == null) { // else written whole by an earlier attempt or run
                        int n = source.load(shardList.get(part.index()), decimate).size();
                        files.write(file, Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
                    }
                });
                counts = new int[shards.size()];
                for (int k = 0; k < counts.length; k++) {
                    counts[k] = Integer.parseInt(new String(files.read(parts + "count-" + k),
                            StandardCharsets.US_ASCII));
                }
            }
            Plan plan = plan(card, man, shards.size(), counts);
            int[][] rows = plan.rows();
            session.runParts("score", shards.size(), part -> {
                int k = part.index();
                String file = parts + partFile(k);
                if (files.read(file) != null) { // written whole (atomically) by an earlier attempt or run
                    return;
                }
                TorchRuntime.threads(1); // Spark runs a task per core
                RecordingSet set = source.load(shardList.get(k), decimate);
                InverseModel model = borrow(modelDir, modelKey);
                double[][] s;
                try {
                    s = score(model, set, rows[k]);
                } finally {
                    giveBack(modelKey, model);
                }
                files.write(file, new Npy.Archive().put("truth", new NpyArray(new int[] {s[0].length}, s[0]))
                        .put("predicted", new NpyArray(new int[] {s[1].length}, s[1]))
                        .put("condition", NpyArray.of(s[2])).toBytes());
            });
            List<double[][]> got = new ArrayList<>();
            for (int k = 0; k < shards.size(); k++) {
                Map<String, NpyArray> a = Npy.loadArchive(files.read(parts + partFile(k)), partFile(k));
                got.add(new double[][] {a.get("truth").data(), a.get("predicted").data(), a.get("condition").data()});
            }
            Result r = gather(plan, got);
            for (int k = 0; k < shards.size(); k++) {
                files.delete(parts + partFile(k));
                files.delete(parts + "count-" + k);
            }
            files.delete(parts.substring(0, parts.length() - 1));
            return r;
        } finally {
            closeIdle(modelKey); // the models this JVM loaded as an executor (local mode)
        }
    }

    /** Where a cluster's tasks read the data set's shards. */
    private interface ShardSource extends java.io.Serializable {
        /** The kept recordings of shard {@code shard}. */
        RecordingSet load(int shard, int decimate) throws IOException;
    }

    /** A data set in a folder every worker reaches. */
    private record MountedShards(String dir) implements ShardSource {
        @Override
        public RecordingSet load(int shard, int decimate) throws IOException {
            return RecordingSet.loadShard(new DatasetReader(Path.of(dir)), shard, decimate);
        }
    }

    /** A data set on the cluster's file system: the task copies its shard, with the manifest, to a local folder. */
    private record RemoteShards(RemoteFolder folder, byte[] manifest) implements ShardSource {
        @Override
        public RecordingSet load(int shard, int decimate) throws IOException {
            Path dir = Files.createTempDirectory("neuroinfer-shard");
            try {
                Files.write(dir.resolve(Manifest.FILE), manifest);
                String file = manifest(manifest).shards().get(shard).file();
                Files.createDirectories(dir.resolve(file).getParent());
                folder.get(file, dir.resolve(file));
                return RecordingSet.loadShard(new DatasetReader(dir), shard, decimate);
            } finally {
                AtomicFiles.deleteTree(dir);
            }
        }

        static Manifest manifest(byte[] bytes) throws IOException {
            Path dir = Files.createTempDirectory("neuroinfer-manifest");
            try {
                Files.write(dir.resolve(Manifest.FILE), bytes);
                return Manifest.read(dir);
            } finally {
                AtomicFiles.deleteTree(dir);
            }
        }
    }

    private static String partFile(int k) {
        return "shard-" + k + ".npz";
    }

    /** The shards of the scored conditions: those asked for, else the model's own on its own data set, else all. */
    private static List<Integer> shards(ModelCard card, Manifest man, Spec spec, String where) {
        List<Double> conds = spec.conditions();
        if (conds == null && split(card, man, spec)) {
            conds = card.provenance().conditions();
        }
        return RecordingSet.shardsOf(man, conds, where);
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
    private static Plan plan(ModelCard card, Manifest man, int shards, int[] counts) {
        int[][] rows = new int[shards][];
        if (counts == null) {
            return new Plan(card, rows, false, -1);
        }
        int total = Arrays.stream(counts).sum();
        int[] held = Evaluation.heldOut(card.provenance(), card.training().training(),
                man.configSha256(), total);
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
