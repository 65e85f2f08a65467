package org.neuroinfer.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.HeatMap;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.bench.Benchmark;
import org.neuroinfer.learn.bench.BenchmarkConfig;

/**
 * The benchmark's report: the table of Pearson r (and R², RMSE) per model, noise condition and parameter — the
 * benchmark's figure 4 (Tilwani &amp; O'Reilly, arXiv 2406.05002) — as a heat map and as lines against noise and
 * SNR, true-against-predicted scatter plots, the posterior estimators' calibration, the sensitivity sweeps, run
 * times and the configuration, written as PNG files and one self-contained {@code report.html}.
 */
public final class BenchmarkReport {
    /** The files written besides {@code report.html}. */
    public static final List<String> FIGURES = List.of("figure4.png", "r-vs-snr.png", "heatmap.png");

    private final Path out;
    private final Benchmark bench;
    private final Benchmark.Result result;
    private final List<String> models;
    private final List<String> params;
    private final double[] levels;

    /** The report of {@code result}, run by {@code bench} into {@code out}. */
    public BenchmarkReport(Path out, Benchmark bench, Benchmark.Result result) {
        this.out = out;
        this.bench = bench;
        this.result = result;
        this.models = distinct(result.rows().stream().map(Benchmark.Row::model).toList());
        this.params = distinct(result.rows().stream().map(Benchmark.Row::parameter).toList());
        this.levels = result.rows().stream().mapToDouble(Benchmark.Row::condition).distinct().sorted().toArray();
    }

    private static List<String> distinct(List<String> v) {
        return new ArrayList<>(new LinkedHashSet<>(v));
    }

