package org.neuroinfer.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.data.YamlFiles;
import org.neuroinfer.learn.bench.Benchmark;
import org.neuroinfer.learn.bench.BenchmarkConfig;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.Fit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The benchmark end to end: generate, train every model at every noise condition, score, tabulate, plot. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the benchmark: generate the data set, train every model of the file on every noise "
                + "condition, score each on its test split, and write the table (the benchmark's figure 4).",
                "",
                "Each stage is kept under OUT in a folder named by the hash of its settings (data-<hash>/, "
                + "models/<name>/noise-<level>-<hash>/), so running again after a kill, or with a model or "
                + "condition added, redoes only what is missing. Writes OUT/results.csv, OUT/results.json and "
                + "OUT/figure4.png (Pearson r against noise, one panel per parameter, one line per model)."})
final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Benchmark file (see examples/).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Benchmark folder.")
    Path out;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        BenchmarkConfig c = YamlFiles.read(config, BenchmarkConfig.class);
        if (c == null) {
            throw new IllegalArgumentException(config + " is empty; it needs generate: and models:");
        }
        TorchRuntime.threads(threads.get());
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        Progress[] bar = new Progress[1];
        long[] stageTotal = new long[1];
        List<Benchmark.Row> rows;
        try {
            rows = new Benchmark(c, out, threads.get()).run(new Benchmark.Listener() {
                @Override
                public void stage(String what, long total, boolean cached) {
                    close(bar);
                    stageTotal[0] = total;
                    o.println(what + (cached ? ": done earlier, kept" : ""));
                    o.flush();
                    if (!cached && what.startsWith("generating")) {
                        bar[0] = Progress.start(err, "generating", total);
                    }
                }

                @Override
                public void advance(long units) {
                    if (bar[0] != null) {
                        bar[0].advance((int) units);
                    }
                }

                @Override
                public Fit.Listener training() {
                    close(bar);
                    return new TrainCommand.EpochPrinter(o, err, (int) stageTotal[0]);
                }
            });
        } finally {
            close(bar);
        }
        print(o, rows);
        figure(rows);
        o.printf(Locale.ROOT, "wrote %s (results.csv, results.json, figure4.png) in %.1f s%n", out,
                (System.nanoTime() - t0) / 1e9);
        o.flush();
        return 0;
    }

    private static void close(Progress[] bar) {
        if (bar[0] != null) {
            bar[0].close();
            bar[0] = null;
        }
    }

    /** Per model, Pearson r by condition and parameter. */
    private static void print(PrintWriter o, List<Benchmark.Row> rows) {
        List<String> params = new ArrayList<>(new LinkedHashSet<>(rows.stream().map(Benchmark.Row::parameter)
                .toList()));
        for (String model : new LinkedHashSet<>(rows.stream().map(Benchmark.Row::model).toList())) {
            o.println(model + ", Pearson r on the test split:");
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s", "noise"));
            params.forEach(p -> head.append(String.format(Locale.ROOT, "%8s", p)));
            o.println(head);
            for (double level : rows.stream().filter(r -> r.model().equals(model))
                    .mapToDouble(Benchmark.Row::condition).distinct().sorted().toArray()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", level));
                for (String p : params) {
                    double r = rows.stream().filter(x -> x.model().equals(model) && x.condition() == level
                            && x.parameter().equals(p)).mapToDouble(Benchmark.Row::pearson).findFirst()
                            .orElse(Double.NaN);
                    line.append(String.format(Locale.ROOT, "%8.3f", r));
                }
                o.println(line);
            }
        }
    }

    /** Figure 4: r against the noise level, a panel per parameter, a line per model. */
    private void figure(List<Benchmark.Row> rows) throws IOException {
        List<String> params = new ArrayList<>(new LinkedHashSet<>(rows.stream().map(Benchmark.Row::parameter)
                .toList()));
        List<String> models = new ArrayList<>(new LinkedHashSet<>(rows.stream().map(Benchmark.Row::model).toList()));
        List<XYChart> charts = new ArrayList<>();
        for (String p : params) {
            XYChart ch = Plots.chart(p, "noise level", "Pearson r");
            ch.getStyler().setLegendVisible(true);
            ch.getStyler().setYAxisMin(-0.2).setYAxisMax(1.0);
            for (int k = 0; k < models.size(); k++) {
                String m = models.get(k);
                List<Benchmark.Row> rs = rows.stream().filter(r -> r.model().equals(m) && r.parameter().equals(p))
                        .sorted(java.util.Comparator.comparingDouble(Benchmark.Row::condition)).toList();
                double[] x = rs.stream().mapToDouble(Benchmark.Row::condition).toArray();
                double[] y = rs.stream().mapToDouble(r -> Double.isFinite(r.pearson()) ? r.pearson() : 0).toArray();
                Color col = Plots.ramp(models.size() == 1 ? 0 : k / (double) (models.size() - 1));
                Plots.points(ch, m, x, y, col);
                Plots.line(ch, m + " ", x, y, col).setShowInLegend(false);
            }
            charts.add(ch);
        }
        Files.createDirectories(out);
        Plots.save(out.resolve("figure4.png"), charts, 3, true);
    }
}
