package org.neuroinfer.learn.npe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.learn.train.EpochRecord;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.simulator.Simulator;

/**
 * Multi-round NPE with truncated proposals on the linear-Gaussian likelihood with a flat prior on [-5, 5]³ (far
 * wider than the posterior, whose box edge effect is negligible): the last round's posterior for one observation matches the exact one, the
 * later rounds simulate from a shrinking part of the prior, and a killed run resumes to the same weights.
 */
class SequentialNpeTest {
    static final double[] TRUTH = {0.5, -0.8, 1.2};
    static final double BOX = 5;

    @TempDir
    Path dir;

    /** θ uniform on the box, x = Aθ + σε. */
    static final Simulator SIMULATOR = new Simulator() {
        @Override
        public String id() {
            return "sequential-lg";
        }

        @Override
        public ParameterSpace parameters() {
            return space(-BOX, BOX, Prior.UNIFORM);
        }

        @Override
        public int[] shape() {
            return new int[] {LinearGaussian.X};
        }

        @Override
        public double[][] drawPrior(int n, long first) {
            double[][] t = new double[n][LinearGaussian.D];
            for (int i = 0; i < n; i++) {
                UniformRandomProvider rng = RandomStreams.stream(3, first + i, RandomStreams.PRIOR);
                for (int j = 0; j < LinearGaussian.D; j++) {
                    t[i][j] = -BOX + 2 * BOX * rng.nextDouble();
                }
            }
            return t;
        }

        @Override
        public float[][] simulate(double[][] theta, long first) {
            float[][] x = new float[theta.length][];
            for (int i = 0; i < theta.length; i++) {
                x[i] = observe(theta[i], RandomStreams.stream(3, first + i, RandomStreams.EEG_NOISE));
            }
            return x;
        }
    };

    /** The parameters t1..t3 with one prior on [lo, hi]. */
    static ParameterSpace space(double lo, double hi, Prior prior) {
        List<Parameter> ps = new ArrayList<>();
        for (int j = 1; j <= LinearGaussian.D; j++) {
            ps.add(new Parameter("t" + j, "1", 0, lo, hi, prior, "linear-Gaussian parameter " + j));
        }
        return new ParameterSpace(ps);
    }

