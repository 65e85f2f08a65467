package org.neuroinfer.learn.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.dataset.DatasetGenerator;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.learn.train.Evaluation;
import org.neuroinfer.learn.Metrics;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.npe.Calibration;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.NpeTraining;
import org.neuroinfer.learn.npe.PosteriorCard;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.learn.train.Training;
import org.neuroinfer.learn.train.TrainingDivergedException;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;

/**
 * Runs a benchmark: generates the data set, then trains and scores every model on every noise condition (the
 * benchmark's figure 4). Every stage is kept under the output folder in a place named by the hash of what
 * determines it — the data set by its configuration, a cell by its model settings, condition and data set — so a
 * run that is interrupted, or extended with another model or condition, redoes only what is missing.
 */
public final class Benchmark {
    /** One line of the result table. */
    public record Row(@JsonProperty("model") String model, @JsonProperty("condition") double condition,
                      @JsonProperty("parameter") String parameter, @JsonProperty("n") int n,
                      @JsonProperty("pearson") double pearson, @JsonProperty("spearman") double spearman,
                      @JsonProperty("r2") double r2, @JsonProperty("rmse") double rmse,
                      @JsonProperty("nrmse") double nrmse, @JsonProperty("coverage_50") Double coverage50,
                      @JsonProperty("coverage_95") Double coverage95,
                      @JsonProperty("train_seconds") double trainSeconds,
                      @JsonProperty("note") String note) {
    }

    /**
     * A whole run.
     *
     * @param rows      the table, per model, condition and parameter
     * @param snrDb     per condition level: the median realised SNR (dB) of its recordings (infinite without noise)
     * @param seconds   per stage: the seconds it took when it was run (cached stages keep their first time)
     * @param dataDir   the data set's folder
     */
    public record Result(List<Row> rows, Map<Double, Double> snrDb, Map<String, Double> seconds, Path dataDir) {
    }

    /** What a cell's {@code evaluation.json} holds. */
    record CellResult(@JsonProperty("rows") List<Row> rows) {
    }

    /** Told what happens. */
    public interface Listener {
        /** A stage starts ({@code total} units of work) or is found done. */
        void stage(String what, long total, boolean cached);

        /** The data set is complete in {@code data}: the place for stages that only need the data set. */
        default void generated(Path data) throws IOException {
        }

        /** A cell failed (its training diverged); the benchmark goes on. */
        default void failed(String message) {
        }

        /** Work done within the current stage. */
        void advance(long units);

        /** The fit listener for a training stage. */
        default TrainingLoop.Listener training() {
            return new TrainingLoop.Listener() {
            };
        }
    }

    private final BenchmarkConfig config;
    private final Path out;
    private final int threads;

    /** A run of {@code config} into {@code out} with {@code threads} simulation threads. */
    public Benchmark(BenchmarkConfig config, Path out, int threads) {
        this.config = config;
        this.out = out;
        this.threads = threads;
    }

    /** The data set's folder. */
    public Path dataDir() {
        return out.resolve("data-" + config.generate().hash().substring(0, 12));
    }

