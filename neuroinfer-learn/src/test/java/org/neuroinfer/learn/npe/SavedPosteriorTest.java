package org.neuroinfer.learn.npe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.learn.config.TrainingConfig;

/**
 * A posterior estimator saved by format version 1 (an MDN on the linear-Gaussian problem, with a box support on
 * every parameter) is checked in under src/test/resources/models/v1-posterior-mdn with observations, parameter
 * points, and the log densities and draws it gave; every later version must load it and give the same numbers.
 */
class SavedPosteriorTest {
    static final Path OLD = Path.of("src/test/resources/models/v1-posterior-mdn");
    static final double[] LO = {-3, -3, -3};
    static final double[] HI = {3, 3, 3};

    /** Recreates the checked-in estimator: run once with -Dneuroinfer.writeReferenceModel=true. */
    @Test
    void writeReferenceModel() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("neuroinfer.writeReferenceModel"));
        RecordingSet set = LinearGaussian.simulate(400, 21);
        NpeConfig c = new NpeConfig(new EstimatorSpec("mdn", null, 3, 16, 1, null, null, null, null, null),
                new TrainingConfig.Input(null, null, 1), NpeConfig.optimisation(Map.of("epochs", 3, "seed", 5)));
        NpeTraining.Result r = NpeTraining.run(c, set, PosteriorCard.Support.box(LO, HI), OLD, new TrainingLoop.Listener() {
        });
        float[] obs = java.util.Arrays.copyOf(set.x(), 4 * LinearGaussian.X);
        double[][] theta = {{0, 0, 0}, {0.5, -1, 2}, {-2.5, 2.9, 0.1}, {1, 1, -1}};
        NpyArray lp = NpyArray.of(logProbs(r.model(), obs, theta));
        NpyArray draws = NpyArray.of(draws(r.model(), obs));
        double[][] x = new double[4][LinearGaussian.X];
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < LinearGaussian.X; k++) {
                x[i][k] = obs[i * LinearGaussian.X + k];
            }
        }
        new Npy.Archive().put("observations", NpyArray.of(x)).put("theta", NpyArray.of(theta)).put("log_prob", lp)
                .put("draws", draws).save(OLD.resolve("check.npz"), true);
        Files.deleteIfExists(OLD.resolve("history.csv"));
        r.model().close();
    }

    /** log q(θ_j | x_i) for each observation i and point j, row-major [i][j]. */
    static double[][] logProbs(PosteriorModel m, float[] obs, double[][] theta) {
        int n = obs.length / LinearGaussian.X;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = m.logProb(obs, i * LinearGaussian.X, theta);
        }
        return out;
    }

    /** Five draws per observation (seed 9, stream i), flattened to rows of 15. */
    static double[][] draws(PosteriorModel m, float[] obs) {
        int n = obs.length / LinearGaussian.X;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[][] d = m.sample(obs, i * LinearGaussian.X, 5, 9, i).theta();
            out[i] = new double[5 * LinearGaussian.D];
            for (int s = 0; s < 5; s++) {
                System.arraycopy(d[s], 0, out[i], s * LinearGaussian.D, LinearGaussian.D);
            }
        }
        return out;
    }

    @Test
    void theVersion1EstimatorStillLoadsAndGivesTheSameDensitiesAndDraws() throws IOException {
        var check = Npy.loadArchive(OLD.resolve("check.npz"));
        NpyArray x = check.get("observations");
        float[] obs = new float[x.data().length];
        for (int k = 0; k < obs.length; k++) {
            obs[k] = (float) x.data()[k];
        }
        NpyArray t = check.get("theta");
        double[][] theta = new double[t.shape()[0]][];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = t.row(j);
        }
        try (PosteriorModel m = PosteriorModel.load(OLD, TorchRuntime.device("cpu"))) {
            assertEquals(1, m.card().formatVersion());
            double[][] lp = logProbs(m, obs, theta);
            double[][] d = draws(m, obs);
            for (int i = 0; i < lp.length; i++) {
                assertArrayEquals(check.get("log_prob").row(i), lp[i], 1e-5, "log densities of observation " + i);
                assertArrayEquals(check.get("draws").row(i), d[i], 1e-5, "draws for observation " + i);
            }
        }
    }
}
