package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Csv;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
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

/**
 * The sensitivity stage: how the Jansen-Rit ERP (a channel of the EEG evoked response, its global field power,
 * or the source signal) depends on each parameter — the benchmark's one-at-a-time sweeps (ERP, error against the
 * default ERP and gradient per value; its figures 2 and 3), or Morris screening / Sobol indices of ERP features
 * and of the ERP over time. Writes its tables into the folder, lets the caller draw its figures there, and writes
 * {@code summary.txt} last: a folder holding it is complete.
 */
public final class SensitivityStudy {
    /** The file whose presence marks a finished study. */
    public static final String SUMMARY = "summary.txt";

    private SensitivityStudy() {
    }

    /**
     * Global indices per output (the ERP features, then the ERP at each resolved time) and parameter.
     *
     * @param sobol   Sobol (first = S, second = ST) rather than Morris (first = µ*, second = σ)
     * @param outputs the features' names
     * @param times   the resolved times of the ERP, s
     * @param first   [output][parameter]
     * @param second  [output][parameter]
     * @param intervals Sobol's bootstrap intervals [output][S_low, S_high, ST_low, ST_high][parameter], else null
     */
    public record Global(boolean sobol, List<String> outputs, double[] times, double[][] first, double[][] second,
                         double[][][] intervals) {
        /** The row of the ERP's RMS. */
        public int rms() {
            return outputs.indexOf("rms");
        }
    }

    /**
     * A finished study.
     *
     * @param names  the parameters studied
     * @param unit   the ERP's unit
     * @param what   the ERP, in words
     * @param oat    the sweeps (one-at-a-time), else null
     * @param global the indices (Morris or Sobol), else null
     * @param text   the summary, as written to {@link #SUMMARY}
     */
    public record Result(SensitivityConfig config, List<String> names, String unit, String what,
                         OneAtATime.Result oat, Global global, String text) {
    }

    /** Draws a study's figures into its folder (called before the summary marks it finished). */
    public interface Figures {
        /** Draws {@code r}'s figures into {@code out}; the file names drawn, for the summary. */
        String draw(Result r, Path out) throws IOException;
    }

    /**
     * Checks {@code c} (defaults filled in) as far as it can be checked without simulating: the convention, the
     * parameter names and the channel; so a benchmark refuses a bad {@code sensitivity:} section before it
     * generates its data.
     *
     * @throws IllegalArgumentException naming the bad value and the valid ones
     */
    public static void validate(SensitivityConfig c) {
        JansenRit model = new JansenRit(Convention.of(c.convention()));
        if (c.parameters() != null) {
            c.parameters().forEach(model.parameterSpace()::indexOf);
        }
        observer(c);
    }

    /** What the study of {@code c} does, in a word for a progress line: sweeping, morris or sobol. */
    public static String activity(SensitivityConfig c) {
        return c.analysis().equals("one-at-a-time") ? "sweeping" : c.analysis();
    }

    /** Simulations the study of {@code c} runs. */
    public static int total(SensitivityConfig c) {
        int k = names(c).size();
        return switch (c.analysis()) {
            case "one-at-a-time" -> 1 + k * c.n();
            case "sobol" -> c.baseSamples() * (k + 2);
            default -> c.trajectories() * (k + 1);
        };
    }

    private static List<String> names(SensitivityConfig c) {
        return c.parameters() == null ? List.of(new JansenRit(Convention.of(c.convention())).parameterSpace()
                .names()) : c.parameters();
    }