    /** Runs every stage that is not done and returns the whole table (also written as results.csv/json). */
    public Result run(Listener listener) throws IOException {
        Path data = dataDir();
        Map<String, Double> seconds = readTimes();
        DatasetGenerator gen = new DatasetGenerator(config.generate(), threads);
        boolean complete = Files.exists(data.resolve("manifest.json"))
                && new DatasetReader(data).manifest().complete();
        listener.stage("generating " + gen.total() + " recordings", gen.total(), complete);
        if (!complete) {
            long t0 = System.nanoTime();
            gen.generate(data, false, listener::advance, -1);
            seconds.put("generation", (System.nanoTime() - t0) / 1e9);
            writeTimes(seconds);
        }
        listener.generated(data);
        var manifest = new DatasetReader(data).manifest();
        double[] levels = RecordingSet.conditionLevels(manifest);
        List<Row> rows = new ArrayList<>();
        for (double level : levels) {
            Map<Integer, RecordingSet> loaded = new HashMap<>();
            for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> m : config.models().entrySet()) {
                Object settings = BenchmarkConfig.model(m.getKey(), m.getValue());
                rows.addAll(cell(m.getKey(), settings, level, data, loaded, listener, seconds));
            }
        }
        Result result = new Result(rows, conditionSnr(data, levels), seconds, data);
        write(result);
        return result;
    }

    /** The seconds each stage took, kept in {@code times.json} across runs. */
    private Map<String, Double> readTimes() throws IOException {
        Path f = out.resolve("times.json");
        Map<String, Double> m = new java.util.TreeMap<>();
        if (Files.exists(f)) {
            new ObjectMapper().readTree(f.toFile()).fields().forEachRemaining(e -> m.put(e.getKey(),
                    e.getValue().asDouble()));
        }
        return m;
    }

    private void writeTimes(Map<String, Double> seconds) throws IOException {
        byte[] j = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(seconds);
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("times.json"), true, s -> s.write(j));
    }

    /** Per condition level, the median realised SNR of its recordings (from the shards' snr_db). */
    private static Map<Double, Double> conditionSnr(Path data, double[] levels) throws IOException {
        DatasetReader reader = new DatasetReader(data);
        Map<Integer, List<Double>> by = new HashMap<>();
        for (int i = 0; i < reader.shards().size(); i++) {
            List<Double> l = by.computeIfAbsent(reader.shards().get(i).condition(), k -> new ArrayList<>());
            for (double v : reader.snrDb(i)) {
                if (!Double.isNaN(v)) {
                    l.add(v);
                }
            }
        }
        Map<Double, Double> snr = new java.util.LinkedHashMap<>();
        for (int k = 0; k < levels.length; k++) {
            double[] v = by.getOrDefault(k, List.of()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            snr.put(levels[k], v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2]
                    : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
        }
        return snr;
    }

    private List<Row> cell(String name, Object settings, double level, Path data, Map<Integer, RecordingSet> loaded,
                           Listener listener, Map<String, Double> seconds) throws IOException {
        Object cfg = withCondition(settings, level);
        Path dir = cellDir(name, level, cfg);
        Path result = dir.resolve("evaluation.json");
        if (Files.exists(result)) {
            listener.stage(name + " at " + level, 0, true);
            return new ObjectMapper().readValue(result.toFile(), CellResult.class).rows();
        }
        TrainingConfig.Input input = cfg instanceof NpeConfig n ? n.input() : ((TrainingConfig) cfg).input();
        RecordingSet set = loaded.get(input.decimate());
        if (set == null) {
            loaded.clear(); // one condition at one decimation in memory at a time
            set = RecordingSet.load(data, List.of(level), input.decimate(), null);
            loaded.put(input.decimate(), set);
        }
        List<Row> rows;
        try {
            rows = trainAndScore(name, cfg, level, data, set, dir, listener, seconds);
        } catch (TrainingDivergedException e) {
            // one diverging cell does not end the benchmark: it is reported (not cached, so a rerun retries it)
            listener.failed(name + " at " + level + ": " + e.getMessage());
            List<String> names = input.targets() != null ? input.targets() : set.paramNames();
            rows = new ArrayList<>();
            for (String p : names) {
                rows.add(new Row(name, level, p, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null,
                        null, 0, "training diverged (loss NaN); see the run's output"));
            }
            return rows;
        }
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(new CellResult(rows));
        AtomicFiles.write(result, true, s -> s.write(json));
        seconds.put(name + " " + level + " training", rows.isEmpty() ? 0 : rows.get(0).trainSeconds());
        writeTimes(seconds);
        return rows;
    }

    private List<Row> trainAndScore(String name, Object cfg, double level, Path data, RecordingSet set, Path dir,
                                    Listener listener, Map<String, Double> seconds) throws IOException {
        List<Row> rows;
        if (cfg instanceof NpeConfig n) {
            listener.stage("training " + name + " at " + level, n.training().epochs(), false);
            PosteriorModel model = Files.exists(dir.resolve(ModelCard.FILE))
                    ? PosteriorModel.load(dir, TorchRuntime.device(n.training().device()))
                    : NpeTraining.run(n, set, support(data, set), dir, listener.training()).model();
            try (model) {
                long t0 = System.nanoTime();
                rows = scorePosterior(name, model, set, dir);
                seconds.put(name + " " + level + " scoring", (System.nanoTime() - t0) / 1e9);
            }
        } else {
            TrainingConfig t = (TrainingConfig) cfg;
            listener.stage("training " + name + " at " + level, t.training().epochs(), false);
            InverseModel model = Files.exists(dir.resolve(ModelCard.FILE))
                    ? InverseModel.load(dir, TorchRuntime.device(t.training().device()))
                    : Training.run(t, set, dir, listener.training()).model();
            try (model) {
                long t0 = System.nanoTime();
                Evaluation ev = Evaluation.of(model, set, Evaluation.heldOut(model.card(), set));
                savePredictions(dir, ev, null);
                rows = rows(name, ev, null, model.card().provenance().seconds());
                seconds.put(name + " " + level + " scoring", (System.nanoTime() - t0) / 1e9);
            }
        }
        return rows;
    }

    private List<Row> scorePosterior(String name, PosteriorModel model, RecordingSet set, Path dir)
            throws IOException {
        PosteriorCard card = model.card();
        int[] rows = Evaluation.heldOut(card.provenance(), card.training().training(), set);
        if (rows.length > config.simulations()) {
            rows = java.util.Arrays.copyOf(rows, config.simulations());
        }
        int[] cols = card.targets().names().stream().mapToInt(n -> set.paramNames().indexOf(n)).toArray();
        double[][] theta = new double[set.size()][cols.length];
        for (int i = 0; i < set.size(); i++) {
            for (int j = 0; j < cols.length; j++) {
                theta[i][j] = set.y()[i][cols[j]];
            }
        }
        Calibration cal = Calibration.run(model, set.x(), theta, rows, config.draws(), 0, null);
        Evaluation ev = Evaluation.of(card.targets(), set.subset(rows), cols, cal.mean());
        savePredictions(dir, ev, cal);
        return rows(name, ev, cal, card.provenance().seconds());
    }

    /**
     * Writes the cell's {@code predictions.npz}: truth and prediction (the posterior mean for an estimator) of its
     * held-out recordings, and for an estimator the posterior sd, each truth's HPD level and its ranks.
     */
    static void savePredictions(Path dir, Evaluation ev, Calibration cal) throws IOException {
        org.neuroinfer.io.Npy.Archive npz = new org.neuroinfer.io.Npy.Archive()
                .put("truth", org.neuroinfer.io.NpyArray.of(ev.truth()))
                .put("predicted", org.neuroinfer.io.NpyArray.of(ev.predicted()))
                .put("param_names", ev.names().toArray(String[]::new))
                .put("param_units", ev.units().toArray(String[]::new));
        if (cal != null) {
            double[][] ranks = new double[cal.ranks().length][];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = java.util.Arrays.stream(cal.ranks()[i]).asDoubleStream().toArray();
            }
            npz.put("posterior_sd", org.neuroinfer.io.NpyArray.of(cal.sd()))
                    .put("hpd_level", org.neuroinfer.io.NpyArray.of(cal.hpdLevel()))
                    .put("ranks", org.neuroinfer.io.NpyArray.of(ranks))
                    .put("draws", org.neuroinfer.io.NpyArray.of(new double[] {cal.draws()}));
        }
        npz.save(dir.resolve(PREDICTIONS), true);
    }

    /** The file of a cell's held-out predictions. */
    public static final String PREDICTIONS = "predictions.npz";

    private static List<Row> rows(String name, Evaluation ev, Calibration cal, double seconds) {
        List<Row> out = new ArrayList<>();
        for (Evaluation.Row r : ev.rows()) {
            Metrics m = r.metrics();
            int j = ev.names().indexOf(r.parameter());
            out.add(new Row(name, r.condition(), r.parameter(), m.n(), m.pearson(), m.spearman(), m.r2(), m.rmse(),
                    m.nrmse(), cal == null ? null : cal.marginalCoverage(j, 0.5),
                    cal == null ? null : cal.marginalCoverage(j, 0.95), seconds, null));
        }
        return out;
    }

    /** The settings with {@code input.conditions} set to the one level. */
    static Object withCondition(Object settings, double level) {
        if (settings instanceof NpeConfig n) {
            return new NpeConfig(n.estimator(), new TrainingConfig.Input(List.of(level), n.input().targets(),
                    n.input().decimate()), n.training());
        }
        TrainingConfig t = (TrainingConfig) settings;
        return new TrainingConfig(t.network(), new TrainingConfig.Input(List.of(level), t.input().targets(),
                t.input().decimate()), t.training());
    }

    /**
     * The prior's support of the data set's parameters: their ranges, open where the prior is unbounded or the
     * parameter was fixed (SGM spectra).
     */
    public static PosteriorCard.Support support(Path data, RecordingSet set) throws IOException {
        var manifest = new DatasetReader(data).manifest();
        return support(manifest.spectra() ? manifest.spectraConfig().parameterSpace()
                : manifest.generationConfig().parameterSpace(), set.paramNames());
    }

    /**
     * The support of the parameters {@code names} drawn from {@code space}: their ranges and prior families, open
     * where the prior is unbounded or the parameter is not drawn.
     */
    public static PosteriorCard.Support support(ParameterSpace space, List<String> names) {
        List<String> drawn = List.of(space.names());
        double[] lo = new double[names.size()];
        double[] hi = new double[lo.length];
        List<String> families = new java.util.ArrayList<>();
        for (int j = 0; j < lo.length; j++) {
            if (!drawn.contains(names.get(j))) { // fixed in the data set: open, it is no target
                lo[j] = Double.NEGATIVE_INFINITY;
                hi[j] = Double.POSITIVE_INFINITY;
                families.add(null);
                continue;
            }
            Parameter prm = space.get(space.indexOf(names.get(j)));
            boolean open = prm.prior().mayLeaveBounds();
            lo[j] = open ? prm.prior().supportLower() : prm.lower();
            hi[j] = open ? Double.POSITIVE_INFINITY : prm.upper();
            families.add(prm.prior().name());
        }
        return PosteriorCard.Support.box(lo, hi).withPriors(families);
    }

    private void write(Result result) throws IOException {
        List<Row> rows = result.rows();
        StringBuilder csv = new StringBuilder("model,condition,snr_db,parameter,n,pearson,spearman,r2,rmse,nrmse,"
                + "coverage_50,coverage_95,train_seconds,note\n");
        for (Row r : rows) {
            csv.append(String.format(java.util.Locale.ROOT, "%s,%s,%.2f,%s,%d,%.6f,%.6f,%.6f,%.6g,%.6f,%s,%s,%.1f,%s%n",
                    r.model(), r.condition(), result.snrDb().get(r.condition()), r.parameter(), r.n(), r.pearson(),
                    r.spearman(), r.r2(), r.rmse(), r.nrmse(), r.coverage50() == null ? ""
                            : String.format(java.util.Locale.ROOT, "%.4f", r.coverage50()), r.coverage95() == null
                            ? "" : String.format(java.util.Locale.ROOT, "%.4f", r.coverage95()), r.trainSeconds(),
                    r.note() == null ? "" : "\"" + r.note() + "\""));
        }
        byte[] c = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve("results.csv"), true, s -> s.write(c));
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("config", config);
        doc.put("data", dataDir().getFileName().toString());
        List<Map<String, Object>> conds = new ArrayList<>();
        result.snrDb().forEach((k, v) -> conds.add(Map.of("level", k, "snr_db_median", Double.isFinite(v) ? v
                : v > 0 ? "Infinity" : "NaN")));
        doc.put("conditions", conds);
        doc.put("seconds", result.seconds());
        doc.put("results", rows);
        byte[] j = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc);
        AtomicFiles.write(out.resolve("results.json"), true, s -> s.write(j));
    }

    /** A cell's folder: {@code models/<name>/noise-<level>-<hash>} for the model's settings at the level. */
    public Path cellDir(String name, double level) throws IOException {
        return cellDir(name, level, withCondition(BenchmarkConfig.model(name, config.models().get(name)), level));
    }

    private Path cellDir(String name, double level, Object cellSettings) throws IOException {
        String key = Checksums.sha256(new ObjectMapper().writeValueAsBytes(cellSettings)).substring(0, 12);
        return out.resolve("models").resolve(name).resolve(String.format(java.util.Locale.ROOT, "noise-%s-%s",
                level, key));
    }
}