    /**
     * Writes the figures and {@code report.html}.
     *
     * @param config      the benchmark file's settings (defaults filled in)
     * @param configText  the file as the user wrote it
     * @param sensitivity the sensitivity stage's folder (its summary.txt and oat_*.png), or null
     * @param meta        lines for the report's header (what ran, where, how long)
     * @return the report's path
     */
    public Path write(BenchmarkConfig config, String configText, Path sensitivity, Map<String, String> meta)
            throws IOException {
        Files.createDirectories(out);
        lines(out.resolve("figure4.png"), "noise factor", r -> r.condition(), false);
        lines(out.resolve("r-vs-snr.png"), "median SNR of the condition (dB)", r -> result.snrDb().get(r.condition()),
                true);
        heatmap(out.resolve("heatmap.png"));
        Html h = new Html("neuroinfer benchmark report");
        List<List<String>> metaRows = new ArrayList<>();
        meta.forEach((k, v) -> metaRows.add(List.of(k, v)));
        h.table(List.of("", ""), metaRows, null);
        h.paragraph("Every model was trained on the training split of each noise condition's recordings and scored on "
                + "its held-out test split (posterior estimators by their posterior mean). Pearson r between true and "
                + "predicted parameters is the benchmark's figure 4.");

        h.heading(2, "figure4", "Which parameters each model recovers");
        h.image(out.resolve("heatmap.png"), "Pearson r per model (panel), noise condition (row) and parameter "
                + "(column); red: recovered, white: not at all, blue: anti-correlated");
        h.image(out.resolve("figure4.png"), "Pearson r against the noise factor, one panel per parameter, one line per "
                + "model (the benchmark's figure 4)");
        if (result.snrDb().values().stream().anyMatch(Double::isFinite)) {
            h.image(out.resolve("r-vs-snr.png"), "Pearson r against the median SNR of each condition's recordings "
                    + "(conditions without noise have no finite SNR and are left out)");
        }
        List<String> failed = result.rows().stream().filter(r -> r.note() != null)
                .map(r -> r.model() + " at noise " + fmt(r.condition()) + ": " + r.note()).distinct().toList();
        if (!failed.isEmpty()) {
            h.paragraph("Cells without a result (grey, –): " + String.join("; ", failed) + ". They are not kept, so "
                    + "running the benchmark again retries them; a smaller learning rate or clip_norm in the model's "
                    + "settings usually helps.");
        }
        metricTable(h, "Pearson r", Benchmark.Row::pearson, true);
        h.details("R² per model, condition and parameter");
        metricTable(h, "R²", Benchmark.Row::r2, true);
        h.endDetails();
        h.details("RMSE per model, condition and parameter (parameter units)");
        metricTable(h, "RMSE", Benchmark.Row::rmse, false);
        h.endDetails();

        h.heading(2, "scatter", "True against predicted");
        for (String m : models) {
            Path png = out.resolve("scatter-" + m + ".png");
            if (scatter(m, png)) {
                h.image(png, m + ": test-split recordings at the lowest (blue) and highest (red) noise condition; the "
                        + "line is truth = prediction");
            }
        }

        List<String> posterior = models.stream().filter(m -> result.rows().stream()
                .anyMatch(r -> r.model().equals(m) && r.coverage50() != null)).toList();
        if (!posterior.isEmpty()) {
            h.heading(2, "calibration", "Posterior calibration");
            h.paragraph("Expected coverage: the fraction of held-out simulations whose true parameters lie in the "
                    + "posterior's highest-density region of each level. On the diagonal the posterior is calibrated, "
                    + "below it is overconfident, above it underconfident. The table gives, per parameter, the "
                    + "coverage of the central 50 % and 95 % marginal credible intervals.");
            for (String m : posterior) {
                Path png = out.resolve("calibration-" + m + ".png");
                if (calibration(m, png)) {
                    h.image(png, m + ": expected coverage of the HPD regions, one line per noise condition");
                }
                coverageTable(h, m);
            }
        }

        if (sensitivity != null && Files.exists(sensitivity.resolve("summary.txt"))) {
            h.heading(2, "sensitivity", "Sensitivity of the ERP to each parameter (one at a time)");
            h.pre(Files.readString(sensitivity.resolve("summary.txt")));
            h.details("The sweeps: ERP, error against the default ERP, and gradient, per parameter");
            try (var files = Files.list(sensitivity)) {
                for (Path png : files.filter(f -> f.getFileName().toString().startsWith("oat_")
                        && f.toString().endsWith(".png")).sorted().toList()) {
                    h.image(png, png.getFileName().toString());
                }
            }
            h.endDetails();
        }

        h.heading(2, "times", "Run times");
        List<List<String>> times = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, Double> e : result.seconds().entrySet()) {
            times.add(List.of(e.getKey(), String.format(Locale.ROOT, "%.1f", e.getValue())));
            total += e.getValue();
        }
        times.add(List.of("all stages", String.format(Locale.ROOT, "%.1f", total)));
        h.paragraph("Seconds each stage took when it ran (stages kept from an earlier run keep their time).");
        h.table(List.of("stage", "seconds"), times, null);

