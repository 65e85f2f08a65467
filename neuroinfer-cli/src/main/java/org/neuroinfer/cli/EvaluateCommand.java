package org.neuroinfer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.learn.train.Evaluation;
import org.neuroinfer.learn.Metrics;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.pipeline.ModelEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Scores a trained model on a data set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a trained model on a data set: Pearson and Spearman r, R^2, RMSE and NRMSE per noise "
                + "condition and parameter, with true-vs-predicted scatter plots.",
                "",
                "On the model's own training data only its test split is used; on any other data set, every "
                + "recording. Writes REPORT_DIR/metrics.csv, metrics.json, predictions.npz and scatter_*.png."})
class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Model folder made by train (with --spark, "
            + "also a folder on a cluster's file system: hdfs://..., s3a://...).")
    String model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data set made by generate (with "
            + "--spark, also a folder on a file system the executors share: hdfs://..., s3a://...).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "REPORT_DIR", description = "Report folder (with --spark, "
            + "also on a file system the executors share).")
    String out;

    @Option(names = "--conditions", split = ",", paramLabel = "F",
            description = "Noise factors to score (default: the model's, on its own data set; else all).")
    List<Double> conditions;

    @Option(names = "--force", description = "Replace files in REPORT_DIR.")
    boolean force;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @picocli.CommandLine.Mixin
    SparkOption spark = new SparkOption();

    @Override
    public Integer call() throws IOException {
        org.neuroinfer.pipeline.Cluster cluster = spark.cluster(false);
        try (Main.ModelFolder m = Main.model("MODEL_DIR", model, cluster)) {
            return evaluate(m.path(), cluster);
        }
    }

    private int evaluate(Path modelDir, org.neuroinfer.pipeline.Cluster cluster) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        org.neuroinfer.pipeline.RemoteFolder remoteData = Main.remoteFolder("--data", data, cluster);
        org.neuroinfer.pipeline.RemoteFolder remoteOut = Main.remoteFolder("--out", out, cluster);
        if (remoteOut != null && !force) { // all or nothing: refuse before scoring
            for (String f : remoteOut.list("")) {
                if (REPORT.matcher(f).matches()) {
                    throw new IllegalArgumentException("--out " + out + " holds a report (" + f + "); add --force "
                            + "to replace it");
                }
            }
        }
        ModelEvaluation.Spec s = new ModelEvaluation.Spec(modelDir, remoteData == null ? Main.path(data) : null,
                conditions);
        ModelEvaluation.Result r;
        if (cluster != null) {
            spec.commandLine().getErr().println("scoring on Spark (" + spark.master + "), one task per shard");
            if (remoteOut != null) {
                r = ModelEvaluation.onCluster(s, remoteData, remoteOut, cluster, spark.master);
            } else if (remoteData != null) {
                r = ModelEvaluation.onCluster(s, remoteData, Main.path(out), cluster, spark.master);
            } else {
                r = ModelEvaluation.onCluster(s, Main.path(out), cluster, spark.master);
            }
        } else {
            TorchRuntime.threads(threads.forEngine());
            try (Progress.Deferred bar = new Progress.Deferred(spec.commandLine().getErr(), "scoring")) {
                r = ModelEvaluation.run(s, new ModelEvaluation.Listener() {
                    @Override
                    public void planned(int shards) {
                        bar.start(shards);
                    }

                    @Override
                    public void scored() {
                        bar.advance();
                    }
                });
            }
        }
        Evaluation ev = r.evaluation();
        o.printf(Locale.ROOT, "%s on %d%s recordings of %s, Pearson r:%n", r.card().network().describe(),
                ev.truth().length, r.testSplit() ? " held-out (test split)" : "", data);
        printTable(o, ev);
        if (remoteOut == null) {
            write(ev, Main.path(out), force);
            o.println("wrote " + Main.path(out).resolve("metrics.csv") + ", metrics.json, predictions.npz, "
                    + "scatter_*.png");
        } else {
            Path local = Files.createTempDirectory("neuroinfer-report");
            try {
                write(ev, local, true);
                try (java.util.stream.Stream<Path> files = Files.list(local)) {
                    for (Path f : files.sorted().toList()) {
                        remoteOut.put(f, f.getFileName().toString());
                    }
                }
            } finally {
                AtomicFiles.deleteTree(local);
            }
            o.println("wrote " + remoteOut.uri() + ": metrics.csv, metrics.json, predictions.npz, scatter_*.png");
        }
        o.flush();
        return 0;
    }

    /** The files of a report. */
    private static final java.util.regex.Pattern REPORT = java.util.regex.Pattern.compile(
            "metrics\\.csv|metrics\\.json|predictions\\.npz|scatter_noise_.*\\.png");

    /** Loads a data set with a progress bar. */
    static RecordingSet load(PrintWriter err, Path dir, List<Double> conditions, int decimate) throws IOException {
        int shards = new DatasetReader(dir).shards().size();
        try (Progress p = Progress.start(err, "loading", shards)) {
            return RecordingSet.load(dir, conditions, decimate, i -> p.advance(1));
        }
    }

    /** Condition × parameter table of Pearson r. */
    static void printTable(PrintWriter o, Evaluation ev) {
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s", "noise"));
        for (String n : ev.names()) {
            head.append(String.format(Locale.ROOT, "%8s", n));
        }
        o.println(head);
        double last = Double.NaN;
        StringBuilder line = null;
        for (Evaluation.Row r : ev.rows()) {
            if (r.condition() != last) {
                if (line != null) {
                    o.println(line);
                }
                line = new StringBuilder(String.format(Locale.ROOT, "%-10s", fmt(r.condition())));
                last = r.condition();
            }
            line.append(String.format(Locale.ROOT, "%8.3f", r.metrics().pearson()));
        }
        if (line != null) {
            o.println(line);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e6 ? String.format(Locale.ROOT, "%.1f", d)
                : String.format(Locale.ROOT, "%g", d);
    }

    private void write(Evaluation ev, Path out, boolean force) throws IOException {
        List<String> files = new ArrayList<>(List.of("metrics.csv", "metrics.json", "predictions.npz"));
        for (double cond : java.util.Arrays.stream(ev.condition()).distinct().sorted().toArray()) {
            files.add(String.format(Locale.ROOT, "scatter_noise_%s.png", fmt(cond)));
        }
        for (String f : files) {
            AtomicFiles.checkWritable(out.resolve(f), force); // all or nothing: refuse before writing any
        }
        Files.createDirectories(out);
        StringBuilder csv = new StringBuilder("condition,parameter,unit,n,pearson,spearman,r2,rmse,nrmse\n");
        List<Map<String, Object>> json = new ArrayList<>();
        for (Evaluation.Row r : ev.rows()) {
            Metrics m = r.metrics();
            String unit = ev.units().get(ev.names().indexOf(r.parameter()));
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.6g,%.6g,%.6g,%.6g,%.6g%n", r.condition(),
                    r.parameter(), unit, m.n(), m.pearson(), m.spearman(), m.r2(), m.rmse(), m.nrmse()));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("condition", r.condition());
            e.put("parameter", r.parameter());
            e.put("unit", unit);
            e.put("n", m.n());
            e.put("pearson", m.pearson());
            e.put("spearman", m.spearman());
            e.put("r2", m.r2());
            e.put("rmse", m.rmse());
            e.put("nrmse", m.nrmse());
            json.add(e);
        }
        byte[] c = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve("metrics.csv"), force, s -> s.write(c));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model);
        doc.put("data", data);
        doc.put("metrics", json);
        byte[] js = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc);
        AtomicFiles.write(out.resolve("metrics.json"), force, s -> s.write(js));
        new Npy.Archive().put("y_true", NpyArray.of(ev.truth())).put("y_pred", NpyArray.of(ev.predicted()))
                .put("condition", NpyArray.of(ev.condition())).put("names", ev.names().toArray(String[]::new))
                .save(out.resolve("predictions.npz"), force);
        for (double cond : java.util.Arrays.stream(ev.condition()).distinct().sorted().toArray()) {
            List<XYChart> charts = new ArrayList<>();
            for (int j = 0; j < ev.names().size(); j++) {
                final int col = j;
                int[] in = java.util.stream.IntStream.range(0, ev.condition().length)
                        .filter(i -> ev.condition()[i] == cond).toArray();
                double[] t = java.util.Arrays.stream(in).mapToDouble(i -> ev.truth()[i][col]).toArray();
                double[] y = java.util.Arrays.stream(in).mapToDouble(i -> ev.predicted()[i][col]).toArray();
                String unit = ev.units().get(j);
                XYChart ch = Plots.chart(String.format(Locale.ROOT, "%s  (noise %s)  r = %.3f", ev.names().get(j),
                        fmt(cond), ev.pearson(cond, ev.names().get(j))), "true [" + unit + "]",
                        "predicted [" + unit + "]");
                Plots.points(ch, "recordings", t, y, new java.awt.Color(40, 90, 180));
                double lo = java.util.Arrays.stream(t).min().orElse(0);
                double hi = java.util.Arrays.stream(t).max().orElse(1);
                Plots.line(ch, "identity", new double[]{lo, hi}, new double[]{lo, hi}, java.awt.Color.GRAY);
                charts.add(ch);
            }
            Plots.save(out.resolve(String.format(Locale.ROOT, "scatter_noise_%s.png", fmt(cond))), charts, 3, force);
        }
    }
}
