package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.neuroinfer.io.Csv;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.integrate.BatchSimulator;
import org.neuroinfer.integrate.Precision;
import org.neuroinfer.integrate.Recorder;
import org.neuroinfer.integrate.Scheme;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.EegProjection;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedNoise;
import org.neuroinfer.observe.EvokedRecorder;
import org.neuroinfer.observe.SignalRecorder;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;

/**
 * The simulation stage: the Jansen-Rit model through the benchmark's stimulation protocol (61 s at 1 kHz, 60
 * pulses) for one parameter set or N draws from the prior, recorded as the output y1 − y2, all six states or the
 * epoch-averaged evoked response, and optionally projected to EEG with sensor noise at a noise factor or an SNR —
 * the observation a generated data set makes. Simulation i draws its prior values, dynamics noise and sensor noise
 * from the streams of (seed, i): the same bytes on any number of threads.
 */
public final class Simulation {
    private Simulation() {
    }

    /** What is recorded of each simulation. */
    public enum Recording {
        /** The output y1 − y2, every sample from t = 0. */
        OUTPUT,
        /** All six states, [T × 6]. */
        STATES,
        /** The evoked average over the complete epochs (−0.2..1 s, baseline-corrected). */
        EVOKED
    }

    /**
     * The EEG measurement: the benchmark's source through the built-in head (BioSemi-64, average reference).
     *
     * @param sourceScale dipole moment per unit of model output, A·m (the benchmark's 1e-6)
     * @param noiseFactor sensor noise: MNE's ad-hoc 0.2 µV per channel with its variance times this factor
     * @param snrDb       instead of {@code noiseFactor} when not null: each recording's factor solved for this SNR
     */
    public record Eeg(double sourceScale, double noiseFactor, Double snrDb) {
        public Eeg {
            if (!(sourceScale > 0) || Double.isInfinite(sourceScale)) {
                throw new IllegalArgumentException("source scale (--source-scale) must be finite and > 0, got "
                        + sourceScale);
            }
            if (!(noiseFactor >= 0) || Double.isInfinite(noiseFactor)) {
                throw new IllegalArgumentException("noise factor (--noise-factor) must be finite and >= 0, got "
                        + noiseFactor);
            }
            if (snrDb != null && (noiseFactor != 0 || !Double.isFinite(snrDb))) {
                throw new IllegalArgumentException("--snr-db must be finite and replaces --noise-factor (give one)");
            }
        }

        /** The benchmark's measurement at noise factor {@code factor}. */
        public static Eeg atNoiseFactor(double factor) {
            return new Eeg(EegProjection.BENCHMARK_SCALE, factor, null);
        }

        /** The benchmark's measurement with each recording's noise solved for {@code snrDb}. */
        public static Eeg atSnr(double snrDb) {
            return new Eeg(EegProjection.BENCHMARK_SCALE, 0, snrDb);
        }
    }

