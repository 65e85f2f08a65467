package org.neuroinfer.simulator.sbibm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.SharedFolder;

/**
 * The ten sbibm tasks are right in distribution: prior and simulator moments at fixed parameters against the
 * README's definitions, the closed-form posterior of gaussian_linear against its reference samples, the ODE tasks
 * against the observations their true parameters made, and the tasks that share parts sharing them exactly.
 */
class SbibmTasksTest {
    static final Path SBIBM = SharedFolder.require().resolve("reference/sbibm");
    static final int N = 20_000;

    static SbibmTask task(String name) {
        return SbibmTasks.of(name, SBIBM, 7);
    }

    /** Column means and variances of {@code x}. */
    static double[][] moments(double[][] x) {
        int d = x[0].length;
        double[] m = new double[d];
        double[] v = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                m[j] += row[j] / x.length;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                v[j] += (row[j] - m[j]) * (row[j] - m[j]) / (x.length - 1);
            }
        }
        return new double[][] {m, v};
    }

    static double[][] simulations(SbibmTask t, double[] theta, int n) {
        double[][] th = new double[n][];
        java.util.Arrays.fill(th, theta);
        float[][] x = t.simulate(th, 0);
        double[][] d = new double[n][];
        for (int i = 0; i < n; i++) {
            d[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                d[i][j] = x[i][j];
            }
        }
        return d;
    }

    @Test
    void anUnknownTaskNamesTheTen() {
        var e = assertThrows(IllegalArgumentException.class, () -> SbibmTasks.of("two_moon", SBIBM, 0));
        for (String n : SbibmTasks.NAMES) {
            assertTrue(e.getMessage().contains(n), e.getMessage());
        }
        assertEquals(10, SbibmTasks.NAMES.size());
    }

    @Test
    void everyTaskHasTheReferencesDimensions() throws Exception {
        for (String n : SbibmTasks.NAMES) {
            SbibmTask t = task(n);
            assertEquals(t.length(), t.observation(1).length, n + " data");
            assertEquals(t.parameters().size(), t.trueParameters(1).length, n + " parameters");
            assertEquals(t.parameters().size(), t.referencePosterior(1)[0].length, n + " posterior");
        }
    }

    @Test
    void gaussianLinearPriorSimulatorAndPosterior() throws Exception {
        SbibmTask t = task("gaussian_linear");
        double[][] p = moments(t.drawPrior(N, 0));
        double[] theta = {0.3, -0.2, 0.1, 0, 0.5, -0.5, 0.2, 0.05, -0.1, 0.4};
        double[][] s = moments(simulations(t, theta, N));
        for (int j = 0; j < 10; j++) {
            assertEquals(0, p[0][j], 0.01);
            assertEquals(0.1, p[1][j], 0.004);
            assertEquals(theta[j], s[0][j], 0.01);
            assertEquals(0.1, s[1][j], 0.004);
        }
        // the reference posterior of observation 1 is N(x/2, 0.05 I)
        float[] x = t.observation(1);
        double[][] r = moments(t.referencePosterior(1));
        for (int j = 0; j < 10; j++) {
            assertEquals(x[j] / 2, r[0][j], 0.01);
            assertEquals(0.05, r[1][j], 0.003);
        }
    }

    @Test
    void gaussianLinearUniformAndMixture() {
        double[][] p = moments(task("gaussian_linear_uniform").drawPrior(N, 0));
        for (int j = 0; j < 10; j++) {
            assertEquals(0, p[0][j], 0.02);
            assertEquals(1 / 3.0, p[1][j], 0.01);
        }
        SbibmTask m = task("gaussian_mixture");
        double[][] s = moments(simulations(m, new double[] {2, -3}, N));
        assertEquals(2, s[0][0], 0.02);
        assertEquals(-3, s[0][1], 0.02);
        assertEquals(0.505, s[1][0], 0.02, "½·1 + ½·0.01");
        double[][] pm = moments(m.drawPrior(N, 0));
        assertEquals(400 / 12.0, pm[1][0], 1.0);
    }

    @Test
    void twoMoonsHasItsRadiusAndFold() {
        double[] theta = {0.3, -0.6};
        double[][] x = simulations(task("two_moons"), theta, N);
        double z0 = Math.abs(theta[0] + theta[1]) / Math.sqrt(2);
        double z1 = (theta[1] - theta[0]) / Math.sqrt(2);
        double[][] r = new double[N][1];
        for (int i = 0; i < N; i++) {
            double p1 = x[i][0] + z0 - 0.25;
            double p2 = x[i][1] - z1;
            r[i][0] = Math.hypot(p1, p2);
            assertTrue(p1 > -0.05, "the half-circle opens to the right: " + p1);
        }
        double[][] m = moments(r);
        assertEquals(0.1, m[0][0], 5e-4);
        assertEquals(0.01, Math.sqrt(m[1][0]), 5e-4);
    }

    @Test
    void slcpPointsHaveTheirMeanAndCovarianceAndTheDistractorsHideThem() {
        double[] theta = {0.5, -1, 1.2, -0.8, 0.7};
        SbibmTask slcp = task("slcp");
        double[][] x = simulations(slcp, theta, N);
        double s1 = 1.44;
        double s2 = 0.64;
        double rho = Math.tanh(0.7);
        double[][] pts = new double[4 * N][];
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < 4; k++) {
                pts[4 * i + k] = new double[] {x[i][2 * k], x[i][2 * k + 1]};
            }
        }
        double[][] m = moments(pts);
        assertEquals(0.5, m[0][0], 0.02);
        assertEquals(-1, m[0][1], 0.02);
        assertEquals(s1 * s1, m[1][0], 0.03 * s1 * s1);
        assertEquals(s2 * s2, m[1][1], 0.03 * s2 * s2);
        double cov = 0;
        for (double[] p : pts) {
            cov += (p[0] - m[0][0]) * (p[1] - m[0][1]) / pts.length;
        }
        assertEquals(rho * s1 * s2, cov, 0.02);
        // the distractor task's eight informative numbers are slcp's, at positions 22, 33, 23, 67, 42, 21, 16, 90
        SbibmTask d = task("slcp_distractors");
        double[][] th = {theta, {-2, 2, 0.3, 2.5, -1}};
        float[][] a = slcp.simulate(th, 5);
        float[][] b = d.simulate(th, 5);
        int[] at = {22, 33, 23, 67, 42, 21, 16, 90};
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(a[k][j], b[k][at[j]], 0, "slcp number " + j);
            }
        }
    }

    @Test
    void bernoulliGlmPriorAndStatistics() throws Exception {
        double[] want = Npy.load(SBIBM.resolve("bernoulli_glm/prior_precision.npy")).data();
        double[][] p = SbibmTasks.BernoulliGlm.precision();
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                assertEquals(want[i * 10 + j], p[i][j], 1e-12, "precision " + i + "," + j);
            }
        }
        double[] sd = {1.414, 1.000, 1.677, 1.830, 1.552, 1.216, 1.100, 1.069, 0.981, 0.880};
        double[][] m = moments(task("bernoulli_glm").drawPrior(N, 0));
        for (int j = 0; j < 10; j++) {
            assertEquals(sd[j], Math.sqrt(m[1][j]), 0.03 * sd[j], "prior sd " + j);
        }
        // the summary task's statistics are Xᵀ y of the raw task's spikes, simulation by simulation
        double[][] design = Npy.load(SBIBM.resolve("bernoulli_glm/design_matrix.npy")).rows();
        SbibmTask raw = task("bernoulli_glm_raw");
        SbibmTask sum = task("bernoulli_glm");
        double[][] th = raw.drawPrior(50, 3);
        float[][] y = raw.simulate(th, 9);
        float[][] x = sum.simulate(th, 9);
        for (int k = 0; k < th.length; k++) {
            for (int j = 0; j < 10; j++) {
                double s = 0;
                for (int t = 0; t < 100; t++) {
                    s += design[t][j] * y[k][t];
                }
                assertEquals(s, x[k][j], 1e-4);
            }
        }
        // and so are the reference's observations
        for (int k = 1; k <= 5; k++) {
            float[] yo = raw.observation(k);
            float[] xo = sum.observation(k);
            for (int j = 0; j < 10; j++) {
                double s = 0;
                for (int t = 0; t < 100; t++) {
                    s += design[t][j] * yo[t];
                }
                assertEquals(xo[j], s, 1e-4);
            }
        }
    }

    @Test
    void theOdeTasksMakeTheirObservationsAtTheTrueParameters() throws Exception {
        SbibmTasks.Sir sir = (SbibmTasks.Sir) task("sir");
        SbibmTasks.LotkaVolterra lv = (SbibmTasks.LotkaVolterra) task("lotka_volterra");
        for (int k = 1; k <= 5; k++) {
            double[] p = sir.infected(sir.trueParameters(k));
            float[] x = sir.observation(k);
            for (int t = 0; t < p.length; t++) {
                double sd = Math.sqrt(1000 * p[t] * (1 - p[t]));
                assertTrue(Math.abs(x[t] - 1000 * p[t]) <= 5 * sd + 1, "sir obs " + k + " day " + t + ": " + x[t]
                        + " vs " + 1000 * p[t]);
            }
            double[][] u = lv.populations(lv.trueParameters(k));
            float[] y = lv.observation(k);
            for (int s = 0; s < 2; s++) {
                for (int t = 0; t < 10; t++) {
                    double z = (Math.log(y[s * 10 + t]) - Math.log(u[t][s])) / 0.1;
                    assertTrue(Math.abs(z) < 5, "lotka obs " + k + " value " + (s * 10 + t) + ": z = " + z);
                }
            }
        }
        // log-normal priors with their log means and sds
        double[][] sp = task("sir").drawPrior(N, 0);
        double[][] logs = new double[N][2];
        for (int i = 0; i < N; i++) {
            logs[i] = new double[] {Math.log(sp[i][0]), Math.log(sp[i][1])};
        }
        double[][] m = moments(logs);
        assertEquals(Math.log(0.4), m[0][0], 0.01);
        assertEquals(0.5, Math.sqrt(m[1][0]), 0.01);
        assertEquals(Math.log(0.125), m[0][1], 0.005);
        assertEquals(0.2, Math.sqrt(m[1][1]), 0.005);
    }

    @Test
    void aBatchIsItsRowsOneAtATimeForEveryTask() {
        for (String n : SbibmTasks.NAMES) {
            SbibmTask t = task(n);
            double[][] th = t.drawPrior(3, 11);
            float[][] x = t.simulate(th, 20);
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(t.drawPrior(1, 11 + k)[0], th[k], n);
                assertArrayEquals(t.simulate(new double[][] {th[k]}, 20 + k)[0], x[k], n);
            }
        }
    }

    /**
     * Stein's identity for the prior's log density: over draws θ ~ p, E[θ_i ∂_j log p(θ)] = −δ_ij (integration by
     * parts), with the gradient by central differences; each entry within 5 standard errors of the draws' mean.
     */
    @Test
    void thePriorsLogDensityHasTheScoreOfItsDraws() {
        for (String n : new String[] {"gaussian_linear", "bernoulli_glm", "sir", "lotka_volterra"}) {
            SbibmTask t = task(n);
            double[][] th = t.drawPrior(N, 3);
            int d = th[0].length;
            double[][] sum = new double[d][d];
            double[][] sq = new double[d][d];
            for (double[] row : th) {
                double[] score = new double[d];
                for (int j = 0; j < d; j++) {
                    double h = 1e-5 * Math.max(1e-3, Math.abs(row[j]));
                    double[] a = row.clone();
                    double[] b = row.clone();
                    a[j] += h;
                    b[j] -= h;
                    score[j] = (t.logPrior(a) - t.logPrior(b)) / (2 * h);
                }
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        double v = row[i] * score[j];
                        sum[i][j] += v;
                        sq[i][j] += v * v;
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double mean = sum[i][j] / N;
                    double se = Math.sqrt((sq[i][j] / N - mean * mean) / N);
                    assertEquals(i == j ? -1 : 0, mean, 5 * se + 1e-9, n + " entry " + i + "," + j);
                }
            }
        }
    }

    /**
     * The prior's log density is normalised: its mean over draws is minus the entropy of a Gaussian of the draws'
     * covariance (gaussian_linear, bernoulli_glm; per parameter of the log for sir's log-normals); a uniform
     * prior's is −D log(width) inside the box and −∞ outside.
     */
    @Test
    void thePriorsLogDensityIsNormalised() {
        for (String n : new String[] {"gaussian_linear", "bernoulli_glm"}) {
            SbibmTask t = task(n);
            double[][] th = t.drawPrior(N, 5);
            int d = th[0].length;
            double[][] cov = new double[d][d];
            for (double[] row : th) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        cov[i][j] += row[i] * row[j] / N; // zero-mean priors
                    }
                }
            }
            double logDet = new org.hipparchus.linear.LUDecomposition(
                    org.hipparchus.linear.MatrixUtils.createRealMatrix(cov)).getDeterminant();
            double entropy = 0.5 * (d * Math.log(2 * Math.PI * Math.E) + Math.log(logDet));
            double mean = java.util.Arrays.stream(th).mapToDouble(t::logPrior).average().orElseThrow();
            assertEquals(-entropy, mean, 0.05, n);
        }
        double[][] sp = task("sir").drawPrior(N, 5);
        double mean = 0;
        for (double[] row : sp) {
            mean += task("sir").logPrior(row) / N;
        }
        // a log-normal's entropy is μ + log(σ √(2πe)): μ = log 0.4, σ = 0.5; μ = log 0.125, σ = 0.2
        double entropy = Math.log(0.4) + Math.log(0.5 * Math.sqrt(2 * Math.PI * Math.E)) + Math.log(0.125)
                + Math.log(0.2 * Math.sqrt(2 * Math.PI * Math.E));
        assertEquals(-entropy, mean, 0.03, "sir");
        SbibmTask u = task("gaussian_linear_uniform");
        assertEquals(-10 * Math.log(2), u.logPrior(u.drawPrior(1, 0)[0]), 1e-12);
        double[] out = new double[10];
        out[3] = 1.5;
        assertEquals(Double.NEGATIVE_INFINITY, u.logPrior(out));
    }
}