    static float[] observe(double[] theta, UniformRandomProvider rng) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        float[] x = new float[LinearGaussian.X];
        for (int k = 0; k < LinearGaussian.X; k++) {
            double v = LinearGaussian.SIGMA * g.sample();
            for (int j = 0; j < LinearGaussian.D; j++) {
                v += LinearGaussian.A[k][j] * theta[j];
            }
            x[k] = (float) v;
        }
        return x;
    }

    static NpeConfig config(int epochs) {
        return new NpeConfig(EstimatorSpec.of("mdn"), new TrainingConfig.Input(null, null, 1),
                NpeConfig.optimisation(Map.of("epochs", epochs, "seed", 4, "batch_size", 50)));
    }

    static final PosteriorCard.Support SUPPORT = PosteriorCard.Support.box(new double[]{-BOX, -BOX, -BOX},
            new double[]{BOX, BOX, BOX});

    /** The exact posterior under the flat prior (the box is far from it): covariance (AᵀA / σ²)⁻¹. */
    static RealMatrix covariance() {
        RealMatrix a = MatrixUtils.createRealMatrix(LinearGaussian.A);
        return MatrixUtils.inverse(a.transpose().multiply(a).scalarMultiply(1 / (LinearGaussian.SIGMA
                * LinearGaussian.SIGMA)));
    }

    /** Its mean, covariance · Aᵀ x / σ². */
    static double[] mean(float[] x) {
        double[] xs = new double[LinearGaussian.X];
        for (int k = 0; k < xs.length; k++) {
            xs[k] = x[k] / (LinearGaussian.SIGMA * LinearGaussian.SIGMA);
        }
        return covariance().operate(MatrixUtils.createRealMatrix(LinearGaussian.A).transpose().operate(xs));
    }

    @Test
    void theLastRoundMatchesTheExactPosteriorOfTheObservation() throws IOException {
        float[] xo = observe(TRUTH, RandomStreams.stream(99, 0));
        SequentialNpe.Result r = SequentialNpe.run(config(300), SIMULATOR, SUPPORT, xo,
                SequentialNpe.Settings.of(3, 2000, 1), dir.resolve("run"), new SequentialNpe.Listener() {
                });
        try (PosteriorModel m = r.model()) {
            double[] mean = mean(xo);
            assertEquals(3, r.rounds().size());
            assertEquals(1.0, r.rounds().get(0).priorMass(), 0);
            for (SequentialNpe.Round k : r.rounds().subList(1, 3)) {
                assertTrue(k.priorMass() < 0.7, "round " + k.round() + " simulated from " + k.priorMass()
                        + " of the prior's mass");
                assertTrue(Double.isFinite(k.threshold()));
            }
            assertTrue(r.rounds().get(2).priorMass() <= r.rounds().get(1).priorMass() + 0.05, "the region shrinks");
            assertEquals(6000, r.rounds().get(2).trainedOn());
            var cov = covariance();
            SequentialNpe.Round last = r.rounds().get(2);
            for (int j = 0; j < LinearGaussian.D; j++) {
                double sd = Math.sqrt(cov.getEntry(j, j));
                assertEquals(mean[j], last.mean()[j], 0.4 * sd, "posterior mean of t" + (j + 1));
                assertEquals(sd, last.sd()[j], 0.15 * sd, "posterior sd of t" + (j + 1));
            }
        }
    }

    /** Prior sd of the Gaussian-prior variant: informative beside the likelihood (precision 11 against ~5). */
    static final double PRIOR_SD = 0.3;

    /** θ ~ N(0, 0.3² I), x = Aθ + σε: a prior that APT's atomic loss must divide out. */
    static final Simulator GAUSSIAN_PRIOR = new Simulator() {
        @Override
        public String id() {
            return "sequential-lg-gaussian-prior";
        }

        @Override
        public ParameterSpace parameters() {
            return space(-2 * PRIOR_SD, 2 * PRIOR_SD, Prior.SEED_NORMAL);
        }

        @Override
        public int[] shape() {
            return SIMULATOR.shape();
        }

        @Override
        public double[][] drawPrior(int n, long first) {
            double[][] t = new double[n][LinearGaussian.D];
            for (int i = 0; i < n; i++) {
                var g = ZigguratSampler.NormalizedGaussian.of(RandomStreams.stream(3, first + i, RandomStreams.PRIOR));
                for (int j = 0; j < LinearGaussian.D; j++) {
                    t[i][j] = PRIOR_SD * g.sample();
                }
            }
            return t;
        }

        @Override
        public float[][] simulate(double[][] theta, long first) {
            return SIMULATOR.simulate(theta, first);
        }
    };

    /**
     * Atomic proposals (APT): rounds 2 and 3 simulate from the posterior, and the last round matches the exact
     * posterior under the Gaussian prior, covariance (AᵀA/σ² + I/s²)⁻¹ — not the prior-free one (AᵀA/σ²)⁻¹ a loss
     * that forgot to divide by the prior would approach (its sds are 1.9–2.3× larger here).
     */
    @Test
    void atomicProposalsRecoverTheExactPosteriorUnderAnInformativePrior() throws IOException {
        float[] xo = observe(new double[] {0.3, -0.4, 0.5}, RandomStreams.stream(96, 0));
        double inf = Double.POSITIVE_INFINITY;
        PosteriorCard.Support open = PosteriorCard.Support.box(new double[] {-inf, -inf, -inf},
                new double[] {inf, inf, inf});
        SequentialNpe.Result r = SequentialNpe.run(config(300), GAUSSIAN_PRIOR, open, xo,
                SequentialNpe.Settings.of(3, 1000, 1).with(SequentialNpe.Proposal.ATOMIC), dir.resolve("apt"),
                new SequentialNpe.Listener() {
                });
        r.model().close();
        RealMatrix a = MatrixUtils.createRealMatrix(LinearGaussian.A);
        double s2 = LinearGaussian.SIGMA * LinearGaussian.SIGMA;
        RealMatrix cov = MatrixUtils.inverse(a.transpose().multiply(a).scalarMultiply(1 / s2)
                .add(MatrixUtils.createRealIdentityMatrix(LinearGaussian.D).scalarMultiply(1 / (PRIOR_SD * PRIOR_SD))));
        double[] xs = new double[LinearGaussian.X];
        for (int k = 0; k < xs.length; k++) {
            xs[k] = xo[k] / s2;
        }
        double[] mean = cov.operate(a.transpose().operate(xs));
        assertEquals(List.of("prior", "posterior", "posterior"), r.rounds().stream().map(SequentialNpe.Round::from)
                .toList());
        assertTrue(Double.isNaN(r.rounds().get(1).priorMass()));
        SequentialNpe.Round last = r.rounds().get(2);
        assertEquals(3000, last.trainedOn());
        for (int j = 0; j < LinearGaussian.D; j++) {
            double sd = Math.sqrt(cov.getEntry(j, j));
            assertEquals(mean[j], last.mean()[j], 0.3 * sd, "posterior mean of t" + (j + 1));
            assertEquals(sd, last.sd()[j], 0.15 * sd, "posterior sd of t" + (j + 1));
        }
    }

    @Test
    void aKilledRunResumesToTheSameWeights() throws IOException {
        float[] xo = observe(TRUTH, RandomStreams.stream(98, 0));
        SequentialNpe.Settings s = new SequentialNpe.Settings(2, 200, 0.01, 500, 1_000_000, 2);
        SequentialNpe.run(config(4), SIMULATOR, SUPPORT, xo, s, dir.resolve("whole"),
                new SequentialNpe.Listener() {
                }).model().close();
        assertThrows(IllegalStateException.class, () -> SequentialNpe.run(config(4), SIMULATOR, SUPPORT, xo,
                s, dir.resolve("cut"), new SequentialNpe.Listener() {
                    @Override
                    public TrainingLoop.Listener training(int round) {
                        return new TrainingLoop.Listener() {
                            @Override
                            public void epoch(EpochRecord e) {
                                if (round == 2 && e.epoch() == 2) {
                                    throw new IllegalStateException("killed");
                                }
                            }
                        };
                    }
                }));
        SequentialNpe.Result r = SequentialNpe.run(config(4), SIMULATOR, SUPPORT, xo, s, dir.resolve("cut"),
                new SequentialNpe.Listener() {
                });
        r.model().close();
        for (String f : new String[]{"round-1/weights.npz", "round-2/theta.npy", "round-2/weights.npz"}) {
            assertEquals(Checksums.sha256(dir.resolve("whole").resolve(f)), Checksums.sha256(dir.resolve("cut")
                    .resolve(f)), f);
        }
        float[] other = observe(TRUTH, RandomStreams.stream(97, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequentialNpe.run(config(4),
                SIMULATOR, SUPPORT, other, s, dir.resolve("cut"), new SequentialNpe.Listener() {
                }));
        assertTrue(e.getMessage().contains("another run"), e.getMessage());
    }

    /**
     * A warm start continues the last round's estimator: round 2's first epoch starts far below a fresh start's
     * loss; and a run killed in round 2 resumes (round 1 loaded from its folder) to the same weights.
     */
    @Test
    void aWarmStartContinuesTheLastRoundAndResumes() throws IOException {
        float[] xo = observe(TRUTH, RandomStreams.stream(95, 0));
        SequentialNpe.Settings fresh = new SequentialNpe.Settings(2, 500, 0.01, 500, 1_000_000, 2)
                .with(SequentialNpe.Proposal.ATOMIC);
        double[] first = new double[2];
        for (int v = 0; v < 2; v++) {
            int at = v;
            SequentialNpe.run(config(20), SIMULATOR, SUPPORT, xo, fresh.continuing(v == 1), dir.resolve("w" + v),
                    new SequentialNpe.Listener() {
                        @Override
                        public TrainingLoop.Listener training(int round) {
                            return new TrainingLoop.Listener() {
                                @Override
                                public void epoch(EpochRecord e) {
                                    if (round == 2 && e.epoch() == 1) {
                                        first[at] = e.validationLoss();
                                    }
                                }
                            };
                        }
                    }).model().close();
        }
        assertTrue(first[1] < first[0] - 1, "round 2's first validation loss: warm " + first[1] + ", fresh "
                + first[0]);
        SequentialNpe.Settings warm = fresh.continuing(true);
        assertThrows(IllegalStateException.class, () -> SequentialNpe.run(config(20), SIMULATOR, SUPPORT, xo, warm,
                dir.resolve("cut"), new SequentialNpe.Listener() {
                    @Override
                    public void simulating(int round, int simulations) {
                        if (round == 2) {
                            throw new IllegalStateException("killed");
                        }
                    }
                }));
        SequentialNpe.run(config(20), SIMULATOR, SUPPORT, xo, warm, dir.resolve("cut"), new SequentialNpe.Listener() {
        }).model().close();
        assertEquals(Checksums.sha256(dir.resolve("w1/round-2/weights.npz")),
                Checksums.sha256(dir.resolve("cut/round-2/weights.npz")));
    }

    /**
     * A thread whose autograd is on (any but the engine's: a Spark task's, a pool's) trains as the engine's thread
     * does: the weights' in-place updates are not refused, and they are the same bits.
     */
    @Test
    void aThreadWithAutogradOnTrainsTheSameWeights() throws Exception {
        float[] xo = observe(TRUTH, RandomStreams.stream(94, 0));
        SequentialNpe.Settings s = new SequentialNpe.Settings(2, 300, 0.01, 300, 1_000_000, 3)
                .with(SequentialNpe.Proposal.ATOMIC).continuing(true);
        SequentialNpe.run(config(3), SIMULATOR, SUPPORT, xo, s, dir.resolve("here"), new SequentialNpe.Listener() {
        }).model().close();
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                ai.djl.pytorch.jni.JniUtils.setGradMode(true);
                SequentialNpe.run(config(3), SIMULATOR, SUPPORT, xo, s, dir.resolve("there"),
                        new SequentialNpe.Listener() {
                        }).model().close();
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        t.start();
        t.join();
        if (failed[0] != null) {
            throw new AssertionError("training on a thread with autograd on failed", failed[0]);
        }
        assertEquals(Checksums.sha256(dir.resolve("here/round-2/weights.npz")),
                Checksums.sha256(dir.resolve("there/round-2/weights.npz")));
    }

    /**
     * An observation far outside what the prior makes: the first round's estimate puts almost no mass inside the
     * prior's box, so its draws cannot be had; the next round proposes from the prior instead of failing the run.
     */
    @Test
    void aRoundWithoutMassInsideThePriorIsFollowedByPriorProposals() throws IOException {
        float[] xo = observe(new double[] {2000, -2000, 2000}, RandomStreams.stream(93, 0));
        SequentialNpe.Settings s = new SequentialNpe.Settings(2, 300, 0.01, 300, 1_000_000, 5)
                .with(SequentialNpe.Proposal.ATOMIC).continuing(true);
        NpeConfig reject = new NpeConfig(EstimatorSpec.of("mdn").withBounds(EstimatorSpec.REJECT),
                config(3).input(), config(3).training()); // θ as it is, draws outside the box rejected (sbi's way)
        SequentialNpe.Result r = SequentialNpe.run(reject, SIMULATOR, SUPPORT, xo, s, dir.resolve("far"),
                new SequentialNpe.Listener() {
                });
        try (PosteriorModel m = r.model()) {
            assertTrue(Double.isNaN(r.rounds().get(0).mean()[0]), "round 1's draws could not be had");
            assertEquals("prior", r.rounds().get(1).from(), "round 2 proposed from the prior");
            assertEquals(300, r.rounds().get(1).proposed());
            // the last estimate, asked for 1000 draws for that observation, gives up once the count shows it
            PosteriorModel.OutsideSupportException e = assertThrows(PosteriorModel.OutsideSupportException.class,
                    () -> m.sample(xo, 0, 1000, 7, 0));
            assertTrue(e.proposed() < 1000L * 1000 / 2, e.getMessage());
            assertTrue(e.kept() * 1000 < e.proposed(), e.getMessage());
        }
    }

    /** Giving up early: only where the count lies more than 5 sd below the 1-in-1000 rate. */
    @Test
    void samplingGivesUpOnlyOnAClearlyHopelessCount() {
        assertFalse(PosteriorModel.hopeless(0, 25_000));
        assertTrue(PosteriorModel.hopeless(0, 25_001));
        assertFalse(PosteriorModel.hopeless(1000, 1_000_000), "exactly at the limit");
        assertFalse(PosteriorModel.hopeless(850, 1_000_000), "4.7 sd below the limit's count");
        assertTrue(PosteriorModel.hopeless(800, 1_000_000), "6.3 sd below");
        assertTrue(PosteriorModel.hopeless(3_227, 10_010_000), "slcp_distractors' observation 3");
    }

    @Test
    void badSettingsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SequentialNpe.Settings(0, 100, 1e-4, 10_000, 100, 0));
        assertTrue(e.getMessage().contains("rounds must be in [1, 100], got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SequentialNpe.Settings(2, 100, 1e-4, 50, 100, 0));
        assertTrue(e.getMessage().contains("support draws"), e.getMessage());
    }
}
