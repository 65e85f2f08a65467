package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.data.AtomicFiles;
import org.neuroinfer.data.Csv;
import org.neuroinfer.data.Npy;
import org.neuroinfer.data.NpyArray;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.EegProjection;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedNoise;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.sensitivity.ErpFeatures;
import org.neuroinfer.sensitivity.GlobalAnalysis;
import org.neuroinfer.sensitivity.GlobalSensitivity;
import org.neuroinfer.sensitivity.OneAtATime;
import org.neuroinfer.sensitivity.SensitivityConfig;
import org.neuroinfer.sensitivity.SweepReport;
import org.neuroinfer.stimulus.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a sensitivity analysis of the Jansen-Rit ERP from a YAML file. */
@Command(name = "sensitivity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sensitivity of the Jansen-Rit ERP: the benchmark's one-at-a-time sweeps (its figures 2, 3).",
                "",
                "Each parameter alone over n evenly spaced values, the others at their defaults; per value the ERP "
                + "(a channel of the EEG evoked response, the global field power, or the source signal), its "
                + "error against the default ERP and its gradient. Writes summary.txt (the ranking and flags), "
                + "oat_summary.csv, oat.npz and a three-panel figure per parameter."})
final class SensitivityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Analysis file (see examples/).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        return run(SensitivityConfig.read(config));
    }

    /**
     * Checks {@code c} (defaults filled in) as far as it can be checked without simulating: the convention, the
     * parameter names and the channel; so a benchmark refuses a bad {@code sensitivity:} section before it
     * generates its data.
     *
     * @throws IllegalArgumentException naming the bad value and the valid ones
     */
    static void validate(SensitivityConfig c) {
        JansenRit model = new JansenRit(Convention.of(c.convention()));
        if (c.parameters() != null) {
            c.parameters().forEach(model.parameterSpace()::indexOf);
        }
        observer(c);
    }

    /** Runs the analysis {@code c} (defaults filled in) into {@link #out}. */
    int run(SensitivityConfig c) throws IOException {
        validate(c);
        JansenRit model = new JansenRit(Convention.of(c.convention()));
        List<String> names = c.parameters() == null ? List.of(model.parameterSpace().names()) : c.parameters();
        OneAtATime.Observer observer = observer(c);
        String unit = model.outputUnit().equals("V") || !c.signal().equals("source") ? "V" : model.outputUnit();
        if (!c.analysis().equals("one-at-a-time")) {
            return global(c, model, names, observer, unit);
        }
        int total = 1 + names.size() * c.n();
        long t0 = System.nanoTime();
        OneAtATime.Result r;
        try (Progress p = Progress.start(spec.commandLine().getErr(), "sweeping", total)) {
            r = OneAtATime.run(model, names, "prior".equals(c.range()) ? OneAtATime.Range.PRIOR
                    : OneAtATime.Range.RELATIVE, c.span(), c.n(), observer, threads.get(), p::advance);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        String what = c.signal().equals("channel") ? "EEG channel " + c.channel() : c.signal().equals("gfp")
                ? "global field power" : "source signal y1 - y2";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "one-at-a-time sweeps of %s (%s): %d "
                        + "parameters x %d values over %s, noise factor %s; %d simulations of the 61-s protocol in "
                        + "%.2f s%n", what, c.convention(), names.size(), c.n(), c.range().equals("prior")
                        ? "the prior range" : String.format(Locale.ROOT, "default +-%.0f %%", 100 * c.span()),
                c.noiseFactor(), total, seconds));
        sb.append(SweepReport.text(r, unit));
        writeFiles(r, unit, what);
        sb.append("wrote ").append(out).append(": summary.txt, oat_summary.csv, oat.npz, oat_<parameter>.png\n");
        return summary(sb);
    }

    /** Writes {@code summary.txt} and prints it. */
    private int summary(StringBuilder sb) throws IOException {
        AtomicFiles.write(out.resolve("summary.txt"), true,
                o -> o.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
        PrintWriter o = spec.commandLine().getOut();
        o.print(sb);
        o.flush();
        return 0;
    }

    /** Morris or Sobol indices of the ERP features and over time. */
    private int global(SensitivityConfig c, JansenRit model, List<String> names, OneAtATime.Observer observer,
                       String unit) throws IOException {
        boolean sobol = c.analysis().equals("sobol");
        int k = names.size();
        int stride = 10;
        int total = sobol ? c.baseSamples() * (k + 2) : c.trajectories() * (k + 1);
        OneAtATime.Range range = "prior".equals(c.range()) ? OneAtATime.Range.PRIOR : OneAtATime.Range.RELATIVE;
        long t0 = System.nanoTime();
        List<String> outputs = new ArrayList<>(ErpFeatures.NAMES);
        double[] rt = GlobalAnalysis.resolvedTimes(stride);
        double[][] first = new double[outputs.size() + rt.length][];
        double[][] second = new double[first.length][];
        List<double[][]> ci = new ArrayList<>();
        try (Progress p = Progress.start(spec.commandLine().getErr(), c.analysis(), total)) {
            var f = GlobalAnalysis.model(model, names, range, c.span(), observer, stride, threads.get(),
                    p::advance);
            if (sobol) {
                var idx = GlobalSensitivity.sobolAll(k, c.baseSamples(), f, c.bootstrap(), c.seed());
                for (int m = 0; m < idx.size(); m++) {
                    first[m] = idx.get(m).first();
                    second[m] = idx.get(m).total();
                    ci.add(new double[][] {col(idx.get(m).firstCi(), 0), col(idx.get(m).firstCi(), 1),
                        col(idx.get(m).totalCi(), 0), col(idx.get(m).totalCi(), 1)});
                }
            } else {
                var idx = GlobalSensitivity.morrisAll(k, c.trajectories(), c.levels(), f, c.seed());
                for (int m = 0; m < idx.size(); m++) {
                    first[m] = idx.get(m).muStar();
                    second[m] = idx.get(m).sigma();
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        String a = sobol ? "S" : "mu*";
        String b = sobol ? "ST" : "sigma";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s indices of the %s (%s) over %s: %d "
                        + "parameters, %d simulations of the 61-s protocol in %.1f s%n", sobol ? "Sobol" : "Morris",
                c.signal().equals("channel") ? "EEG channel " + c.channel() : c.signal(), c.convention(),
                range == OneAtATime.Range.PRIOR ? "the prior" : "default +-" + (100 * c.span()) + " %", k, total,
                seconds));
        int rms = ErpFeatures.NAMES.indexOf("rms");
        double max = java.util.Arrays.stream(second[rms]).filter(Double::isFinite).max().orElse(0);
        double maxA = java.util.Arrays.stream(first[rms]).filter(Double::isFinite).max().orElse(0);
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
        }
        double[] key = sobol ? second[rms] : first[rms];
        java.util.Arrays.sort(order, (x, y) -> Double.compare(key[y], key[x]));
        sb.append(String.format(Locale.ROOT, "ranking by %s of the ERP's RMS:%n", sobol ? "total index ST" : "mu*"));
        for (int r = 0; r < k; r++) {
            int j = order[r];
            boolean nearZero = sobol ? !(second[rms][j] >= 0.01) : !(first[rms][j] >= 0.01 * maxA);
            sb.append(String.format(Locale.ROOT, "%2d. %-4s %s %8.4g  %s %8.4g%s%n", r + 1, names.get(j), a,
                    first[rms][j], b, second[rms][j], nearZero ? "  near-zero effect" : ""));
        }
        sb.append(String.format(Locale.ROOT, "%-14s", "feature"));
        for (String n : names) {
            sb.append(String.format(Locale.ROOT, " %17s", n + " " + a + "/" + b));
        }
        sb.append('\n');
        for (int m = 0; m < outputs.size(); m++) {
            sb.append(String.format(Locale.ROOT, "%-14s", outputs.get(m)));
            for (int j = 0; j < k; j++) {
                sb.append(String.format(Locale.ROOT, " %8.3g/%-8.3g", first[m][j], second[m][j]));
            }
            sb.append('\n');
        }
        // files: indices of every output (features, then the ERP at each resolved time)
        List<String> header = new ArrayList<>(List.of("output_index", "time_s", "parameter_index", a, b));
        if (sobol) {
            header.addAll(List.of("S_low", "S_high", "ST_low", "ST_high"));
        }
        int rowsN = first.length * k;
        double[][] cols = new double[header.size()][rowsN];
        for (int m = 0; m < first.length; m++) {
            for (int j = 0; j < k; j++) {
                int row = m * k + j;
                cols[0][row] = m;
                cols[1][row] = m < outputs.size() ? Double.NaN : rt[m - outputs.size()];
                cols[2][row] = j;
                cols[3][row] = first[m][j];
                cols[4][row] = second[m][j];
                if (sobol) {
                    for (int q = 0; q < 4; q++) {
                        cols[5 + q][row] = ci.get(m)[q][j];
                    }
                }
            }
        }
        String base = sobol ? "sobol" : "morris";
        Csv.write(out.resolve(base + "_indices.csv"), header.toArray(String[]::new), cols, true);
        java.util.Map<String, double[]> bars = new java.util.LinkedHashMap<>();
        bars.put(a, first[rms]);
        bars.put(b, second[rms]);
        XYChart overTime = Plots.chart((sobol ? "total Sobol index ST" : "Morris mu*") + " over the ERP",
                "time from stimulus (s)", sobol ? "ST" : "mu* (" + unit + ")");
        overTime.getStyler().setLegendVisible(true);
        for (int j = 0; j < k; j++) {
            double[] yv = new double[rt.length];
            for (int m = 0; m < rt.length; m++) {
                double v = second[outputs.size() + m][j];
                yv[m] = sobol ? (Double.isFinite(v) ? v : 0) : first[outputs.size() + m][j];
            }
            Plots.line(overTime, names.get(j), rt, yv, Plots.ramp(j / (double) Math.max(1, k - 1)));
        }
        List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts = new ArrayList<>();
        charts.add(Plots.bars((sobol ? "Sobol indices" : "Morris screening") + " of the ERP's RMS", a + ", " + b,
                names, bars));
        charts.add(overTime);
        Plots.save(out.resolve(base + ".png"), charts, 1, true);
        sb.append("wrote ").append(out).append(": summary.txt, ").append(base).append("_indices.csv, ").append(base)
                .append(".png\n");
        return summary(sb);
    }

    private static double[] col(double[][] ci, int which) {
        double[] v = new double[ci.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = ci[j][which];
        }
        return v;
    }

    private static OneAtATime.Observer observer(SensitivityConfig c) {
        if (c.signal().equals("source")) {
            return (i, e) -> e;
        }
        EegProjection projection = EegProjection.benchmark(EegProjection.BENCHMARK_SCALE, c.noiseFactor());
        Protocol protocol = Protocol.benchmark();
        EvokedNoise sampler = new EvokedNoise(protocol.onsets(), protocol.nSamples(), EpochWindow.benchmark());
        int ch = Arrays.asList(projection.channels()).indexOf(c.channel());
        if (c.signal().equals("channel") && ch < 0) {
            throw new IllegalArgumentException("channel '" + c.channel() + "' is not on the cap; valid: "
                    + String.join(", ", projection.channels()));
        }
        return (i, e) -> {
            double[] x = projection.observe(e, sampler, RandomStreams.stream(c.seed(), i, RandomStreams.EEG_NOISE));
            int len = e.length;
            if (c.signal().equals("channel")) {
                return Arrays.copyOfRange(x, ch * len, (ch + 1) * len);
            }
            return EegProjection.globalFieldPower(x, projection.size());
        };
    }

    private void writeFiles(OneAtATime.Result r, String unit, String what) throws IOException {
        List<OneAtATime.Sweep> sweeps = r.sweeps();
        int p = sweeps.size();
        String[] header = {"rank", "effect_" + unit, "relative_effect", "lower", "upper", "amplitude_min_" + unit,
            "amplitude_max_" + unit, "mean_abs_error_" + unit, "max_abs_gradient_" + unit + "_per_unit"};
        double[][] cols = new double[header.length][p];
        List<SweepReport.Line> ranking = SweepReport.rank(r);
        Npy.Archive npz = new Npy.Archive();
        double[] time = EpochWindow.benchmark().times(Protocol.benchmark().sfreq());
        npz.put("time", NpyArray.of(time)).put("default_erp", NpyArray.of(r.defaultErp()));
        List<String> names = new ArrayList<>();
        for (int k = 0; k < p; k++) {
            OneAtATime.Sweep s = sweeps.get(k);
            String name = s.parameter().name();
            names.add(name);
            int rank = 1;
            while (!ranking.get(rank - 1).name().equals(name)) {
                rank++;
            }
            double[] amp = s.amplitude();
            double meanErr = Arrays.stream(s.absError()).flatMapToDouble(Arrays::stream).average().orElse(0);
            double maxGrad = Arrays.stream(s.gradient()).flatMapToDouble(Arrays::stream).map(Math::abs).max()
                    .orElse(0);
            double[] row = {rank, s.effect(), ranking.get(rank - 1).relative(), s.values()[0],
                s.values()[s.values().length - 1], Arrays.stream(amp).min().orElse(0),
                Arrays.stream(amp).max().orElse(0), meanErr, maxGrad};
            for (int j = 0; j < row.length; j++) {
                cols[j][k] = row[j];
            }
            npz.put("values_" + name, NpyArray.of(s.values())).put("erp_" + name, NpyArray.of(s.erp()))
                    .put("abs_error_" + name, NpyArray.of(s.absError()))
                    .put("log10_rel_error_" + name, NpyArray.of(s.log10RelError()))
                    .put("gradient_" + name, NpyArray.of(s.gradient()));
            Plots.save(out.resolve("oat_" + name + ".png"), charts(s, time, unit, what), 3, true);
        }
        String[] h2 = new String[header.length + 1];
        h2[0] = "parameter_index";
        System.arraycopy(header, 0, h2, 1, header.length);
        double[][] c2 = new double[cols.length + 1][];
        c2[0] = java.util.stream.IntStream.range(0, p).asDoubleStream().toArray();
        System.arraycopy(cols, 0, c2, 1, cols.length);
        Csv.write(out.resolve("oat_summary.csv"), h2, c2, true);
        npz.put("param_names", names.toArray(String[]::new)).save(out.resolve("oat.npz"), true);
    }

    private static List<XYChart> charts(OneAtATime.Sweep s, double[] time, String unit, String what) {
        String p = s.parameter().name();
        String u = "1".equals(s.parameter().unit()) ? "" : " " + s.parameter().unit();
        XYChart erp = Plots.chart(p + ": " + what + " (blue low .. red high, " + fmt(s.values()[0]) + " .. "
                + fmt(s.values()[s.values().length - 1]) + u + ")", "time from stimulus (s)", unit);
        XYChart err = Plots.chart(p + ": |ERP - default ERP|", "time from stimulus (s)", unit);
        XYChart grad = Plots.chart(p + ": dERP/d" + p, "time from stimulus (s)", unit + " per" + (u.isEmpty()
                ? " unit" : u));
        int n = s.values().length;
        int step = Math.max(1, n / 40);
        for (int i = 0; i < n; i += step) {
            java.awt.Color col = Plots.ramp(i / (double) (n - 1));
            Plots.line(erp, "v" + i, time, s.erp()[i], col);
            Plots.line(err, "v" + i, time, s.absError()[i], col);
            Plots.line(grad, "v" + i, time, s.gradient()[i], col);
        }
        return List.of(erp, err, grad);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
