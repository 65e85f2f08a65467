package org.neuroinfer.sensitivity;

import java.util.Arrays;
import java.util.function.Function;
import org.apache.commons.rng.UniformRandomProvider;
import org.hipparchus.random.SobolSequenceGenerator;
import org.neuroinfer.random.RandomStreams;

/**
 * Global sensitivity of a scalar output to k inputs on the unit hypercube: Sobol indices from Saltelli's sampling
 * (first order: Saltelli et al. 2010, Comput. Phys. Commun. 181:259; total order: Jansen 1999, Comput. Phys.
 * Commun. 117:35) with bootstrap confidence intervals, and Morris screening (Morris 1991, Technometrics 33:161;
 * mu* of Campolongo et al. 2007). The model is evaluated in batches of rows, so the batch engine runs them
 * together; callers map the unit cube through their priors.
 */
public final class GlobalSensitivity {
    private GlobalSensitivity() {
    }

    /**
     * Sobol indices with 95 % bootstrap percentile intervals ({@code [i][0]} lower, {@code [i][1]} upper).
     *
     * @param first   S_i
     * @param total   ST_i
     * @param firstCi intervals of S_i
     * @param totalCi intervals of ST_i
     * @param evaluations model evaluations used, n (k + 2)
     */
    public record SobolIndices(double[] first, double[] total, double[][] firstCi, double[][] totalCi,
                               int evaluations) {
    }

    /**
     * Morris elementary effects.
     *
     * @param muStar mean of |EE_i|
     * @param mu     mean of EE_i
     * @param sigma  standard deviation of EE_i
     * @param evaluations model evaluations used, r (k + 1)
     */
    public record MorrisIndices(double[] muStar, double[] mu, double[] sigma, int evaluations) {
    }

    /**
     * Sobol indices from n base samples (points 1..n of the 2k-dimensional Sobol sequence: A is its first k
     * coordinates, B the last k) and {@code bootstrap} resamples.
     */
    public static SobolIndices sobol(int k, int n, Function<double[][], double[]> model, int bootstrap, long seed) {
        return sobolAll(k, n, rows -> new double[][] {model.apply(rows)}, bootstrap, seed).get(0);
    }

    /**
     * Sobol indices of several outputs from one set of model runs: {@code model} returns [outputs][rows].
     */
    public static java.util.List<SobolIndices> sobolAll(int k, int n, Function<double[][], double[][]> model,
                                                        int bootstrap, long seed) {
        if (k < 1 || n < 2) {
            throw new IllegalArgumentException("Sobol indices need k >= 1 inputs and n >= 2 base samples");
        }
        SobolSequenceGenerator g = new SobolSequenceGenerator(2 * k);
        double[][] a = new double[n][k];
        double[][] b = new double[n][k];
        double[] v = g.skipTo(1);
        for (int i = 0; i < n; i++) {
            System.arraycopy(v, 0, a[i], 0, k);
            System.arraycopy(v, k, b[i], 0, k);
            v = g.nextVector();
        }
        double[][] rows = new double[n * (k + 2)][];
        for (int i = 0; i < n; i++) {
            rows[i] = a[i];
            rows[n + i] = b[i];
            for (int j = 0; j < k; j++) {
                double[] ab = a[i].clone();
                ab[j] = b[i][j];
                rows[(2 + j) * n + i] = ab;
            }
        }
        double[][] ys = model.apply(rows);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        // the same resamples for every output
        UniformRandomProvider rng = RandomStreams.stream(seed, 0, 4);
        int[][] resamples = new int[bootstrap][n];
        for (int[] idx : resamples) {
            for (int i = 0; i < n; i++) {
                idx[i] = rng.nextInt(n);
            }
        }
        java.util.List<SobolIndices> out = new java.util.ArrayList<>();
        for (double[] y : ys) {
            if (y.length != rows.length) {
                throw new IllegalArgumentException("model returned " + y.length + " values for " + rows.length
                        + " rows");
            }
            double[][] est = estimate(y, n, k, all);
            double[][][] boot = new double[bootstrap][][];
            for (int r = 0; r < bootstrap; r++) {
                boot[r] = estimate(y, n, k, resamples[r]);
            }
            out.add(new SobolIndices(est[0], est[1], interval(boot, 0, k), interval(boot, 1, k), rows.length));
        }
        return out;
    }