    /**
     * Runs the study {@code c} (defaults filled in) into {@code out} on {@code threads} threads, telling
     * {@code progress} each simulation finished; {@code figures} draws into {@code out} before the summary.
     */
    public static Result run(SensitivityConfig c, Path out, int threads, IntConsumer progress, Figures figures)
            throws IOException {
        validate(c);
        JansenRit model = new JansenRit(Convention.of(c.convention()));
        List<String> names = names(c);
        OneAtATime.Observer observer = observer(c);
        String unit = model.outputUnit().equals("V") || !c.signal().equals("source") ? "V" : model.outputUnit();
        String what = c.signal().equals("channel") ? "EEG channel " + c.channel() : c.signal().equals("gfp")
                ? "global field power" : "source signal y1 - y2";
        OneAtATime.Range range = "prior".equals(c.range()) ? OneAtATime.Range.PRIOR : OneAtATime.Range.RELATIVE;
        long t0 = System.nanoTime();
        StringBuilder sb = new StringBuilder();
        Result r;
        if (c.analysis().equals("one-at-a-time")) {
            OneAtATime.Result oat = OneAtATime.run(model, names, range, c.span(), c.n(), observer, threads,
                    progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Files.createDirectories(out);
            sb.append(String.format(Locale.ROOT, "one-at-a-time sweeps of %s (%s): %d parameters x %d values over "
                            + "%s, noise factor %s; %d simulations of the 61-s protocol in %.2f s%n", what,
                    c.convention(), names.size(), c.n(), c.range().equals("prior") ? "the prior range"
                            : String.format(Locale.ROOT, "default +-%.0f %%", 100 * c.span()), c.noiseFactor(),
                    total(c), seconds));
            sb.append(SweepReport.text(oat, unit));
            writeSweeps(oat, unit, out);
            r = new Result(c, names, unit, what, oat, null, null);
            sb.append("wrote ").append(out).append(": summary.txt, oat_summary.csv, oat.npz");
        } else {
            Global g = global(c, model, names, observer, range, threads, progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Files.createDirectories(out);
            sb.append(globalText(c, names, g, range, seconds));
            writeIndices(g, names.size(), out);
            r = new Result(c, names, unit, what, null, g, null);
            sb.append("wrote ").append(out).append(": summary.txt, ").append(g.sobol() ? "sobol" : "morris")
                    .append("_indices.csv");
        }
        String drawn = figures.draw(r, out);
        sb.append(drawn == null || drawn.isEmpty() ? "" : ", " + drawn).append('\n');
        String text = sb.toString();
        AtomicFiles.write(out.resolve(SUMMARY), true, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
        return new Result(c, names, unit, what, r.oat(), r.global(), text);
    }

    /** Morris or Sobol indices of the ERP features and over time. */
    private static Global global(SensitivityConfig c, JansenRit model, List<String> names,
                                 OneAtATime.Observer observer, OneAtATime.Range range, int threads,
                                 IntConsumer progress) {
        boolean sobol = c.analysis().equals("sobol");
        int k = names.size();
        int stride = 10;
        List<String> outputs = new ArrayList<>(ErpFeatures.NAMES);
        double[] rt = GlobalAnalysis.resolvedTimes(stride);
        double[][] first = new double[outputs.size() + rt.length][];
        double[][] second = new double[first.length][];
        var f = GlobalAnalysis.model(model, names, range, c.span(), observer, stride, threads, progress);
        if (sobol) {
            var idx = GlobalSensitivity.sobolAll(k, c.baseSamples(), f, c.bootstrap(), c.seed());
            double[][][] ci = new double[first.length][][];
            for (int m = 0; m < idx.size(); m++) {
                first[m] = idx.get(m).first();
                second[m] = idx.get(m).total();
                ci[m] = new double[][] {col(idx.get(m).firstCi(), 0), col(idx.get(m).firstCi(), 1),
                    col(idx.get(m).totalCi(), 0), col(idx.get(m).totalCi(), 1)};
            }
            return new Global(true, outputs, rt, first, second, ci);
        }
        var idx = GlobalSensitivity.morrisAll(k, c.trajectories(), c.levels(), f, c.seed());
        for (int m = 0; m < idx.size(); m++) {
            first[m] = idx.get(m).muStar();
            second[m] = idx.get(m).sigma();
        }
        return new Global(false, outputs, rt, first, second, null);
    }

    private static String globalText(SensitivityConfig c, List<String> names, Global g, OneAtATime.Range range,
                                     double seconds) {
        boolean sobol = g.sobol();
        int k = names.size();
        String a = sobol ? "S" : "mu*";
        String b = sobol ? "ST" : "sigma";
        double[][] first = g.first();
        double[][] second = g.second();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s indices of the %s (%s) over %s: %d "
                        + "parameters, %d simulations of the 61-s protocol in %.1f s%n", sobol ? "Sobol" : "Morris",
                c.signal().equals("channel") ? "EEG channel " + c.channel() : c.signal(), c.convention(),
                range == OneAtATime.Range.PRIOR ? "the prior" : "default +-" + (100 * c.span()) + " %", k, total(c),
                seconds));
        int rms = g.rms();
        double maxA = Arrays.stream(first[rms]).filter(Double::isFinite).max().orElse(0);
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
        }
        double[] key = sobol ? second[rms] : first[rms];
        Arrays.sort(order, (x, y) -> Double.compare(key[y], key[x]));
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
        for (int m = 0; m < g.outputs().size(); m++) {
            sb.append(String.format(Locale.ROOT, "%-14s", g.outputs().get(m)));
            for (int j = 0; j < k; j++) {
                sb.append(String.format(Locale.ROOT, " %8.3g/%-8.3g", first[m][j], second[m][j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The indices of every output (features, then the ERP at each resolved time) as a table. */
    private static void writeIndices(Global g, int k, Path out) throws IOException {
        boolean sobol = g.sobol();
        double[][][] ci = g.intervals();
        List<String> header = new ArrayList<>(List.of("output_index", "time_s", "parameter_index",
                sobol ? "S" : "mu*", sobol ? "ST" : "sigma"));
        if (sobol) {
            header.addAll(List.of("S_low", "S_high", "ST_low", "ST_high"));
        }
        int outputs = g.outputs().size();
        int rowsN = g.first().length * k;
        double[][] cols = new double[header.size()][rowsN];
        for (int m = 0; m < g.first().length; m++) {
            for (int j = 0; j < k; j++) {
                int row = m * k + j;
                cols[0][row] = m;
                cols[1][row] = m < outputs ? Double.NaN : g.times()[m - outputs];
                cols[2][row] = j;
                cols[3][row] = g.first()[m][j];
                cols[4][row] = g.second()[m][j];
                if (sobol) {
                    for (int q = 0; q < 4; q++) {
                        cols[5 + q][row] = ci[m][q][j];
                    }
                }
            }
        }
        Csv.write(out.resolve((sobol ? "sobol" : "morris") + "_indices.csv"), header.toArray(String[]::new), cols,
                true);
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

    /** The sweeps as a ranked table ({@code oat_summary.csv}) and every curve ({@code oat.npz}). */
    private static void writeSweeps(OneAtATime.Result r, String unit, Path out) throws IOException {
        List<OneAtATime.Sweep> sweeps = r.sweeps();
        int p = sweeps.size();
        String[] header = {"parameter_index", "rank", "effect_" + unit, "relative_effect", "lower", "upper",
            "amplitude_min_" + unit, "amplitude_max_" + unit, "mean_abs_error_" + unit,
            "max_abs_gradient_" + unit + "_per_unit"};
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
            double[] row = {k, rank, s.effect(), ranking.get(rank - 1).relative(), s.values()[0],
                s.values()[s.values().length - 1], Arrays.stream(amp).min().orElse(0),
                Arrays.stream(amp).max().orElse(0), meanErr, maxGrad};
            for (int j = 0; j < row.length; j++) {
                cols[j][k] = row[j];
            }
            npz.put("values_" + name, NpyArray.of(s.values())).put("erp_" + name, NpyArray.of(s.erp()))
                    .put("abs_error_" + name, NpyArray.of(s.absError()))
                    .put("log10_rel_error_" + name, NpyArray.of(s.log10RelError()))
                    .put("gradient_" + name, NpyArray.of(s.gradient()));
        }
        Csv.write(out.resolve("oat_summary.csv"), header, cols, true);
        npz.put("param_names", names.toArray(String[]::new)).save(out.resolve("oat.npz"), true);
    }
}
