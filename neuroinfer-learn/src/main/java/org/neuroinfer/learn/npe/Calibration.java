package org.neuroinfer.learn.npe;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.apache.commons.rng.UniformRandomProvider;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.neuroinfer.random.RandomStreams;

/**
 * Calibration of a posterior estimator over held-out simulations (θ*, x*), from {@code draws} posterior draws
 * each:
 * <ul>
 *   <li>simulation-based calibration (Talts et al. 2018): the rank of θ*_j among the draws of θ_j is uniform for a
 *       calibrated posterior; tested with a χ² test on a histogram;</li>
 *   <li>expected coverage of the highest-posterior-density regions (as sbi's expected coverage): the level of the
 *       smallest HPD region holding θ* is the fraction of draws of higher density; coverage at level α is the
 *       fraction of simulations whose level is at most α;</li>
 *   <li>TARP (Lemos et al. 2023): with a random reference point θ_r per simulation, the fraction f of draws closer
 *       to θ_r than θ* (in standardised units); its distribution function lies on the diagonal when calibrated;</li>
 *   <li>per parameter, the coverage of the central credible intervals of the marginals;</li>
 *   <li>per parameter, posterior contraction 1 - var_post / var_prior and the z-score (mean_post - θ*) / sd_post.</li>
 * </ul>
 *
 * @param truth     θ* per simulation, in the parameters' units
 * @param mean      posterior mean per simulation and parameter
 * @param sd        posterior standard deviation per simulation and parameter
 * @param ranks     rank of θ*_j among the draws (0 … draws)
 * @param hpdLevel  level of the smallest HPD region holding θ*
 * @param tarp      TARP's f per simulation
 * @param draws     draws per simulation
 * @param acceptance mean fraction of draws inside the prior's support
 */
