package org.neuroinfer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuroinfer.cli.report.BenchmarkReport;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.cli.plot.SensitivityPlots;
import org.neuroinfer.pipeline.SensitivityStudy;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.io.YamlFiles;
import org.neuroinfer.learn.bench.Benchmark;
import org.neuroinfer.learn.bench.BenchmarkConfig;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.TrainingLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuroinfer benchmark CONFIG|PRESET --out DIR}: the benchmark end to end with its report. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the benchmark: generate the data set, run the sensitivity sweeps, train every model of "
                + "the file on every noise condition, score each on its test split, and write the report (the "
                + "benchmark's figure 4 and more).",
                "",
                "CONFIG is a benchmark file or a preset: quick (minutes; what demo runs), paper (the benchmark's "
                + "sizes, about an hour on two cores) or large (10^5 recordings per condition). The presets are "
                + "examples/benchmark-<preset>.yaml.",
                "",
                "Each stage is kept under OUT in a folder named by the hash of its settings (data-<hash>/, "
                + "sensitivity-<hash>/, models/<name>/noise-<level>-<hash>/), so running again after a kill, or "
                + "with a model or condition added, redoes only what is missing. Writes OUT/report.html (one "
                + "self-contained page), results.csv, results.json, times.json, config.yaml and the PNG figures."})
final class BenchmarkCommand implements Callable<Integer> {
    /** The presets, each {@code examples/benchmark-<name>.yaml} in the jar. */
    static final List<String> PRESETS = List.of("quick", "paper", "large");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Benchmark file (see examples/) or preset: "
            + "quick, paper, large.")
    String config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Benchmark folder.")
    Path out;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    /** The text of {@code config}: a preset's file from the jar, or the file. */
    static String text(String config) throws IOException {
        if (PRESETS.contains(config) && !Files.isRegularFile(Path.of(config))) {
            try (InputStream in = BenchmarkCommand.class.getResourceAsStream("presets/benchmark-" + config
                    + ".yaml")) {
                if (in == null) {
                    throw new IllegalStateException("preset " + config + " is missing from the program's jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Path f = Path.of(config);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("CONFIG " + config + ": no such file, and not a preset (valid: "
                    + String.join(", ", PRESETS) + ")");
        }
        return Files.readString(f);
    }

    @Override
    public Integer call() throws IOException {
        String text = text(config);
        Path given = Path.of(config);
        Path copy = out.resolve("config.yaml");
        boolean preset = !Files.isRegularFile(given);
        if (preset) { // its text is read from OUT/config.yaml, where errors then point
            keep(copy, text);
        }
        BenchmarkConfig c = YamlFiles.read(preset ? copy : given, BenchmarkConfig.class);
        if (c == null) {
            throw new IllegalArgumentException(config + " is empty; it needs generate: and models:");
        }
        if (!preset && !given.toAbsolutePath().normalize().equals(copy.toAbsolutePath().normalize())) {
            keep(copy, text); // a user's file is copied only once it has been read without error
        }
        run(c, text);
        return 0;
    }

    private static void keep(Path copy, String text) throws IOException {
        Files.createDirectories(copy.getParent());
        AtomicFiles.write(copy, true, s -> s.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs benchmark {@code c} (whose file reads {@code text}) into {@link #out} and writes its report. */
    Path run(BenchmarkConfig c, String text) throws IOException {
        SensitivityStudy.validate(c.sensitivity()); // every section is checked before the data are generated
        TorchRuntime.threads(threads.forEngine());
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        long[] stageTotal = new long[1];
        Benchmark bench = new Benchmark(c, out, threads.get());
        Path sensitivity = out.resolve("sensitivity-" + Checksums.sha256(new com.fasterxml.jackson.databind
                .ObjectMapper().writeValueAsBytes(c.sensitivity())).substring(0, 12));
        Benchmark.Result result;
        try (Progress.Deferred bar = new Progress.Deferred(err, "generating")) {
            result = bench.run(new Benchmark.Listener() {
                @Override
                public void stage(String what, long total, boolean cached) {
                    bar.close();
                    stageTotal[0] = total;
                    o.println(what + (cached ? ": done earlier, kept" : ""));
                    o.flush();
                    if (!cached && what.startsWith("generating")) {
                        bar.start(total);
                    }
                }

                @Override
                public void generated(Path data) throws IOException {
                    bar.close();
                    sensitivity(c, sensitivity, o);
                }

                @Override
                public void failed(String message) {
                    bar.close();
                    err.println("WARNING: " + message + " — reported as NaN; the benchmark goes on");
                    err.flush();
                }

                @Override
                public void advance(long units) {
                    bar.advance((int) units);
                }

                @Override
                public TrainingLoop.Listener training() {
                    bar.close();
                    return new TrainCommand.EpochPrinter(o, err, (int) stageTotal[0]);
                }
            });
        }
        print(o, result.rows());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("written", BenchmarkReport.now());
        meta.put("program", Main.class.getAnnotation(Command.class).version()[0] + ", Java "
                + System.getProperty("java.version") + ", " + TorchRuntime.describe());
        meta.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + threads.get() + " threads");
        meta.put("configuration", config);
        meta.put("this run", String.format(Locale.ROOT, "%.1f s (stages kept from earlier runs are not redone)",
                seconds));
        Path report = new BenchmarkReport(out, bench, result).write(c, text, sensitivity, meta);
        o.printf(Locale.ROOT, "wrote %s (report.html, results.csv, results.json, figure4.png, heatmap.png, ...) in "
                + "%.1f s%n", report.getParent(), (System.nanoTime() - t0) / 1e9);
        o.flush();
        return report;
    }

    /** The sensitivity stage: the sweeps of {@code c.sensitivity()} into {@code dir}, unless done earlier. */
    private void sensitivity(BenchmarkConfig c, Path dir, PrintWriter o) throws IOException {
        if (Files.exists(dir.resolve(SensitivityStudy.SUMMARY))) {
            o.println("sensitivity sweeps: done earlier, kept");
            o.flush();
            return;
        }
        o.println("sensitivity sweeps (" + c.sensitivity().analysis() + ")");
        o.flush();
        SensitivityStudy.Result r;
        try (Progress p = Progress.start(spec.commandLine().getErr(), SensitivityStudy.activity(c.sensitivity()),
                SensitivityStudy.total(c.sensitivity()))) {
            r = SensitivityStudy.run(c.sensitivity(), dir, threads.get(), p::advance, SensitivityPlots::draw);
        }
        o.print(r.text());
        o.flush();
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
}
