package org.neuroinfer.learn.npe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.learn.config.TrainingConfig;

/** Posterior estimators: bad simulations, the prior's support, saving, and flagging unusual observations. */
class NpeTrainingTest {
    @TempDir
    static Path dir;
    static RecordingSet set;
    static NpeTraining.Result trained;

    static NpeConfig config(String kind, int epochs) {
        return config(EstimatorSpec.of(kind), epochs);
    }

    static NpeConfig config(EstimatorSpec spec, int epochs) {
        return new NpeConfig(spec, new TrainingConfig.Input(null, null, 1),
                NpeConfig.optimisation(Map.of("epochs", epochs, "seed", 2)));
    }

    @BeforeAll
    static void train() throws IOException {
        RecordingSet clean = LinearGaussian.simulate(600, 4);
        float[] x = clean.x().clone();
        double[][] y = clean.y().clone();
        for (int i = 0; i < 7; i++) {
            x[(10 * i) * LinearGaussian.X + 2] = Float.NaN; // 7 simulations that failed
        }
        y[99] = new double[]{0, Double.POSITIVE_INFINITY, 0};
        set = new RecordingSet(x, y, clean.condition(), clean.noiseFactors(), clean.channels(), clean.times(),
                clean.rawTimes(), clean.paramNames(), clean.paramUnits(), clean.datasetSha256(), 0);
        double[] lo = {-0.5, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] hi = {0.5, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        trained = NpeTraining.run(config(EstimatorSpec.of("mdn").withBounds(EstimatorSpec.REJECT), 30), set, PosteriorCard.Support.box(lo, hi), dir.resolve("m"),
                new TrainingLoop.Listener() {
                });
    }

    @Test
    void simulationsWithNanOrInfAreDroppedAndCounted() {
        assertEquals(8, trained.dropped());
        assertEquals(592, Arrays.stream(trained.model().card().provenance().rows()).sum());
        assertEquals(8, trained.model().card().dropped());
    }

    @Test
    void drawsStayInsideThePriorsSupport() {
        int at = trained.splits().test()[0] * LinearGaussian.X;
        PosteriorModel.Draws d = trained.model().sample(set.x(), at, 500, 1, 0);
        assertEquals(500, d.theta().length);
        for (double[] t : d.theta()) {
            assertTrue(t[0] >= -0.5 && t[0] <= 0.5, "draw " + t[0] + " outside [-0.5, 0.5]");
        }
        assertTrue(d.acceptance() > 0 && d.acceptance() <= 1);
        assertTrue(d.proposed() >= 500);
    }

    @Test
    void aSavedEstimatorLoadsAndDrawsTheSameNumbers() throws IOException {
        int at = trained.splits().test()[1] * LinearGaussian.X;
        double[][] before = trained.model().sample(set.x(), at, 50, 3, 1).theta();
        try (PosteriorModel m = PosteriorModel.load(dir.resolve("m"), TorchRuntime.device("cpu"))) {
            double[][] after = m.sample(set.x(), at, 50, 3, 1).theta();
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], 0);
            }
            assertEquals("mdn", m.card().estimator().kind());
        }
    }

    @Test
    void anObservationUnlikeTheTrainingDataIsFlagged() {
        int at = trained.splits().test()[2] * LinearGaussian.X;
        assertFalse(trained.model().unusual(set.x(), at));
        float[] far = Arrays.copyOfRange(set.x(), at, at + LinearGaussian.X);
        for (int k = 0; k < far.length; k++) {
            far[k] += 40;
        }
        assertTrue(trained.model().unusual(far, 0));
        assertTrue(trained.model().distance(far, 0) > 10 * trained.model().distance(set.x(), at));
    }

    @Test
    void aKilledRunResumesToTheSameWeights() throws IOException {
        RecordingSet lg = LinearGaussian.simulate(300, 8);
        NpeConfig c = config("maf", 4);
        PosteriorCard.Support all = PosteriorCard.Support.unbounded(3);
        NpeTraining.run(c, lg, all, dir.resolve("whole"), new TrainingLoop.Listener() {
        }).model().close();
        assertThrows(IllegalStateException.class, () -> NpeTraining.run(c, lg, all, dir.resolve("cut"),
                new TrainingLoop.Listener() {
                    @Override
                    public void epoch(org.neuroinfer.learn.train.EpochRecord r) {
                        if (r.epoch() == 2) {
                            throw new IllegalStateException("killed");
                        }
                    }
                }));
        NpeTraining.Result r = NpeTraining.run(c, lg, all, dir.resolve("cut"), new TrainingLoop.Listener() {
        });
        assertEquals(2, r.resumedAt());
        r.model().close();
        assertEquals(org.neuroinfer.io.Checksums.sha256(dir.resolve("whole/weights.npz")),
                org.neuroinfer.io.Checksums.sha256(dir.resolve("cut/weights.npz")));
    }

    @Test
    void withTransformedBoundsEveryDrawIsInsideAndTheDensityIntegratesToOne() throws IOException {
        RecordingSet u = uniformBox(800, 12);
        double[] lo = {-1, -1, -1};
        double[] hi = {1, 1, 1};
        NpeTraining.Result r = NpeTraining.run(config("mdn", 30), u, PosteriorCard.Support.box(lo, hi),
                dir.resolve("box"), new TrainingLoop.Listener() {
                });
        try (PosteriorModel m = r.model()) {
            assertEquals(EstimatorSpec.TRANSFORM, m.card().estimator().bounds());
            int at = r.splits().test()[0] * LinearGaussian.X;
            PosteriorModel.Draws d = m.sample(u.x(), at, 400, 1, 0);
            assertEquals(1.0, d.acceptance(), 0);
            for (double[] t : d.theta()) {
                for (double v : t) {
                    assertTrue(v > -1 && v < 1, "draw " + v + " outside [-1, 1]");
                }
            }
            int k = 40; // midpoint rule over the box
            double h = 2.0 / k;
            double[][] grid = new double[k * k * k][];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = new double[]{-1 + h * (i / (k * k) + 0.5), -1 + h * ((i / k) % k + 0.5), -1 + h * (i % k + 0.5)};
            }
            double mass = 0;
            for (double lp : m.logProb(u.x(), at, grid)) {
                mass += Math.exp(lp) * h * h * h;
            }
            assertEquals(1.0, mass, 0.03, "the density of θ integrates to 1 over the support");
            assertEquals(Double.NEGATIVE_INFINITY, m.logProb(u.x(), at, new double[][]{{1.5, 0, 0}})[0]);
        }
        double[][] y = u.y().clone();
        y[3] = new double[]{0.2, 1.25, 0};
        RecordingSet outside = new RecordingSet(u.x(), y, u.condition(), u.noiseFactors(), u.channels(), u.times(),
                u.rawTimes(), u.paramNames(), u.paramUnits(), u.datasetSha256(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpeTraining.run(
                config("mdn", 1), outside, PosteriorCard.Support.box(lo, hi), dir.resolve("outside"),
                new TrainingLoop.Listener() {
                }));
        assertTrue(e.getMessage().contains("simulation 3: t2 = 1.25") && e.getMessage().contains("estimator.bounds"),
                e.getMessage());
    }

    /** The linear-Gaussian problem with θ uniform on [-1, 1]³. */
    static RecordingSet uniformBox(int n, long seed) {
        RecordingSet g = LinearGaussian.simulate(n, seed);
        org.apache.commons.rng.UniformRandomProvider rng = org.neuroinfer.random.RandomStreams.stream(seed, 7);
        float[] x = g.x().clone();
        double[][] y = new double[n][LinearGaussian.D];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < LinearGaussian.X; k++) {
                double noise = x[i * LinearGaussian.X + k];
                for (int j = 0; j < LinearGaussian.D; j++) {
                    noise -= LinearGaussian.A[k][j] * g.y()[i][j];
                }
                x[i * LinearGaussian.X + k] = (float) noise;
            }
            for (int j = 0; j < LinearGaussian.D; j++) {
                y[i][j] = 2 * rng.nextDouble() - 1;
                for (int k = 0; k < LinearGaussian.X; k++) {
                    x[i * LinearGaussian.X + k] += (float) (LinearGaussian.A[k][j] * y[i][j]);
                }
            }
        }
        return new RecordingSet(x, y, g.condition(), g.noiseFactors(), g.channels(), g.times(), g.rawTimes(),
                g.paramNames(), g.paramUnits(), "uniform-box-" + seed, 0);
    }

    @Test
    void anEmptySupportIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PosteriorCard.Support.box(new double[]{1, 0}, new double[]{2, 0}));
        assertTrue(e.getMessage().contains("parameter 1 is empty"), e.getMessage());
    }

    @Test
    void corruptOrForeignFilesAreRefused() throws IOException {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (String f : new String[]{"model.json", InverseModel.WEIGHTS}) {
            Files.copy(dir.resolve("m").resolve(f), copy.resolve(f));
        }
        byte[] w = Files.readAllBytes(copy.resolve(InverseModel.WEIGHTS));
        w[w.length / 2] ^= 0x55;
        Files.write(copy.resolve(InverseModel.WEIGHTS), w);
        IOException e = assertThrows(IOException.class, () -> PosteriorModel.load(copy, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        Files.writeString(copy.resolve("model.json"), "{\"format\": \"neuroinfer-model\", \"format_version\": 1}");
        e = assertThrows(IOException.class, () -> PosteriorModel.load(copy, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("not neuroinfer-posterior"), e.getMessage());
    }

    @Test
    void badEstimatorSettingsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EstimatorSpec("realnvp", null, null, null, null, null, null, null, null, null));
        assertTrue(e.getMessage().contains("estimator.kind") && e.getMessage().contains("maf, nsf, mdn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new EstimatorSpec("nsf", null, null, null, null, null, null, null, 1, null));
        assertTrue(e.getMessage().contains("estimator.bins must be >= 2, got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new EstimatorSpec("maf", 0, null, null, null, null, null, null, null, null));
        assertTrue(e.getMessage().contains("estimator.transforms must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new EstimatorSpec("maf", null, null, null, null, null, null, "clip", null, null));
        assertTrue(e.getMessage().contains("estimator.bounds") && e.getMessage().contains("transform, reject"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NpeConfig.optimisation(Map.of("batch_size", -3)));
        assertTrue(e.getMessage().contains("training.batch_size must be >= 1, got -3"), e.getMessage());
    }
}