public record Calibration(double[][] truth, double[][] mean, double[][] sd, int[][] ranks, double[] hpdLevel,
                          double[] tarp, int draws, double acceptance) {

    /**
     * Runs the checks on the simulations {@code rows} of decimated recordings {@code x} (row-major, in their
     * units) with true parameters {@code theta} (in the estimator's target order).
     *
     * @param progress told the count of simulations done, may be null
     */
    public static Calibration run(PosteriorModel model, float[] x, double[][] theta, int[] rows, int draws, long seed,
                                  IntConsumer progress) {
        int d = model.dimension();
        int n = rows.length;
        int len = model.rowLength();
        double[][] mean = new double[n][d];
        double[][] sd = new double[n][d];
        int[][] ranks = new int[n][d];
        double[] level = new double[n];
        double[] tarp = new double[n];
        double[] centre = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) { // the prior's moments, as the simulations checked drew it
            double[] m = moments(theta, rows, j);
            centre[j] = m[0];
            scale[j] = m[1];
        }
        double accepted = 0;
        for (int i = 0; i < n; i++) {
            int at = rows[i] * len;
            double[] truth = theta[rows[i]];
            PosteriorModel.Draws dr = model.sample(x, at, draws, seed, rows[i]);
            accepted += dr.acceptance();
            double[][] s = dr.theta();
            for (int j = 0; j < d; j++) {
                double m = 0;
                int below = 0;
                for (double[] row : s) {
                    m += row[j] / draws;
                    if (row[j] < truth[j]) {
                        below++;
                    }
                }
                double v = 0;
                for (double[] row : s) {
                    v += (row[j] - m) * (row[j] - m) / (draws - 1);
                }
                mean[i][j] = m;
                sd[i][j] = Math.sqrt(v);
                ranks[i][j] = below;
            }
            double[][] all = Arrays.copyOf(s, draws + 1);
            all[draws] = truth;
            double[] lp = model.logProb(x, at, all);
            int higher = 0;
            for (int k = 0; k < draws; k++) {
                if (lp[k] > lp[draws]) {
                    higher++;
                }
            }
            level[i] = higher / (double) draws;
            UniformRandomProvider rng = RandomStreams.stream(seed, rows[i], RandomStreams.POSTERIOR + 1000);
            double[] ref = new double[d];
            for (int j = 0; j < d; j++) {
                ref[j] = centre[j] + scale[j] * (2 * Math.sqrt(3) * (rng.nextDouble() - 0.5)); // matches the prior's sd
            }
            double dTrue = distance(truth, ref, scale);
            int closer = 0;
            for (double[] row : s) {
                if (distance(row, ref, scale) < dTrue) {
                    closer++;
                }
            }
            tarp[i] = closer / (double) draws;
            if (progress != null) {
                progress.accept(i + 1);
            }
        }
        double[][] truth = new double[n][];
        for (int i = 0; i < n; i++) {
            truth[i] = theta[rows[i]].clone();
        }
        return new Calibration(truth, mean, sd, ranks, level, tarp, draws, accepted / n);
    }

    private static double distance(double[] a, double[] b, double[] scale) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double z = (a[j] - b[j]) / scale[j];
            s += z * z;
        }
        return Math.sqrt(s);
    }

    /** Simulations. */
    public int size() {
        return truth.length;
    }

    /** The fraction of simulations whose θ* lies in the HPD region of level {@code alpha}. */
    public double coverage(double alpha) {
        return fractionAtMost(hpdLevel, alpha);
    }

    /**
     * The fraction of simulations whose θ*_j lies in the central credible interval of level {@code alpha} of the
     * marginal posterior of parameter {@code j} (from the ranks: u = rank / draws within [(1-α)/2, (1+α)/2]).
     */
    public double marginalCoverage(int j, double alpha) {
        double lo = (1 - alpha) / 2;
        double hi = 1 - lo;
        long k = Arrays.stream(ranks).filter(r -> r[j] / (double) draws >= lo && r[j] / (double) draws <= hi).count();
        return k / (double) ranks.length;
    }

    /** Mean and sd of parameter {@code j} over the simulations {@code rows}: the prior's, as they drew it. */
    public static double[] moments(double[][] theta, int[] rows, int j) {
        double m = 0;
        for (int r : rows) {
            m += theta[r][j] / rows.length;
        }
        double v = 0;
        for (int r : rows) {
            v += (theta[r][j] - m) * (theta[r][j] - m) / Math.max(1, rows.length - 1);
        }
        return new double[]{m, Math.sqrt(v)};
    }

    /** TARP's expected coverage at credibility {@code alpha}: the fraction of simulations with f &lt; alpha. */
    public double tarpCoverage(double alpha) {
        long k = Arrays.stream(tarp).filter(f -> f < alpha).count();
        return k / (double) tarp.length;
    }

    private static double fractionAtMost(double[] v, double alpha) {
        long k = Arrays.stream(v).filter(f -> f <= alpha).count();
        return k / (double) v.length;
    }

    /** Rank histogram of parameter {@code j} in {@code bins} equal bins of the normalised rank. */
    public int[] rankHistogram(int j, int bins) {
        int[] h = new int[bins];
        for (int[] r : ranks) {
            h[Math.min(bins - 1, (int) ((double) r[j] / (draws + 1) * bins))]++;
        }
        return h;
    }

    /** p-value of the χ² test that parameter {@code j}'s ranks are uniform ({@code bins} bins). */
    public double sbcPValue(int j, int bins) {
        int[] h = rankHistogram(j, bins);
        double expected = size() / (double) bins;
        double chi = 0;
        for (int c : h) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return 1 - new ChiSquaredDistribution(bins - 1).cumulativeProbability(chi);
    }

    /** Mean over simulations of 1 - var_post / var_prior for parameter {@code j}; {@code priorSd} its prior sd. */
    public double contraction(int j, double priorSd) {
        double s = 0;
        for (double[] r : sd) {
            s += 1 - r[j] * r[j] / (priorSd * priorSd);
        }
        return s / size();
    }

    /** Mean and standard deviation over simulations of the z-score of parameter {@code j}. */
    public double[] zScore(int j) {
        double m = 0;
        double q = 0;
        for (int i = 0; i < size(); i++) {
            double z = (mean[i][j] - truth[i][j]) / sd[i][j];
            m += z / size();
            q += z * z / size();
        }
        return new double[]{m, Math.sqrt(Math.max(0, q - m * m))};
    }
}