    /**
     * What to simulate. Build it with {@link #builder()}; every setting has the default the command line shows.
     *
     * @param convention          constants: deepjr (the seed's), classic_mV or textbook
     * @param values              parameters held at a value (the model's units); the rest take the model's
     *                            defaults, or are drawn when {@code samples} is set
     * @param allowOutsidePrior   accept values outside the prior range
     * @param method              integration scheme: euler, heun or rk4
     * @param dt                  integration step in s (must divide the 1-ms sampling interval), null for 1 ms
     * @param duration            simulated seconds from t = 0
     * @param seed                seed of prior draws and noise
     * @param noiseSd             intrinsic input noise p(t): sd per 1-ms sample
     * @param inputMean           constant input p_0 to the excitatory interneurons
     * @param recording           what is recorded
     * @param eeg                 the EEG measurement, or null for the source signal itself
     * @param samples             draws from the prior, or null for the one parameter set {@code values}
     * @param prior               prior of the draws: truncated-normal, seed-normal, uniform or log-uniform
     * @param continueOnDivergence a diverging simulation gives NaN and the rest go on (else it fails the run)
     * @param threads             threads (the result does not depend on them)
     * @param precision           float64 (the reference) or float32 (forward Euler only; opt-in)
     */
    public record Spec(String convention, Map<String, Double> values, boolean allowOutsidePrior, String method,
                       Double dt, double duration, long seed, double noiseSd, double inputMean, Recording recording,
                       Eeg eeg, Integer samples, String prior, boolean continueOnDivergence, int threads,
                       String precision) {
        public Spec {
            Convention.of(convention);
            if (Precision.of(precision) == Precision.FLOAT32 && !method.equals("euler")) {
                throw new IllegalArgumentException("--precision float32 integrates with --method euler only, got "
                        + method);
            }
            values = Map.copyOf(values);
            Scheme.of(method);
            Prior.named(prior);
            if (!(noiseSd >= 0) || Double.isInfinite(noiseSd)) {
                throw new IllegalArgumentException("--noise-sd must be a finite number >= 0, got " + noiseSd);
            }
            if (!Double.isFinite(inputMean)) {
                throw new IllegalArgumentException("--input-mean must be finite, got " + inputMean);
            }
            if (eeg != null && recording == Recording.STATES) {
                throw new IllegalArgumentException("--eeg projects the output y1 - y2; it cannot be combined with "
                        + "--states");
            }
            if (samples != null && samples < 1) {
                throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
        }

        /** Settings with every default: one simulation of the seed's model, its output, no noise. */
        public static Builder builder() {
            return new Builder();
        }
    }

    /** Builds a {@link Spec}; each setter names the field it sets. */
    public static final class Builder {
        private String convention = "deepjr";
        private final Map<String, Double> values = new LinkedHashMap<>();
        private boolean allowOutsidePrior;
        private String method = "euler";
        private Double dt;
        private double duration = 61;
        private long seed;
        private double noiseSd;
        private double inputMean;
        private Recording recording = Recording.OUTPUT;
        private Eeg eeg;
        private Integer samples;
        private String prior = "truncated-normal";
        private boolean continueOnDivergence;
        private int threads = 1;
        private String precision = "float64";

        public Builder convention(String v) {
            convention = v;
            return this;
        }

        /** Holds parameter {@code name} at {@code value}. */
        public Builder value(String name, double value) {
            values.put(name, value);
            return this;
        }

        public Builder values(Map<String, Double> v) {
            values.putAll(v);
            return this;
        }

        public Builder allowOutsidePrior(boolean v) {
            allowOutsidePrior = v;
            return this;
        }

        public Builder method(String v) {
            method = v;
            return this;
        }

        public Builder dt(Double v) {
            dt = v;
            return this;
        }

        public Builder duration(double v) {
            duration = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder noiseSd(double v) {
            noiseSd = v;
            return this;
        }

        public Builder inputMean(double v) {
            inputMean = v;
            return this;
        }

        public Builder recording(Recording v) {
            recording = v;
            return this;
        }

        public Builder eeg(Eeg v) {
            eeg = v;
            return this;
        }

        public Builder samples(Integer v) {
            samples = v;
            return this;
        }

        public Builder prior(String v) {
            prior = v;
            return this;
        }

        public Builder continueOnDivergence(boolean v) {
            continueOnDivergence = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder precision(String v) {
            precision = v;
            return this;
        }

        public Spec build() {
            return new Spec(convention, values, allowOutsidePrior, method, dt, duration, seed, noiseSd, inputMean,
                    recording, eeg, samples, prior, continueOnDivergence, threads, precision);
        }
    }

    /**
     * The simulations.
     *
     * @param spec      what was simulated
     * @param model     the model, with its input
     * @param scheme    the integration scheme
     * @param step      the integration step in s
     * @param protocol  the stimulation protocol
     * @param params    parameter sets [n][P] in the model's order
     * @param data      per simulation: the output [T], states [T × 6] row-major, the evoked response [times], or
     *                  EEG [channels × times] row-major in V; NaN for a simulation that diverged
     * @param time      sample times in s (from stimulus onset for evoked responses)
     * @param epochs    epochs averaged (evoked), else 0
     * @param channels  EEG channel names, or null
     * @param snrDb     each recording's SNR in dB (EEG), or null
     * @param diverged  indices of the simulations that diverged
     * @param seconds   wall time of the integration
     */
    public record Result(Spec spec, JansenRit model, Scheme scheme, double step, Protocol protocol, double[][] params,
                         double[][] data, double[] time, int epochs, String[] channels, double[] snrDb,
                         int[] diverged, double seconds) {
        /** Simulations. */
        public int size() {
            return params.length;
        }

        /** What each row of {@link #data()} holds, in words. */
        public String describe() {
            boolean evoked = spec.recording() == Recording.EVOKED;
            if (spec.eeg() != null) {
                Eeg e = spec.eeg();
                return "EEG " + (evoked ? "evoked (" + epochs + " epochs, " : "continuous (") + channels.length
                        + " channels, " + (e.snrDb() == null ? "noise factor " + e.noiseFactor() : "SNR " + e.snrDb()
                        + " dB") + ")";
            }
            return evoked ? "evoked (" + epochs + " epochs)" : spec.recording() == Recording.STATES ? "states"
                    : "output y1 - y2";
        }

        /** The unit of {@link #data()}. */
        public String unit() {
            return spec.recording() == Recording.STATES ? String.join(",", model.stateUnits())
                    : spec.eeg() != null ? "V" : model.outputUnit();
        }

        /**
         * Writes the simulations: {@code .npz} (params, signals, time, names, units, convention, diverged; EEG adds
         * channel_names, snr_db and noise_factor), {@code .npy} (the first simulation, float64) or {@code .csv}
         * (time and the first simulation's values). Atomic; an existing file is replaced only with {@code force}.
         */
        public void save(Path out, boolean force) throws IOException {
            String ext = extension(out);
            int dim = model.stateDimension();
            boolean states = spec.recording() == Recording.STATES;
            boolean eeg = spec.eeg() != null;
            int nT = protocol.nSamples();
            if ("npz".equals(ext)) {
                int n = data.length;
                int per = data[0].length;
                double[] flat = new double[Math.multiplyExact(n, per)];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(data[i], 0, flat, i * per, per);
                }
                int[] shape = states ? new int[] {n, nT, dim}
                        : eeg ? new int[] {n, channels.length, time.length} : new int[] {n, per};
                ParameterSpace space = model.parameterSpace();
                Npy.Archive archive = new Npy.Archive();
                if (eeg) {
                    archive.put("channel_names", channels).put("snr_db", NpyArray.of(snrDb))
                            .put("noise_factor", NpyArray.of(new double[] {spec.eeg().noiseFactor()}));
                }
                archive.put("params", NpyArray.of(params)).put("signals", new NpyArray(shape, flat))
                        .put("time", NpyArray.of(time)).put("param_names", space.names())
                        .put("param_units", space.parameters().stream().map(p -> p.unit()).toArray(String[]::new))
                        .put("signal_unit", new String[] {unit()})
                        .put("convention", new String[] {model.convention().id()})
                        .put("diverged", NpyArray.of(Arrays.stream(diverged).asDoubleStream().toArray()))
                        .save(out, force);
            } else if ("npy".equals(ext)) {
                int[] shape = states ? new int[] {nT, dim}
                        : eeg ? new int[] {channels.length, time.length} : new int[] {data[0].length};
                Npy.save(out, new NpyArray(shape, data[0]), force);
            } else if ("csv".equals(ext) && !eeg) {
                if (states) {
                    double[][] cols = new double[dim + 1][nT];
                    cols[0] = time;
                    for (int k = 0; k < nT; k++) {
                        for (int i = 0; i < dim; i++) {
                            cols[i + 1][k] = data[0][k * dim + i];
                        }
                    }
                    String[] header = new String[dim + 1];
                    header[0] = "time_s";
                    for (int i = 0; i < dim; i++) {
                        header[i + 1] = model.stateNames()[i] + "_" + model.stateUnits()[i].replace("/", "_per_");
                    }
                    Csv.write(out, header, cols, force);
                } else {
                    String name = (spec.recording() == Recording.EVOKED ? "evoked_" : "output_") + model.outputUnit();
                    Csv.write(out, new String[] {"time_s", name}, new double[][] {time, data[0]}, force);
                }
            } else {
                throw new IllegalArgumentException(out + ": unknown format; valid: .npz, .npy"
                        + (eeg ? "" : ", .csv"));
            }
        }
    }

    /** The lower-case extension of {@code p}'s file name, "" when it has none. */
    public static String extension(Path p) {
        String s = p.getFileName().toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Bytes the data of {@code spec} will take. */
    public static long bytes(Spec spec) {
        Protocol protocol = Protocol.benchmark().withDuration(spec.duration());
        JansenRit m = new JansenRit(Convention.of(spec.convention()));
        int channels = spec.eeg() == null ? 1 : EegProjection.benchmark(spec.eeg().sourceScale(), 0).size();
        long per = (long) (spec.recording() == Recording.EVOKED ? EpochWindow.benchmark().length()
                : protocol.nSamples()) * (spec.recording() == Recording.STATES ? m.stateDimension() : channels);
        return (spec.samples() == null ? 1L : spec.samples()) * per * 8;
    }

    /** The parameter sets of {@code spec}: its values, or its draws from the prior with its values held. */
    public static double[][] parameters(Spec spec) {
        ParameterSpace space = new JansenRit(Convention.of(spec.convention())).parameterSpace();
        for (String name : spec.values().keySet()) {
            space.indexOf(name);
        }
        if (spec.samples() == null) {
            return new double[][] {space.withValues(spec.values(), spec.allowOutsidePrior())};
        }
        space.withValues(spec.values(), spec.allowOutsidePrior());
        ParameterSpace drawn = space.withPrior(Prior.named(spec.prior()));
        double[][] params = new double[spec.samples()][];
        for (int i = 0; i < params.length; i++) {
            double[] v = drawn.sample(RandomStreams.stream(spec.seed(), i));
            for (var e : spec.values().entrySet()) {
                v[space.indexOf(e.getKey())] = e.getValue();
            }
            space.validate(v, true);
            params[i] = v;
        }
        return params;
    }

    /** Runs {@code spec}, telling {@code progress} the number of simulations finished. */
    public static Result run(Spec spec, IntConsumer progress) {
        Protocol protocol = Protocol.benchmark().withDuration(spec.duration());
        JansenRit m = new JansenRit(Convention.of(spec.convention()))
                .withInput(spec.inputMean(), spec.noiseSd() * Math.sqrt(protocol.dt()));
        Scheme scheme = Scheme.of(spec.method());
        double[][] params = parameters(spec);
        int n = params.length;
        boolean evoked = spec.recording() == Recording.EVOKED;
        BatchSimulator sim = new BatchSimulator(m, scheme, protocol, spec.dt() == null ? protocol.dt() : spec.dt(),
                spec.threads(), spec.seed()).inPrecision(Precision.of(spec.precision()));
        if (spec.continueOnDivergence()) {
            sim = sim.continuingOnDivergence();
        }
        Recorder rec;
        EvokedRecorder ev = null;
        SignalRecorder sig = null;
        if (evoked) {
            ev = new EvokedRecorder(m, protocol, EpochWindow.benchmark(), n);
            rec = ev;
        } else {
            sig = spec.recording() == Recording.STATES ? SignalRecorder.states(m, n, protocol.nSamples())
                    : SignalRecorder.output(m, n, protocol.nSamples());
            rec = sig;
        }
        long t0 = System.nanoTime();
        int[] diverged = sim.run(params, rec, progress);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[][] data = evoked ? ev.evoked() : sig.data();
        double[] snr = null;
        String[] channels = null;
        if (spec.eeg() != null) {
            Eeg e = spec.eeg();
            EvokedNoise sampler = evoked ? new EvokedNoise(protocol.onsets(), protocol.nSamples(),
                    EpochWindow.benchmark()) : null;
            double[][] source = data;
            double[] meanSquare = evoked ? ev.meanSquare() : Arrays.stream(source)
                    .mapToDouble(x0 -> Arrays.stream(x0).map(v -> v * v).average().orElse(0)).toArray();
            EegProjection unit = EegProjection.benchmark(e.sourceScale(), 1);
            double[][] x = new double[n][];
            double[] snrs = new double[n];
            // each recording draws from its own stream: the same bytes whatever the parallelism
            IntStream.range(0, n).parallel().forEach(i -> {
                EegProjection.Observed o = unit.observeAt(source[i], meanSquare[i], e.noiseFactor(), e.snrDb(),
                        sampler, RandomStreams.stream(spec.seed(), i, RandomStreams.EEG_NOISE), 0);
                x[i] = o.x();
                snrs[i] = o.snrDb();
            });
            snr = snrs;
            data = x;
            channels = unit.channels();
        }
        for (int i : diverged) {
            Arrays.fill(data[i], Double.NaN);
        }
        double[] time = evoked ? EpochWindow.benchmark().times(protocol.sfreq()) : protocol.times();
        return new Result(spec, m, scheme, sim.step(), protocol, params, data, time, evoked ? ev.epochs() : 0,
                channels, snr, diverged, seconds);
    }
}
