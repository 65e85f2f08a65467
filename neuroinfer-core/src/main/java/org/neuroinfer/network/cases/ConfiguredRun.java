package org.neuroinfer.network.cases;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.commons.rng.UniformRandomProvider;
import org.neuroinfer.model.NodeModels;
import org.neuroinfer.network.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.NetworkSimulator;
import org.neuroinfer.network.NodeModel;
import org.neuroinfer.network.ParameterMap;
import org.neuroinfer.observe.FunctionalConnectivity;
import org.neuroinfer.random.RandomStreams;

/** A network run described by a {@link NetworkConfig}: seeded initial state and noise, BOLD and FC. */
public final class ConfiguredRun {
    /**
     * What a run produced.
     *
     * @param config     the run's settings
     * @param connectome the connectome used
     * @param model      the node model
     * @param result     the simulation
     * @param fc         FC of the BOLD signal after {@code fc_skip} (or of the default output when BOLD has fewer than
 *                   3 samples after it)
     * @param fcSource   "BOLD" or the output's name
     * @param seconds    wall-clock seconds of the integration
     */
    public record Output(NetworkConfig config, Connectome connectome, NodeModel model,
                         NetworkSimulator.Result result, double[][] fc, String fcSource, double seconds) {
    }

    private ConfiguredRun() {
    }

    /** Runs {@code c}; {@code connectome} overrides the file's connectome folder when not null. */
    public static Output run(NetworkConfig c, Path connectome) throws IOException {
        Connectome con = Connectome.read(connectome != null ? connectome : Path.of(c.connectome()));
        if (c.regions() != null) {
            con = con.first(c.regions());
        }
        ParameterMap p = c.parameters();
        double kGl = p.nonNegative("K_gl", 0.6);
        NodeModel m = NodeModels.of(c.model(), p);
        p.requireAllRead(c.model());
        int n = con.size();
        int nv = m.variables().size();
        double[][] init = new double[nv][n];
        double[][] ou0 = new double[nv][n];
        UniformRandomProvider r = RandomStreams.stream(c.seed(), 0, RandomStreams.NETWORK_INIT);
        for (int v = 0; v < nv; v++) {
            for (int i = 0; i < n; i++) {
                init[v][i] = m.initial(v, r.nextDouble());
                ou0[v][i] = m.ouMean()[v];
            }
        }
        int steps = (int) Math.rint(c.duration() / c.dt());
        int every = Math.max(1, (int) Math.rint(c.samplingDt() / c.dt()));
        NetworkSimulator sim = new NetworkSimulator(m, con.couplingWeights(), kGl,
                con.delaySteps(c.signalSpeed(), c.dt()));
        long t0 = System.nanoTime();
        NetworkSimulator.Result res = sim.run(init, ou0, NetworkSimulator.Noise.seeded(c.seed(), nv, n), c.dt(),
                steps, every, 0, c.bold());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] times = c.bold() ? res.boldTime() : res.time();
        int from = 0;
        while (from < times.length && times[from] < c.fcSkip()) {
            from++;
        }
        boolean fromBold = c.bold() && res.bold()[0].length - from >= 3;
        if (!fromBold) {
            from = 0;
            while (from < res.time().length && res.time()[from] < c.fcSkip()) {
                from++;
            }
        }
        double[][] series = fromBold ? res.bold() : res.outputs()[m.output()];
        double[][] kept = new double[n][];
        for (int i = 0; i < n; i++) {
            kept[i] = java.util.Arrays.copyOfRange(series[i], from, series[i].length);
        }
        double[][] fc = FunctionalConnectivity.fc(kept);
        return new Output(c, con, m, res, fc, fromBold ? "BOLD" : m.variables().get(m.output()), seconds);
    }
}
