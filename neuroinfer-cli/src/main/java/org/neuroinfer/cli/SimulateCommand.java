package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
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
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.Extremes;
import org.neuroinfer.param.ParameterFile;
import org.neuroinfer.pipeline.Simulation;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Simulates a model through the benchmark protocol: one parameter set, or N draws from the prior. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate the Jansen-Rit model through the benchmark protocol; write signals, states or "
                + "evoked responses.",
                "",
                "Simulate the Jansen-Rit model through the benchmark's stimulation protocol (61 s at 1 "
                + "kHz, 60 pulses of 50 ms at 1..60 s) and write the output y1 - y2, all states or the "
                + "59-epoch evoked average. With --samples N it draws N parameter sets from the prior and "
                + "writes an .npz with arrays params [N x P], signals, time and param_names."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name (" + ModelName.VALID + ").")
    String model;

    @Option(names = "--convention", paramLabel = "NAME",
            description = "Constants: deepjr (default; the seed's), classic_mV or textbook. Defaults to the one "
                    + "named in --params.")
    String convention;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Set a parameter (repeatable), in the units `params` prints. With --samples the value "
                    + "is held fixed while the others are drawn.")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--params", paramLabel = "FILE.json",
            description = "Parameter file: the reference's params.json format (values with units and the "
                    + "convention) or a plain {\"NAME\": value} object. --set overrides it.")
    Path paramsFile;

    @Option(names = "--method", defaultValue = "euler", paramLabel = "NAME",
            description = "Integration scheme: euler (the seed's; Euler-Maruyama with noise), heun (stochastic "
                    + "Heun with noise) or rk4. Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--precision", defaultValue = "float64", paramLabel = "float64|float32",
            description = "Arithmetic: float64 (the reference; default) or float32 (opt-in, forward Euler only: "
                    + "twice the SIMD lanes; evoked responses within 1.5e-6 of their peak-to-peak of float64's for "
                    + "deepjr, docs/jansen-rit.md).")
    String precision;

    @Option(names = "--dt", paramLabel = "SECONDS",
            description = "Integration step; must divide the 1-ms sampling interval (default 0.001). Output is "
                    + "always sampled at 1 kHz.")
    Double dt;

    @Option(names = "--duration", defaultValue = "61", paramLabel = "SECONDS",
            description = "Simulated time from t = 0 (default: the full ${DEFAULT-VALUE}-s protocol).")
    double duration;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of prior draws and noise (default 0).")
    long seed;

    @Option(names = "--noise-sd", defaultValue = "0", paramLabel = "SD",
            description = "Intrinsic input noise p(t): standard deviation per 1-ms sample, as the seed's "
                    + "jr_noise_sd (default 0, as in all the seed's data sets).")
    double noiseSd;

    @Option(names = "--input-mean", defaultValue = "0", paramLabel = "P0",
            description = "Constant input p_0 to the excitatory interneurons (default 0).")
    double inputMean;

    @Option(names = "--states", description = "Write all six states [T x 6] instead of the output y1 - y2.")
    boolean states;

    @Option(names = "--evoked", description = "Write the evoked average over the complete epochs (-0.2..1 s, "
            + "baseline-corrected) instead of the continuous signal.")
    boolean evoked;

    @Option(names = "--eeg", description = "Project the source through the built-in head (the benchmark's source, "
            + "BioSemi-64, average reference) and write EEG in V: [64 x 1201] with --evoked, else the continuous "
            + "recording [64 x T].")
    boolean eeg;

    @Option(names = "--noise-factor", defaultValue = "0", paramLabel = "F",
            description = "With --eeg: sensor noise, MNE's ad-hoc 0.2 uV per channel with its variance times F, "
                    + "added before epoching as the benchmark does (default 0: none).")
    double noiseFactor;

    @Option(names = "--snr-db", paramLabel = "DB",
            description = "With --eeg, instead of --noise-factor: solve each recording's noise factor so that its "
                    + "SNR (the benchmark's formula) is DB.")
    Double snrDb;

    @Option(names = "--source-scale", defaultValue = "1e-6", paramLabel = "A*m",
            description = "With --eeg: dipole moment per unit of model output (default ${DEFAULT-VALUE}, the "
                    + "benchmark's).")
    double sourceScale;

    @Option(names = "--out", paramLabel = "FILE",
            description = ".npy (float64, samples from t = 0), .csv (time and values) or .npz (params, signals, "
                    + "time, param_names; required with --samples).")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Plot the result as PNG.")
    Path plot;

    @Option(names = "--samples", paramLabel = "N", description = "Draw N parameter sets from the prior.")
    Integer samples;

    @Option(names = "--prior", defaultValue = "truncated-normal", paramLabel = "NAME",
            description = "Prior for --samples: truncated-normal (default: the seed's normal N((lo+hi)/2, "
                    + "((hi-lo)/4)^2) kept inside the range), seed-normal (not truncated, exactly as the seed "
                    + "coded it), uniform or log-uniform.")
    String prior;

    @Option(names = "--allow-outside-prior", description = "Accept values outside the prior range.")
    boolean allowOutside;

    @Option(names = "--on-divergence", defaultValue = "fail", paramLabel = "fail|nan",
            description = "When a simulation's state becomes non-finite: fail (default; exit 1 naming it) or nan "
                    + "(its signal is written as NaN, listed in the .npz array 'diverged', and the run goes on).")
    String onDivergence;

    @Option(names = "--force", description = "Replace existing output files.")
    boolean force;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        Simulation.Spec s = specification();
        String ext = out == null ? null : Simulation.extension(out);
        if (ext != null && !List.of("npy", "csv", "npz").contains(ext)) {
            throw new IllegalArgumentException("--out " + out + ": unknown format; valid: .npy, .csv, .npz");
        }
        if (samples != null && ext != null && !"npz".equals(ext)) {
            throw new IllegalArgumentException("--out " + out + ": with --samples the output must be .npz");
        }
        if (eeg && "csv".equals(ext)) {
            throw new IllegalArgumentException("--out " + out + ": EEG output is written as .npy or .npz");
        }
        if (plot != null && !"png".equals(Simulation.extension(plot))) {
            throw new IllegalArgumentException("--plot " + plot + ": the plot is written as .png");
        }
        if (out != null) {
            AtomicFiles.checkWritable(out, force);
        }
        if (plot != null) {
            AtomicFiles.checkWritable(plot, force);
        }
        checkMemory(Simulation.bytes(s));
        Simulation.Result r;
        try (Progress progress = Progress.start(spec.commandLine().getErr(), "simulating",
                samples == null ? 1 : samples)) {
            r = Simulation.run(s, progress::advance);
        }
        int[] diverged = r.diverged();
        int n = r.size();
        if (diverged.length > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "neuroinfer: warning: %d of %d simulations diverged; their signals are NaN "
                            + "(first: %s)%n", diverged.length, n,
                    java.util.Arrays.toString(java.util.Arrays.copyOf(diverged, Math.min(10, diverged.length))));
            err.flush();
        }
        JansenRit m = r.model();
        stdout.printf(Locale.ROOT, "%s (%s), %s dt = %s s, %.3f s at %.0f Hz: %d simulation%s in %.3f s "
                        + "(%.1f per second)%n", m.name(), m.convention().id(), r.scheme().name(), r.step(),
                r.protocol().duration(), r.protocol().sfreq(), n, n == 1 ? "" : "s", r.seconds(), n / r.seconds());
        if (eeg) {
            stdout.printf(Locale.ROOT, "%s: first simulation's SNR %.2f dB (benchmark formula, expected noise power)%n",
                    r.describe(), r.snrDb()[0]);
        } else if (!states) {
            summarize(stdout, r.describe(), r.data()[0], r.time(), m.outputUnit(), n > 1);
        }
        if (out != null) {
            r.save(out, force);
            stdout.println("wrote " + out);
        }
        if (plot != null) {
            plot(m, r.data(), r.time(), r.describe(), r.channels());
            stdout.println("wrote " + plot);
        }
        stdout.flush();
        return 0;
    }

    /** The stage's specification from the options. */
    private Simulation.Spec specification() throws IOException {
        ParameterFile pf = paramsFile == null ? null : ParameterFile.read(paramsFile);
        String conv = convention;
        if (pf != null && pf.convention().isPresent()) {
            if (conv != null && !Convention.of(conv).equals(Convention.of(pf.convention().get()))) {
                throw new IllegalArgumentException("--convention " + conv + " differs from the convention '"
                        + pf.convention().get() + "' named in " + paramsFile);
            }
            conv = pf.convention().get();
        }
        JansenRit m = ModelName.jansenRit(model, conv == null ? "deepjr" : conv);
        if (!onDivergence.equals("fail") && !onDivergence.equals("nan")) {
            throw new IllegalArgumentException("--on-divergence " + onDivergence + ": valid: fail, nan");
        }
        if (states && evoked) {
            throw new IllegalArgumentException("--states and --evoked cannot be combined");
        }
        if (!eeg && (noiseFactor != 0 || sourceScale != 1e-6 || snrDb != null)) {
            throw new IllegalArgumentException("--noise-factor, --snr-db and --source-scale apply to --eeg output");
        }
        ParameterSpace space = m.parameterSpace();
        Map<String, Double> fixed = new LinkedHashMap<>();
        if (pf != null) {
            fixed.putAll(pf.valuesIn(space));
        }
        for (var e : sets.entrySet()) {
            space.indexOf(e.getKey());
            try {
                fixed.put(e.getKey(), Double.parseDouble(e.getValue().trim()));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--set " + e.getKey() + "=" + e.getValue() + ": '" + e.getValue()
                        + "' is not a number");
            }
        }
        return Simulation.Spec.builder().convention(m.convention().id()).values(fixed).allowOutsidePrior(allowOutside)
                .method(method).dt(dt).duration(duration).seed(seed).noiseSd(noiseSd).inputMean(inputMean)
                .recording(states ? Simulation.Recording.STATES : evoked ? Simulation.Recording.EVOKED
                        : Simulation.Recording.OUTPUT)
                .eeg(eeg ? new Simulation.Eeg(sourceScale, noiseFactor, snrDb) : null).samples(samples).prior(prior)
                .continueOnDivergence(onDivergence.equals("nan")).threads(threads.get()).precision(precision)
                .build();
    }

    private void plot(JansenRit m, double[][] data, double[] time, String what, String[] channelNames)
            throws IOException {
        List<XYChart> charts = new ArrayList<>();
        if (states) {
            String[] names = m.stateNames();
            String[] units = m.stateUnits();
            int dim = names.length;
            int t = time.length;
            for (int i = 0; i < dim; i++) {
                double[] y = new double[t];
                for (int k = 0; k < t; k++) {
                    y[k] = data[0][k * dim + i];
                }
                XYChart c = Plots.chart(names[i], "time (s)", units[i]);
                Plots.line(c, names[i], time, y, Plots.ramp(i / (double) (dim - 1)));
                charts.add(c);
            }
            Plots.save(plot, charts, 2, force);
            return;
        }
        if (eeg) {
            int len = time.length;
            int shown = evoked ? len : Math.min(len, 3000); // the continuous EEG: its first 3 s
            int channels = data[0].length / len;
            double[][] volts = new double[channels][];
            for (int ch = 0; ch < channels; ch++) {
                volts[ch] = java.util.Arrays.copyOfRange(data[0], ch * len, ch * len + shown);
            }
            Plots.save(plot, List.of(Plots.butterfly(what + ", first simulation", evoked ? "time from stimulus (s)"
                    : "time (s)", java.util.Arrays.copyOf(time, shown), volts, List.of(channelNames))), 1, force);
            return;
        }
        XYChart c = Plots.chart("Jansen-Rit " + what + " (" + m.convention().id() + ")",
                evoked ? "time from stimulus (s)" : "time (s)", m.outputUnit());
        int shown = Math.min(data.length, 50);
        for (int i = 0; i < shown; i++) {
            Plots.line(c, "sim " + i, time, data[i], shown == 1 ? new java.awt.Color(31, 90, 180)
                    : Plots.ramp(i / (double) Math.max(1, shown - 1)));
        }
        charts.add(c);
        Plots.save(plot, charts, 1, force);
    }

    static void summarize(PrintWriter out, String what, double[] x, double[] time, String unit, boolean first) {
        Extremes e = Extremes.of(x);
        out.printf(Locale.ROOT, "%s%s: min %.6g %s at %.3f s, max %.6g %s at %.3f s, peak-to-peak %.6g %s%n",
                first ? "first simulation's " : "", what, e.min(), unit, time[e.argMin()], e.max(), unit,
                time[e.argMax()], e.ptp(), unit);
    }

    static void checkMemory(long bytes) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > 0.7 * max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the result needs %.1f GB but the JVM may "
                    + "use %.1f GB: use --evoked, fewer --samples or a shorter --duration (or raise -Xmx via "
                    + "NEUROINFER_JAVA_OPTS)", bytes / 1e9, max / 1e9));
        }
    }
}
