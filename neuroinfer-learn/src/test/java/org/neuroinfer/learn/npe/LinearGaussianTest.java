package org.neuroinfer.learn.npe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.learn.config.TrainingConfig;

/**
 * Both estimators, trained with sbi's defaults on 10^4 simulations, recover the analytic posterior of the
 * linear-Gaussian problem (means, standard deviations and correlations on five held-out observations), are
 * calibrated (expected coverage within ±5 % of 50, 80 and 95 % on 300 held-out simulations) and pass a C2ST
 * against exact posterior draws (accuracy ≤ 0.6).
 */
class LinearGaussianTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"maf", "mdn"})
    void matchesTheAnalyticPosterior(String kind) throws IOException {
        RecordingSet set = LinearGaussian.simulate(10_000, 1);
        NpeConfig config = new NpeConfig(EstimatorSpec.of(kind), new TrainingConfig.Input(null, null, 1), NpeConfig.optimisation(
                java.util.Map.of("epochs", 200, "seed", 3)));
        long t0 = System.nanoTime();
        NpeTraining.Result r = NpeTraining.run(config, set, PosteriorCard.Support.unbounded(3), dir.resolve(kind),
                new TrainingLoop.Listener() {
                });
        System.out.printf("%s: %d epochs, %.1f s, stop: %s%n", kind, r.history().size(),
                (System.nanoTime() - t0) / 1e9, r.stopReason());
        PosteriorModel m = r.model();
        RealMatrix cov = LinearGaussian.covariance();
        double worstMean = 0;
        double worstSd = 0;
        double worstCorr = 0;
        for (int i = 0; i < 5; i++) {
            int row = r.splits().test()[i];
            int at = row * LinearGaussian.X;
            double[][] s = m.sample(set.x(), at, 4000, 5, i).theta();
            double[] mu = LinearGaussian.mean(set.x(), at);
            double[] em = new double[3];
            for (double[] v : s) {
                for (int j = 0; j < 3; j++) {
                    em[j] += v[j] / s.length;
                }
            }
            double[][] ec = new double[3][3];
            for (double[] v : s) {
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        ec[a][b] += (v[a] - em[a]) * (v[b] - em[b]) / (s.length - 1);
                    }
                }
            }
            for (int j = 0; j < 3; j++) {
                double sd = Math.sqrt(cov.getEntry(j, j));
                worstMean = Math.max(worstMean, Math.abs(em[j] - mu[j]) / sd);
                worstSd = Math.max(worstSd, Math.abs(Math.sqrt(ec[j][j]) / sd - 1));
                for (int k = j + 1; k < 3; k++) {
                    double rho = cov.getEntry(j, k) / Math.sqrt(cov.getEntry(j, j) * cov.getEntry(k, k));
                    double erho = ec[j][k] / Math.sqrt(ec[j][j] * ec[k][k]);
                    worstCorr = Math.max(worstCorr, Math.abs(erho - rho));
                }
            }
        }
        Calibration cal = Calibration.run(m, set.x(), set.y(), java.util.Arrays.copyOf(r.splits().test(), 300), 500,
                11, null);
        System.out.printf("%s: mean err %.3f sd, sd err %.3f, corr err %.3f; coverage %.3f %.3f %.3f; tarp %.3f %.3f"
                        + " %.3f; sbc p %.3f %.3f %.3f%n", kind, worstMean, worstSd, worstCorr, cal.coverage(0.5),
                cal.coverage(0.8), cal.coverage(0.95), cal.tarpCoverage(0.5), cal.tarpCoverage(0.8),
                cal.tarpCoverage(0.95), cal.sbcPValue(0, 10), cal.sbcPValue(1, 10), cal.sbcPValue(2, 10));
        double[][] exact = LinearGaussian.exact(set.x(), r.splits().test()[0] * LinearGaussian.X, 2000, 9);
        double[][] est = m.sample(set.x(), r.splits().test()[0] * LinearGaussian.X, 2000, 13, 0).theta();
        double c2st = C2st.accuracy(exact, est, 5, 17);
        System.out.printf("%s: c2st %.3f%n", kind, c2st);
        m.close();
        // 10^4 simulations: posterior means within 0.3 posterior sd, sds within 15 %, correlations within 0.15
        assertTrue(worstMean < 0.3, "mean error " + worstMean + " posterior sd");
        assertTrue(worstSd < 0.15, "sd error " + worstSd);
        assertTrue(worstCorr < 0.15, "correlation error " + worstCorr);
        for (double a : new double[]{0.5, 0.8, 0.95}) {
            assertTrue(Math.abs(cal.coverage(a) - a) <= 0.05, "coverage at " + a + ": " + cal.coverage(a));
        }
        assertTrue(c2st <= 0.6, "c2st " + c2st);
    }
}
