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
import org.neuroinfer.data.AtomicFiles;
import org.neuroinfer.data.Csv;
import org.neuroinfer.data.Npy;
import org.neuroinfer.data.NpyArray;
import org.neuroinfer.integrate.BatchSimulator;
import org.neuroinfer.integrate.Recorder;
import org.neuroinfer.integrate.Scheme;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.EegProjection;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedNoise;
import org.neuroinfer.observe.EvokedRecorder;
import org.neuroinfer.observe.Extremes;
import org.neuroinfer.observe.SignalRecorder;
import org.neuroinfer.param.ParameterFile;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;
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
        if (!(noiseSd >= 0) || Double.isInfinite(noiseSd)) {
            throw new IllegalArgumentException("--noise-sd must be a finite number >= 0, got " + noiseSd);
        }
        if (!Double.isFinite(inputMean)) {
            throw new IllegalArgumentException("--input-mean must be finite, got " + inputMean);
        }
        Protocol protocol = Protocol.benchmark().withDuration(duration);
        m = m.withInput(inputMean, noiseSd * Math.sqrt(protocol.dt()));
        Scheme scheme = Scheme.of(method);
        if (!onDivergence.equals("fail") && !onDivergence.equals("nan")) {
            throw new IllegalArgumentException("--on-divergence " + onDivergence + ": valid: fail, nan");
        }
        if (states && evoked) {
            throw new IllegalArgumentException("--states and --evoked cannot be combined");
        }
        if (eeg && states) {
            throw new IllegalArgumentException("--eeg projects the output y1 - y2; it cannot be combined with --states");
        }
        if (!eeg && (noiseFactor != 0 || sourceScale != 1e-6 || snrDb != null)) {
            throw new IllegalArgumentException("--noise-factor, --snr-db and --source-scale apply to --eeg output");
        }
        if (snrDb != null && (noiseFactor != 0 || !Double.isFinite(snrDb))) {
            throw new IllegalArgumentException("--snr-db must be finite and replaces --noise-factor (give one)");
        }
        EegProjection projection = eeg ? EegProjection.benchmark(sourceScale, noiseFactor) : null;
        if (samples != null && samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        String ext = out == null ? null : extension(out);
        if (ext != null && !List.of("npy", "csv", "npz").contains(ext)) {
            throw new IllegalArgumentException("--out " + out + ": unknown format; valid: .npy, .csv, .npz");
        }
        if (samples != null && ext != null && !"npz".equals(ext)) {
            throw new IllegalArgumentException("--out " + out + ": with --samples the output must be .npz");
        }
        if (eeg && "csv".equals(ext)) {
            throw new IllegalArgumentException("--out " + out + ": EEG output is written as .npy or .npz");
        }
        if (plot != null && !"png".equals(extension(plot))) {
            throw new IllegalArgumentException("--plot " + plot + ": the plot is written as .png");
        }
        if (out != null) {
            AtomicFiles.checkWritable(out, force);
        }
        if (plot != null) {
            AtomicFiles.checkWritable(plot, force);
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
        double[][] params;
        if (samples == null) {
            params = new double[][] {space.withValues(fixed, allowOutside)};
        } else {
            space.withValues(fixed, allowOutside);
            ParameterSpace drawn = space.withPrior(Prior.named(prior));
            params = new double[samples][];
            for (int i = 0; i < samples; i++) {
                double[] v = drawn.sample(RandomStreams.stream(seed, i));
                for (var e : fixed.entrySet()) {
                    v[space.indexOf(e.getKey())] = e.getValue();
                }
                space.validate(v, true);
                params[i] = v;
            }
        }

        int n = params.length;
        int perSim = (evoked ? EpochWindow.benchmark().length() : protocol.nSamples())
                * (eeg ? projection.size() : states ? m.stateDimension() : 1);
        checkMemory((long) n * perSim * 8);
        BatchSimulator sim = new BatchSimulator(m, scheme, protocol, dt == null ? protocol.dt() : dt, threads.get(),
                seed);
        if (onDivergence.equals("nan")) {
            sim = sim.continuingOnDivergence();
        }
        Recorder rec;
        EvokedRecorder ev = null;
        SignalRecorder sig = null;
        if (evoked) {
            ev = new EvokedRecorder(m, protocol, EpochWindow.benchmark(), n);
            rec = ev;
        } else {
            sig = states ? SignalRecorder.states(m, n, protocol.nSamples())
                    : SignalRecorder.output(m, n, protocol.nSamples());
            rec = sig;
        }
        long t0 = System.nanoTime();
        int[] diverged;
        try (Progress progress = Progress.start(spec.commandLine().getErr(), "simulating", n)) {
            diverged = sim.run(params, rec, progress::advance);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[][] data = evoked ? ev.evoked() : sig.data();
        double[] snr = null;
        if (eeg) {
            EvokedNoise sampler = evoked ? new EvokedNoise(protocol.onsets(), protocol.nSamples(),
                    EpochWindow.benchmark()) : null;
            double[] snrs = new double[n];
            double[][] x = new double[n][];
            double[][] source = data;
            double[] meanSquare = evoked ? ev.meanSquare() : java.util.Arrays.stream(source)
                    .mapToDouble(x0 -> java.util.Arrays.stream(x0).map(v -> v * v).average().orElse(0)).toArray();
            boolean continuous = !evoked;
            // each recording draws from its own stream: the same bytes whatever the parallelism
            EegProjection unit = EegProjection.benchmark(sourceScale, 1);
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
                EegProjection pi = snrDb == null ? projection
                        : unit.scaled(unit.noiseFactorFor(meanSquare[i], snrDb));
                var rng = RandomStreams.stream(seed, i, RandomStreams.EEG_NOISE);
                if (continuous) {
                    // the continuous recording: white sensor noise on every sample
                    x[i] = pi.clean(source[i]);
                    if (pi.noise().power() > 0) {
                        pi.noise().addTo(x[i], source[i].length, rng);
                    }
                } else {
                    x[i] = pi.observe(source[i], sampler, rng);
                }
                snrs[i] = pi.snrDb(meanSquare[i]);
            });
            snr = snrs;
            data = x;
        }
        for (int i : diverged) {
            java.util.Arrays.fill(data[i], Double.NaN);
        }
        if (diverged.length > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "neuroinfer: warning: %d of %d simulations diverged; their signals are NaN "
                            + "(first: %s)%n", diverged.length, n,
                    java.util.Arrays.toString(java.util.Arrays.copyOf(diverged, Math.min(10, diverged.length))));
            err.flush();
        }
        double[] time = evoked ? EpochWindow.benchmark().times(protocol.sfreq()) : protocol.times();

        String what = eeg ? "EEG " + (evoked ? "evoked (" + ev.epochs() + " epochs, " : "continuous (")
                + projection.size() + " channels, "
                + (snrDb == null ? "noise factor " + noiseFactor : "SNR " + snrDb + " dB") + ")" : evoked ? "evoked (" + ev.epochs() + " epochs)" : states ? "states"
                : "output y1 - y2";
        stdout.printf(Locale.ROOT, "%s (%s), %s dt = %s s, %.3f s at %.0f Hz: %d simulation%s in %.3f s "
                        + "(%.1f per second)%n", m.name(), m.convention().id(), scheme.name(), sim.step(),
                protocol.duration(), protocol.sfreq(), n, n == 1 ? "" : "s", seconds, n / seconds);
        if (eeg) {
            stdout.printf(Locale.ROOT, "%s: first simulation's SNR %.2f dB (benchmark formula, expected noise power)%n",
                    what, snr[0]);
        } else if (!states) {
            summarize(stdout, what, data[0], time, m.outputUnit(), n > 1);
        }
        if (out != null) {
            write(m, params, data, time, protocol, diverged, projection, snr);
            stdout.println("wrote " + out);
        }
        if (plot != null) {
            plot(m, data, time, what);
            stdout.println("wrote " + plot);
        }
        stdout.flush();
        return 0;
    }

    private void write(JansenRit m, double[][] params, double[][] data, double[] time, Protocol protocol,
                       int[] diverged, EegProjection projection, double[] snr) throws IOException {
        String ext = extension(out);
        int dim = m.stateDimension();
        if ("npz".equals(ext)) {
            int n = data.length;
            int per = data[0].length;
            double[] flat = new double[Math.multiplyExact(n, per)];
            for (int i = 0; i < n; i++) {
                System.arraycopy(data[i], 0, flat, i * per, per);
            }
            int[] shape = states ? new int[] {n, protocol.nSamples(), dim}
                    : eeg ? new int[] {n, projection.size(), time.length} : new int[] {n, per};
            String[] units = m.parameterSpace().parameters().stream().map(p -> p.unit()).toArray(String[]::new);
            Npy.Archive archive = new Npy.Archive();
            if (eeg) {
                archive.put("channel_names", projection.channels()).put("snr_db", NpyArray.of(snr))
                        .put("noise_factor", NpyArray.of(new double[] {noiseFactor}));
            }
            archive.put("params", NpyArray.of(params)).put("signals", new NpyArray(shape, flat))
                    .put("time", NpyArray.of(time)).put("param_names", m.parameterSpace().names())
                    .put("param_units", units)
                    .put("signal_unit", new String[] {states ? String.join(",", m.stateUnits())
                            : eeg ? "V" : m.outputUnit()})
                    .put("convention", new String[] {m.convention().id()})
                    .put("diverged", NpyArray.of(java.util.Arrays.stream(diverged).asDoubleStream().toArray()))
                    .save(out, force);
        } else if ("npy".equals(ext)) {
            int[] shape = states ? new int[] {protocol.nSamples(), dim}
                    : eeg ? new int[] {projection.size(), time.length} : new int[] {data[0].length};
            Npy.save(out, new NpyArray(shape, data[0]), force);
        } else {
            if (states) {
                double[][] cols = new double[dim + 1][protocol.nSamples()];
                cols[0] = time;
                for (int k = 0; k < protocol.nSamples(); k++) {
                    for (int i = 0; i < dim; i++) {
                        cols[i + 1][k] = data[0][k * dim + i];
                    }
                }
                String[] header = new String[dim + 1];
                header[0] = "time_s";
                for (int i = 0; i < dim; i++) {
                    header[i + 1] = m.stateNames()[i] + "_" + m.stateUnits()[i].replace("/", "_per_");
                }
                Csv.write(out, header, cols, force);
            } else {
                String name = (evoked ? "evoked_" : "output_") + m.outputUnit();
                Csv.write(out, new String[] {"time_s", name}, new double[][] {time, data[0]}, force);
            }
        }
    }

    private void plot(JansenRit m, double[][] data, double[] time, String what) throws IOException {
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
            XYChart c = Plots.chart(what + ", first simulation, every channel", "time from stimulus (s)",
                    "V");
            int len = time.length;
            int shown = evoked ? len : Math.min(len, 3000); // the continuous EEG: its first 3 s
            for (int ch = 0; ch < data[0].length / len; ch++) {
                Plots.line(c, "ch " + ch, java.util.Arrays.copyOf(time, shown),
                        java.util.Arrays.copyOfRange(data[0], ch * len, ch * len + shown), Plots.ramp(ch / 63.0));
            }
            Plots.save(plot, List.of(c), 1, force);
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

    static String extension(Path p) {
        String s = p.getFileName().toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
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