        h.heading(2, "config", "Configuration");
        h.pre(configText);
        h.details("With every default filled in");
        h.pre(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(config));
        h.endDetails();
        h.paragraph("Files beside this report: results.csv and results.json (every number above), times.json, "
                + "the PNG figures, " + result.dataDir().getFileName() + "/ (the data set) and models/<model>/"
                + "noise-<level>-<hash>/ (each trained model with its evaluation.json and predictions.npz).");
        Path file = out.resolve("report.html");
        byte[] bytes = h.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, true, s -> s.write(bytes));
        return file;
    }

    /** Today's date and time for a report header. */
    public static String now() {
        return ZonedDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private double value(String model, double level, String param, ToDoubleFunction<Benchmark.Row> metric) {
        return result.rows().stream().filter(r -> r.model().equals(model) && r.condition() == level
                && r.parameter().equals(param)).mapToDouble(metric).findFirst().orElse(Double.NaN);
    }

    private void metricTable(Html h, String name, ToDoubleFunction<Benchmark.Row> metric, boolean colour) {
        List<String> header = new ArrayList<>(List.of("model", "noise", "SNR dB"));
        header.addAll(params);
        List<List<String>> rows = new ArrayList<>();
        List<Color[]> colours = new ArrayList<>();
        for (String m : models) {
            for (double level : levels) {
                if (result.rows().stream().noneMatch(r -> r.model().equals(m) && r.condition() == level)) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(m, fmt(level), snr(level)));
                Color[] c = new Color[header.size()];
                for (int j = 0; j < params.size(); j++) {
                    double v = value(m, level, params.get(j), metric);
                    row.add(Double.isNaN(v) ? "–" : colour ? String.format(Locale.ROOT, "%.2f", v)
                            : String.format(Locale.ROOT, "%.3g", v));
                    c[3 + j] = colour ? HeatMap.color(v) : null;
                }
                rows.add(row);
                colours.add(c);
            }
        }
        h.table(header, rows, colours.toArray(Color[][]::new));
    }

    private String snr(double level) {
        Double s = result.snrDb().get(level);
        return s == null || Double.isNaN(s) ? "" : Double.isInfinite(s) ? "∞" : String.format(Locale.ROOT, "%.1f", s);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0$", "");
    }

    /** Pearson r against {@code x} of each condition, one panel per parameter and one line per model. */
    private void lines(Path file, String xTitle, ToDoubleFunction<Benchmark.Row> x, boolean finiteOnly)
            throws IOException {
        List<XYChart> charts = new ArrayList<>();
        // one scale for every panel, from -0.2 or lower to show every r
        double lo = Plots.lowerBound(-0.2, 0.1, result.rows().stream().mapToDouble(Benchmark.Row::pearson).toArray());
        for (String p : params) {
            XYChart ch = Plots.chart(p, xTitle, "Pearson r");
            ch.getStyler().setLegendVisible(charts.isEmpty());
            ch.getStyler().setXAxisDecimalPattern("0.0#");
            ch.getStyler().setYAxisMin(lo).setYAxisMax(1.0);
            for (int k = 0; k < models.size(); k++) {
                String m = models.get(k);
                List<Benchmark.Row> rs = result.rows().stream().filter(r -> r.model().equals(m)
                        && r.parameter().equals(p) && (!finiteOnly || Double.isFinite(x.applyAsDouble(r))))
                        .sorted(Comparator.comparingDouble(x)).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                double[] xs = rs.stream().mapToDouble(x).toArray();
                double[] ys = rs.stream().mapToDouble(r -> Double.isFinite(r.pearson()) ? r.pearson() : 0).toArray();
                Color col = Plots.ramp(models.size() == 1 ? 0 : k / (double) (models.size() - 1));
                Plots.points(ch, m, xs, ys, col);
                Plots.line(ch, m + " ", xs, ys, col).setShowInLegend(false);
            }
            charts.add(ch);
        }
        Plots.save(file, charts, 3, true);
    }

    private void heatmap(Path file) throws IOException {
        List<HeatMap.Panel> panels = new ArrayList<>();
        for (String m : models) {
            double[] ls = Arrays.stream(levels).filter(l -> result.rows().stream()
                    .anyMatch(r -> r.model().equals(m) && r.condition() == l)).toArray();
            double[][] v = new double[ls.length][params.size()];
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < ls.length; i++) {
                labels.add("noise " + fmt(ls[i]));
                for (int j = 0; j < params.size(); j++) {
                    v[i][j] = value(m, ls[i], params.get(j), Benchmark.Row::pearson);
                }
            }
            panels.add(new HeatMap.Panel(m + " — Pearson r", labels, params, v));
        }
        HeatMap.save(file, panels, Math.min(3, panels.size()), true);
    }

    private Map<String, NpyArray> predictions(String model, double level) throws IOException {
        Path f = bench.cellDir(model, level).resolve(Benchmark.PREDICTIONS);
        return Files.exists(f) ? Npy.loadArchive(f) : null;
    }

    /** True against predicted per parameter at the lowest and highest condition; false if nothing was kept. */
    private boolean scatter(String model, Path file) throws IOException {
        double[] ls = Arrays.stream(levels).filter(l -> result.rows().stream()
                .anyMatch(r -> r.model().equals(model) && r.condition() == l)).toArray();
        if (ls.length == 0) {
            return false;
        }
        double[] shown = ls.length == 1 ? ls : new double[] {ls[0], ls[ls.length - 1]};
        List<Map<String, NpyArray>> data = new ArrayList<>();
        for (double l : shown) {
            Map<String, NpyArray> d = predictions(model, l);
            if (d == null) {
                return false;
            }
            data.add(d);
        }
        List<XYChart> charts = new ArrayList<>();
        for (int j = 0; j < params.size(); j++) {
            XYChart ch = Plots.chart(model + ": " + params.get(j), "true", "predicted");
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < shown.length; k++) {
                double[] t = column(data.get(k).get("truth"), j);
                double[] p = column(data.get(k).get("predicted"), j);
                for (double v : t) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                Plots.points(ch, "noise " + fmt(shown[k]), t, p, k == 0 ? new Color(49, 99, 180, 170)
                        : new Color(196, 40, 40, 170));
            }
            Plots.line(ch, "identity", new double[] {lo, hi}, new double[] {lo, hi}, Color.DARK_GRAY);
            ch.getStyler().setLegendVisible(j == 0);
            ch.getStyler().setMarkerSize(4);
            charts.add(ch);
        }
        Plots.save(file, charts, 3, 600, 420, true);
        return true;
    }

    private static double[] column(NpyArray a, int j) {
        int n = a.shape()[0];
        int p = a.shape()[1];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = a.data()[i * p + j];
        }
        return c;
    }

    /** Expected HPD coverage against the nominal level, one line per condition. */
    private boolean calibration(String model, Path file) throws IOException {
        XYChart ch = Plots.chart(model + ": expected coverage", "credibility level", "coverage");
        ch.getStyler().setLegendVisible(true);
        Plots.line(ch, "calibrated", new double[] {0, 1}, new double[] {0, 1}, Color.DARK_GRAY);
        boolean any = false;
        for (int k = 0; k < levels.length; k++) {
            Map<String, NpyArray> d = predictions(model, levels[k]);
            if (d == null || !d.containsKey("hpd_level")) {
                continue;
            }
            double[] hpd = d.get("hpd_level").data().clone();
            Arrays.sort(hpd);
            double[] a = new double[101];
            double[] c = new double[101];
            for (int i = 0; i <= 100; i++) {
                a[i] = i / 100.0;
                int at = i;
                c[i] = Arrays.stream(hpd).filter(v -> v <= at / 100.0).count() / (double) hpd.length;
            }
            Plots.line(ch, "noise " + fmt(levels[k]), a, c, Plots.ramp(levels.length == 1 ? 0
                    : k / (double) (levels.length - 1)));
            any = true;
        }
        if (any) {
            Plots.save(file, List.of(ch), 1, 700, 520, true);
        }
        return any;
    }

    private void coverageTable(Html h, String model) {
        List<String> header = new ArrayList<>(List.of("noise", "interval"));
        header.addAll(params);
        List<List<String>> rows = new ArrayList<>();
        for (double level : levels) {
            for (int which = 0; which < 2; which++) {
                List<String> row = new ArrayList<>(List.of(fmt(level), which == 0 ? "50 %" : "95 %"));
                boolean any = false;
                for (String p : params) {
                    int w = which;
                    Double c = result.rows().stream().filter(r -> r.model().equals(model) && r.condition() == level
                            && r.parameter().equals(p)).map(r -> w == 0 ? r.coverage50() : r.coverage95())
                            .findFirst().orElse(null);
                    any |= c != null;
                    row.add(c == null ? "" : String.format(Locale.ROOT, "%.2f", c));
                }
                if (any) {
                    rows.add(row);
                }
            }
        }
        h.table(header, rows, null);
    }
}
