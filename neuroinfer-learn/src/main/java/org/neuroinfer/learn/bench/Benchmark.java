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
import org.neuroinfer.data.AtomicFiles;
import org.neuroinfer.data.Checksums;
import org.neuroinfer.dataset.DatasetGenerator;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.learn.Evaluation;
import org.neuroinfer.learn.Metrics;
import org.neuroinfer.learn.data.RecordingSet;
import org.neuroinfer.learn.npe.Calibration;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.NpeTraining;
import org.neuroinfer.learn.npe.PosteriorCard;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.Fit;
import org.neuroinfer.learn.train.Training;
import org.neuroinfer.learn.train.TrainingConfig;
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
                      @JsonProperty("train_seconds") double trainSeconds) {
    }

    /** What a cell's {@code evaluation.json} holds. */
    record CellResult(@JsonProperty("rows") List<Row> rows) {
    }

    /** Told what happens. */
    public interface Listener {
        /** A stage starts ({@code total} units of work) or is found done. */
        void stage(String what, long total, boolean cached);

        /** Work done within the current stage. */
        void advance(long units);

        /** The fit listener for a training stage. */
        default Fit.Listener training() {
            return new Fit.Listener() {
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
    public List<Row> run(Listener listener) throws IOException {
        Path data = dataDir();
        DatasetGenerator gen = new DatasetGenerator(config.generate(), threads);
        boolean complete = Files.exists(data.resolve("manifest.json"))
                && new DatasetReader(data).manifest().complete();
        listener.stage("generating " + gen.total() + " recordings", gen.total(), complete);
        if (!complete) {
            gen.generate(data, false, listener::advance, -1);
        }
        var manifest = new DatasetReader(data).manifest();
        double[] levels = RecordingSet.conditionLevels(manifest);
        List<Row> rows = new ArrayList<>();
        for (double level : levels) {
            Map<Integer, RecordingSet> loaded = new HashMap<>();
            for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> m : config.models().entrySet()) {
                Object settings = BenchmarkConfig.model(m.getKey(), m.getValue());
                rows.addAll(cell(m.getKey(), settings, level, data, loaded, listener));
            }
        }
        write(rows);
        return rows;
    }

    private List<Row> cell(String name, Object settings, double level, Path data, Map<Integer, RecordingSet> loaded,
                           Listener listener) throws IOException {
        Object cfg = withCondition(settings, level);
        String key = Checksums.sha256(new ObjectMapper().writeValueAsBytes(cfg)).substring(0, 12);
        Path dir = out.resolve("models").resolve(name).resolve(String.format(java.util.Locale.ROOT, "noise-%s-%s",
                level, key));
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
        if (cfg instanceof NpeConfig n) {
            listener.stage("training " + name + " at " + level, n.training().epochs(), false);
            PosteriorModel model = Files.exists(dir.resolve(ModelCard.FILE))
                    ? PosteriorModel.load(dir, TorchRuntime.device(n.training().device()))
                    : NpeTraining.run(n, set, support(data, set), dir, listener.training()).model();
            try (model) {
                rows = scorePosterior(name, model, set, level);
            }
        } else {
            TrainingConfig t = (TrainingConfig) cfg;
            listener.stage("training " + name + " at " + level, t.training().epochs(), false);
            InverseModel model = Files.exists(dir.resolve(ModelCard.FILE))
                    ? InverseModel.load(dir, TorchRuntime.device(t.training().device()))
                    : Training.run(t, set, dir, listener.training()).model();
            try (model) {
                Evaluation ev = Evaluation.of(model, set, Evaluation.heldOut(model.card(), set));
                rows = rows(name, ev, null, model.card().provenance().seconds());
            }
        }
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(new CellResult(rows));
        AtomicFiles.write(result, true, s -> s.write(json));
        return rows;
    }

    private List<Row> scorePosterior(String name, PosteriorModel model, RecordingSet set, double level) {
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
        return rows(name, ev, cal, card.provenance().seconds());
    }

    private static List<Row> rows(String name, Evaluation ev, Calibration cal, double seconds) {
        List<Row> out = new ArrayList<>();
        for (Evaluation.Row r : ev.rows()) {
            Metrics m = r.metrics();
            int j = ev.names().indexOf(r.parameter());
            out.add(new Row(name, r.condition(), r.parameter(), m.n(), m.pearson(), m.spearman(), m.r2(), m.rmse(),
                    m.nrmse(), cal == null ? null : cal.marginalCoverage(j, 0.5),
                    cal == null ? null : cal.marginalCoverage(j, 0.95), seconds));
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

    /** The prior's support of the data set's parameters: their ranges, open where the prior is unbounded. */
    public static PosteriorCard.Support support(Path data, RecordingSet set) throws IOException {
        ParameterSpace space = new DatasetReader(data).manifest().config().parameterSpace();
        double[] lo = new double[set.paramNames().size()];
        double[] hi = new double[lo.length];
        for (int j = 0; j < lo.length; j++) {
            Parameter prm = space.get(space.indexOf(set.paramNames().get(j)));
            boolean open = prm.prior().mayLeaveBounds();
            lo[j] = open ? Double.NEGATIVE_INFINITY : prm.lower();
            hi[j] = open ? Double.POSITIVE_INFINITY : prm.upper();
        }
        return PosteriorCard.Support.box(lo, hi);
    }

    private void write(List<Row> rows) throws IOException {
        StringBuilder csv = new StringBuilder("model,condition,parameter,n,pearson,spearman,r2,rmse,nrmse,"
                + "coverage_50,coverage_95,train_seconds\n");
        for (Row r : rows) {
            csv.append(String.format(java.util.Locale.ROOT, "%s,%s,%s,%d,%.6f,%.6f,%.6f,%.6g,%.6f,%s,%s,%.1f%n",
                    r.model(), r.condition(), r.parameter(), r.n(), r.pearson(), r.spearman(), r.r2(), r.rmse(),
                    r.nrmse(), r.coverage50() == null ? "" : String.format(java.util.Locale.ROOT, "%.4f",
                            r.coverage50()), r.coverage95() == null ? "" : String.format(java.util.Locale.ROOT,
                            "%.4f", r.coverage95()), r.trainSeconds()));
        }
        byte[] c = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve("results.csv"), true, s -> s.write(c));
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("config", config);
        doc.put("data", dataDir().getFileName().toString());
        doc.put("results", rows);
        byte[] j = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc);
        AtomicFiles.write(out.resolve("results.json"), true, s -> s.write(j));
    }
}
