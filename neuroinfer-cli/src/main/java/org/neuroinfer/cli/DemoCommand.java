package org.neuroinfer.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.pipeline.Simulation;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.Extremes;
import org.neuroinfer.param.ParameterSpace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job for a new user: the benchmark's Jansen-Rit simulation with plots and a summary, then the whole
 * benchmark at the {@code quick} preset's sizes with its HTML report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the benchmark's Jansen-Rit simulation at the defaults and for N prior draws, then the "
                + "whole benchmark (the quick preset) with its report.",
                "",
                "Simulate the seed benchmark's Jansen-Rit protocol at the default parameters (deepjr, "
                + "forward Euler at 1 ms, 61 s), its 59-epoch evoked response, and the evoked responses of "
                + "N parameter sets drawn from the prior; write arrays, a plot and a summary into --out "
                + "(files the demo wrote before are replaced). Then run `benchmark quick` into the same folder: "
                + "data, sensitivity sweeps, every inverse model at three noise conditions, and report.html."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "neuroinfer-demo", paramLabel = "DIR",
            description = "Output folder (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--samples", defaultValue = "1000", paramLabel = "N",
            description = "Prior draws to simulate (default ${DEFAULT-VALUE}, the benchmark's data-set size).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the prior draws (default 0).")
    long seed;

    @Option(names = "--benchmark", defaultValue = "quick", paramLabel = "PRESET",
            description = "Benchmark preset run after the simulation: quick (default, minutes), paper, large, or "
                    + "none.")
    String benchmark;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        if (!"none".equals(benchmark) && !BenchmarkCommand.PRESETS.contains(benchmark)) {
            throw new IllegalArgumentException("--benchmark " + benchmark + ": valid: "
                    + String.join(", ", BenchmarkCommand.PRESETS) + ", none");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " exists and is not a folder");
        }
        Files.createDirectories(dir);
        StringWriter text = new StringWriter();
        PrintWriter sum = new PrintWriter(text);

        // 1. the default parameter set, continuous and evoked
        Simulation.Result cont = Simulation.run(Simulation.Spec.builder().build(), n -> { });
        Simulation.Result ev = Simulation.run(Simulation.Spec.builder().recording(Simulation.Recording.EVOKED)
                .build(), n -> { });
        JansenRit m = cont.model();
        ParameterSpace space = m.parameterSpace();
        double[] time = cont.time();
        double[] etime = ev.time();
        sum.printf(Locale.ROOT, "neuroinfer demo: Jansen-Rit (%s constants), forward Euler dt = 1 ms, %s%n",
                m.convention().id(), cont.protocol());
        sum.printf(Locale.ROOT, "default parameters: %s%n", describe(space, space.defaults()));
        SimulateCommand.summarize(sum, cont.describe(), cont.data()[0], time, m.outputUnit(), false);
        SimulateCommand.summarize(sum, ev.describe(), ev.data()[0], etime, m.outputUnit(), false);
        sum.printf(Locale.ROOT, "one 61-s recording took %.3f s (including JIT warm-up)%n", cont.seconds());

        // 2. N draws from the prior, each reduced to its evoked response by the batch engine
        Simulation.Result family;
        try (Progress progress = Progress.start(spec.commandLine().getErr(), "prior draws", samples)) {
            family = Simulation.run(Simulation.Spec.builder().recording(Simulation.Recording.EVOKED)
                    .samples(samples).seed(seed).threads(threads.get()).build(), progress::advance);
        }
        double batch = family.seconds();
        double[] ptp = Arrays.stream(family.data()).mapToDouble(e -> Extremes.of(e).ptp()).sorted().toArray();
        sum.printf(Locale.ROOT, "%d prior draws (%s) simulated and averaged in %.2f s on %d threads: %.0f "
                        + "recordings/s, %.3g Euler steps/s%n", samples, family.spec().prior(), batch, threads.get(),
                samples / batch, samples * (cont.protocol().nSamples() - 1.0) / batch);
        sum.printf(Locale.ROOT, "evoked peak-to-peak over the draws: median %.4g %s, 5-95 %% range %.4g .. %.4g %s%n",
                ptp[ptp.length / 2], m.outputUnit(), ptp[(int) (0.05 * (ptp.length - 1))],
                ptp[(int) (0.95 * (ptp.length - 1))], m.outputUnit());

        // 3. files
        Npy.save(dir.resolve("output.npy"), NpyArray.of(cont.data()[0]), true);
        Npy.save(dir.resolve("evoked.npy"), NpyArray.of(ev.data()[0]), true);
        family.save(dir.resolve("prior_evoked.npz"), true);
        Plots.save(dir.resolve("jansen-rit.png"), charts(m, time, cont.data()[0], etime, ev.data()[0],
                family.data(), family.params()), 1, true);
        sum.printf("wrote %s: output.npy, evoked.npy, prior_evoked.npz, jansen-rit.png, summary.txt%n", dir);
        sum.flush();
        AtomicFiles.write(dir.resolve("summary.txt"), true,
                o -> o.write(text.toString().getBytes(StandardCharsets.UTF_8)));
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return "none".equals(benchmark) ? 0 : benchmark(out);
    }

    /** The second half of the demo: the benchmark preset, run as the command a user types. */
    private int benchmark(PrintWriter out) {
        out.println();
        out.println("the benchmark, preset " + benchmark + " (./neuroinfer benchmark " + benchmark + " --out " + dir
                + "):");
        out.flush();
        List<String> args = new java.util.ArrayList<>(List.of("benchmark", benchmark, "--out", dir.toString()));
        if (threads.threads != null) {
            args.addAll(List.of("--threads", threads.threads.toString()));
        }
        return Main.commandLine().setOut(out).setErr(spec.commandLine().getErr()).execute(args.toArray(String[]::new));
    }

    private static List<XYChart> charts(JansenRit m, double[] time, double[] output, double[] etime, double[] evoked,
                                        double[][] family, double[][] params) {
        int n = 3000;
        XYChart a = Plots.chart("Output y1 - y2, first 3 s (transient, then the pulses at 1 and 2 s)", "time (s)",
                m.outputUnit());
        Plots.line(a, "output", Arrays.copyOf(time, n), Arrays.copyOf(output, n), new Color(31, 90, 180));
        XYChart b = Plots.chart("Evoked response at the defaults (59 epochs, baseline -0.2..0 s)",
                "time from stimulus (s)", m.outputUnit());
        Plots.line(b, "evoked", etime, evoked, new Color(200, 60, 40));
        int shown = Math.min(family.length, 60);
        XYChart c = Plots.chart("Evoked responses of " + shown + " prior draws, coloured by b_i (blue low, red high)",
                "time from stimulus (s)", m.outputUnit());
        ParameterSpace s = m.parameterSpace();
        int bi = s.indexOf("b_i");
        for (int i = 0; i < shown; i++) {
            double f = (params[i][bi] - s.get(bi).lower()) / (s.get(bi).upper() - s.get(bi).lower());
            Plots.line(c, "draw " + i, etime, family[i], Plots.ramp(f));
        }
        return List.of(a, b, c);
    }

    private static String describe(ParameterSpace s, double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(s.get(i).name()).append(" = ").append(v[i])
                    .append("1".equals(s.get(i).unit()) ? "" : " " + s.get(i).unit());
        }
        return sb.toString();
    }
}