    /** {S_i}, {ST_i} from the rows {@code idx} of the A, B and A_B blocks. */
    private static double[][] estimate(double[] y, int n, int k, int[] idx) {
        double mean = 0;
        for (int i : idx) {
            mean += (y[i] + y[n + i]) / (2.0 * idx.length);
        }
        double var = 0;
        for (int i : idx) {
            var += ((y[i] - mean) * (y[i] - mean) + (y[n + i] - mean) * (y[n + i] - mean)) / (2.0 * idx.length);
        }
        double[] s = new double[k];
        double[] st = new double[k];
        for (int j = 0; j < k; j++) {
            double f = 0;
            double t = 0;
            for (int i : idx) {
                double fa = y[i];
                double fb = y[n + i];
                double fab = y[(2 + j) * n + i];
                f += fb * (fab - fa);
                t += (fa - fab) * (fa - fab);
            }
            s[j] = var == 0 ? Double.NaN : f / idx.length / var;
            st[j] = var == 0 ? Double.NaN : t / (2.0 * idx.length) / var;
        }
        return new double[][] {s, st};
    }

    private static double[][] interval(double[][][] boot, int which, int k) {
        double[][] ci = new double[k][2];
        if (boot.length == 0) {
            for (double[] c : ci) {
                Arrays.fill(c, Double.NaN);
            }
            return ci;
        }
        for (int j = 0; j < k; j++) {
            double[] v = new double[boot.length];
            for (int r = 0; r < boot.length; r++) {
                v[r] = boot[r][which][j];
            }
            Arrays.sort(v);
            ci[j][0] = v[(int) Math.floor(0.025 * (v.length - 1))];
            ci[j][1] = v[(int) Math.ceil(0.975 * (v.length - 1))];
        }
        return ci;
    }

    /**
     * Morris screening with {@code r} trajectories on a {@code levels}-level grid (step levels / (2 (levels - 1))),
     * factors moved one at a time in random order and direction.
     */
    public static MorrisIndices morris(int k, int r, int levels, Function<double[][], double[]> model, long seed) {
        return morrisAll(k, r, levels, rows -> new double[][] {model.apply(rows)}, seed).get(0);
    }

    /** Morris indices of several outputs from one set of trajectories: {@code model} returns [outputs][rows]. */
    public static java.util.List<MorrisIndices> morrisAll(int k, int r, int levels,
                                                          Function<double[][], double[][]> model, long seed) {
        if (k < 1 || r < 2 || levels < 2 || levels % 2 != 0) {
            throw new IllegalArgumentException("Morris needs k >= 1, r >= 2 trajectories and an even number of "
                    + "levels >= 2");
        }
        double delta = levels / (2.0 * (levels - 1));
        UniformRandomProvider rng = RandomStreams.stream(seed, 0, 5);
        double[][] rows = new double[r * (k + 1)][];
        int[][] order = new int[r][];
        double[][] sign = new double[r][k];
        for (int t = 0; t < r; t++) {
            double[] x = new double[k];
            for (int j = 0; j < k; j++) {
                // base levels from which a step up stays inside [0, 1]; a step down is taken from the level above
                x[j] = rng.nextInt(levels / 2) / (double) (levels - 1);
                sign[t][j] = rng.nextBoolean() ? 1 : -1;
                if (sign[t][j] < 0) {
                    x[j] += delta;
                }
            }
            int[] perm = RandomStreams.permutation(k, rng);
            order[t] = perm;
            rows[t * (k + 1)] = x.clone();
            for (int s = 0; s < k; s++) {
                x[perm[s]] += sign[t][perm[s]] * delta;
                rows[t * (k + 1) + s + 1] = x.clone();
            }
        }
        java.util.List<MorrisIndices> out = new java.util.ArrayList<>();
        for (double[] y : model.apply(rows)) {
            double[][] ee = new double[k][r];
            for (int t = 0; t < r; t++) {
                for (int s = 0; s < k; s++) {
                    int j = order[t][s];
                    double dy = y[t * (k + 1) + s + 1] - y[t * (k + 1) + s];
                    ee[j][t] = dy / (sign[t][j] * delta);
                }
            }
            double[] muStar = new double[k];
            double[] mu = new double[k];
            double[] sigma = new double[k];
            for (int j = 0; j < k; j++) {
                for (double e : ee[j]) {
                    mu[j] += e / r;
                    muStar[j] += Math.abs(e) / r;
                }
                double v = 0;
                for (double e : ee[j]) {
                    v += (e - mu[j]) * (e - mu[j]);
                }
                sigma[j] = Math.sqrt(v / (r - 1));
            }
            out.add(new MorrisIndices(muStar, mu, sigma, rows.length));
        }
        return out;
    }
}
