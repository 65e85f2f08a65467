package org.neuroinfer.simulator.sbibm;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.hipparchus.distribution.discrete.BinomialDistribution;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.param.Prior;

/**
 * The ten sbibm tasks, each written from the definitions in the reference's README (sections 2.1–2.10): names,
 * priors and simulators. {@link #of} makes one from the reference folder.
 */
public final class SbibmTasks {
    /** The tasks, in sbibm's order. */
    public static final List<String> NAMES = List.of("gaussian_linear", "gaussian_linear_uniform", "two_moons",
            "slcp", "slcp_distractors", "gaussian_mixture", "bernoulli_glm", "bernoulli_glm_raw", "sir",
            "lotka_volterra");

    private SbibmTasks() {
    }

    /**
     * The task {@code name}, reading its fixed arrays from {@code reference} (the sbibm folder, holding one folder
     * per task), its random streams keyed by {@code seed}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the ten)
     */
    public static SbibmTask of(String name, Path reference, long seed) {
        Path f = reference.resolve(name);
        return switch (name) {
            case "gaussian_linear" -> new GaussianLinear(f, seed);
            case "gaussian_linear_uniform" -> new GaussianLinearUniform(f, seed);
            case "two_moons" -> new TwoMoons(f, seed);
            case "slcp" -> new Slcp("slcp", f, seed, 8);
            case "slcp_distractors" -> new SlcpDistractors(f, seed);
            case "gaussian_mixture" -> new GaussianMixture(f, seed);
            case "bernoulli_glm" -> new BernoulliGlm("bernoulli_glm", f, seed, false);
            case "bernoulli_glm_raw" -> new BernoulliGlm("bernoulli_glm_raw", f, seed, true);
            case "sir" -> new Sir(f, seed);
            case "lotka_volterra" -> new LotkaVolterra(f, seed);
            default -> throw new IllegalArgumentException("unknown sbibm task '" + name + "'; valid: "
                    + String.join(", ", NAMES));
        };
    }

    private static ZigguratSampler.NormalizedGaussian normal(UniformRandomProvider rng) {
        return ZigguratSampler.NormalizedGaussian.of(rng);
    }

    /** 2.1: θ ~ N(0, 0.1·I₁₀), x = θ + N(0, 0.1·I₁₀) (variances). */
    static final class GaussianLinear extends SbibmTask {
        static final double SD = Math.sqrt(0.1);

        GaussianLinear(Path f, long seed) {
            super("gaussian_linear", f, seed, space(numbered(10), "1", filled(10, -2 * SD), filled(10, 2 * SD),
                    Prior.SEED_NORMAL), 10);
        }

        @Override
        double[] prior(UniformRandomProvider rng) {
            var g = normal(rng);
            double[] t = new double[10];
            for (int i = 0; i < 10; i++) {
                t[i] = SD * g.sample();
            }
            return t;
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            return observe(theta, rng);
        }

        /** θ plus Gaussian noise of variance 0.1 per coordinate (both linear-Gaussian tasks). */
        static double[] observe(double[] theta, UniformRandomProvider rng) {
            var g = normal(rng);
            double[] x = new double[theta.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = theta[i] + SD * g.sample();
            }
            return x;
        }
    }

    /** 2.2: θ ~ U(−1, 1)¹⁰, x = θ + N(0, 0.1·I₁₀). */
    static final class GaussianLinearUniform extends SbibmTask {
        GaussianLinearUniform(Path f, long seed) {
            super("gaussian_linear_uniform", f, seed, space(numbered(10), "1", filled(10, -1), filled(10, 1),
                    Prior.UNIFORM), 10);
        }

        @Override
        double[] prior(UniformRandomProvider rng) {
            double[] t = new double[10];
            for (int i = 0; i < 10; i++) {
                t[i] = -1 + 2 * rng.nextDouble();
            }
            return t;
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            return GaussianLinear.observe(theta, rng);
        }
    }

    /** 2.3: a noisy half-circle shifted by the rotated, folded θ. */
    static final class TwoMoons extends SbibmTask {
        TwoMoons(Path f, long seed) {
            super("two_moons", f, seed, space(numbered(2), "1", filled(2, -1), filled(2, 1), Prior.UNIFORM), 2);
        }

        @Override
        double[] prior(UniformRandomProvider rng) {
            return new double[] {-1 + 2 * rng.nextDouble(), -1 + 2 * rng.nextDouble()};
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            double a = Math.PI * (rng.nextDouble() - 0.5);
            double r = 0.1 + 0.01 * normal(rng).sample();
            double p1 = r * Math.cos(a) + 0.25;
            double p2 = r * Math.sin(a);
            double z0 = (theta[0] + theta[1]) / Math.sqrt(2);
            double z1 = (theta[1] - theta[0]) / Math.sqrt(2);
            return new double[] {p1 - Math.abs(z0), p2 + z1};
        }
    }

    /** 2.4: four iid 2-D Gaussians whose mean and covariance come from θ ~ U(−3, 3)⁵. */
    static class Slcp extends SbibmTask {
        Slcp(String name, Path f, long seed, int dimData) {
            super(name, f, seed, space(numbered(5), "1", filled(5, -3), filled(5, 3), Prior.UNIFORM), dimData);
        }

        @Override
        double[] prior(UniformRandomProvider rng) {
            double[] t = new double[5];
            for (int i = 0; i < 5; i++) {
                t[i] = -3 + 6 * rng.nextDouble();
            }
            return t;
        }

        /** The eight informative numbers: four points, point-major. */
        static double[] points(double[] theta, ZigguratSampler.NormalizedGaussian g) {
            double s1 = theta[2] * theta[2];
            double s2 = theta[3] * theta[3];
            double rho = Math.tanh(theta[4]);
            double c11 = s1 * s1 + 1e-6;
            double c12 = rho * s1 * s2;
            double c22 = s2 * s2 + 1e-6;
            // Cholesky of [[c11, c12], [c12, c22]]
            double l11 = Math.sqrt(c11);
            double l21 = c12 / l11;
            double l22 = Math.sqrt(Math.max(c22 - l21 * l21, 0));
            double[] x = new double[8];
            for (int k = 0; k < 4; k++) {
                double a = g.sample();
                double b = g.sample();
                x[2 * k] = theta[0] + l11 * a;
                x[2 * k + 1] = theta[1] + l21 * a + l22 * b;
            }
            return x;
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            return points(theta, normal(rng));
        }
    }

    /**
     * 2.5: slcp's eight numbers and 92 distractors from a fixed mixture of 20 Student-t (2 degrees of freedom),
     * shuffled by a fixed permutation.
     */
    static final class SlcpDistractors extends Slcp {
        private final double[][] loc;
        private final double[][][] tril;
        private final int[] permutation;

        SlcpDistractors(Path f, long seed) {
            super("slcp_distractors", f, seed, 100);
            loc = array("distractor_loc.npy").rows();
            NpyArray l = array("distractor_scale_tril.npy");
            int c = l.shape()[0];
            int d = l.shape()[1];
            tril = new double[c][d][d];
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < d; i++) {
                    System.arraycopy(l.data(), (k * d + i) * d, tril[k][i], 0, d);
                }
            }
            double[] p = array("permutation.npy").data();
            permutation = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                permutation[i] = (int) p[i];
            }
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            var g = normal(rng);
            double[] v = new double[100];
            System.arraycopy(points(theta, g), 0, v, 0, 8);
            int c = (int) (rng.nextDouble() * loc.length);
            double[] z = new double[92];
            for (int i = 0; i < 92; i++) {
                z[i] = g.sample();
            }
            double w = -2 * Math.log(1 - rng.nextDouble()); // chi-squared with 2 degrees of freedom
            double scale = 1 / Math.sqrt(w / 2);
            for (int i = 0; i < 92; i++) {
                double s = 0;
                double[] row = tril[c][i];
                for (int j = 0; j <= i; j++) {
                    s += row[j] * z[j];
                }
                v[8 + i] = loc[c][i] + s * scale;
            }
            double[] x = new double[100];
            for (int j = 0; j < 100; j++) {
                x[j] = v[permutation[j]];
            }
            return x;
        }
    }

    /** 2.6: x ~ ½ N(θ, I) + ½ N(θ, 0.01·I), the component drawn for every simulation. */
    static final class GaussianMixture extends SbibmTask {
        GaussianMixture(Path f, long seed) {
            super("gaussian_mixture", f, seed, space(numbered(2), "1", filled(2, -10), filled(2, 10), Prior.UNIFORM),
                    2);
        }

        @Override
        double[] prior(UniformRandomProvider rng) {
            return new double[] {-10 + 20 * rng.nextDouble(), -10 + 20 * rng.nextDouble()};
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            double sd = rng.nextDouble() < 0.5 ? 1 : 0.1;
            var g = normal(rng);
            return new double[] {theta[0] + sd * g.sample(), theta[1] + sd * g.sample()};
        }
    }

    /** 2.7 and 2.8: a logistic GLM spike train; its ten sufficient statistics, or the raw 100 bins. */
    static final class BernoulliGlm extends SbibmTask {
        private final double[][] design;
        private final RealMatrix priorFactor;
        private final double[][] priorPrecision = precision();
        private final double priorLogNorm;
        private final boolean raw;

        BernoulliGlm(String name, Path f, long seed, boolean raw) {
            super(name, f, seed, glmSpace(f), raw ? 100 : 10);
            this.raw = raw;
            this.design = array("design_matrix.npy").rows();
            // θ = L⁻ᵀ z with P = L Lᵀ has covariance P⁻¹
            RealMatrix l = new CholeskyDecomposition(MatrixUtils.createRealMatrix(precision()), 1e-12, 1e-12).getL();
            this.priorFactor = MatrixUtils.inverse(l).transpose();
            double logDet = 0; // log det P = 2 Σ log L_ii
            for (int i = 0; i < 10; i++) {
                logDet += 2 * Math.log(l.getEntry(i, i));
            }
            this.priorLogNorm = 0.5 * logDet - 5 * Math.log(2 * Math.PI);
        }

        /** The correlated Gaussian N(0, P⁻¹): log p(θ) = −θᵀPθ/2 + log det P / 2 − 5 log 2π. */
        @Override
        public double logPrior(double[] theta) {
            if (theta.length != 10) {
                throw new IllegalArgumentException(name() + ": a parameter set has 10 values, got " + theta.length);
            }
            double q = 0;
            for (int i = 0; i < 10; i++) {
                double row = 0;
                for (int j = 0; j < 10; j++) {
                    row += priorPrecision[i][j] * theta[j];
                }
                q += theta[i] * row;
            }
            return priorLogNorm - 0.5 * q;
        }

        /** The prior's precision: 0.5 for the offset, FᵀF for the filter, F = D·D + diag(√(i/9)). */
        static double[][] precision() {
            double[][] d = new double[9][9];
            for (int i = 0; i < 9; i++) {
                d[i][i] = 1;
                if (i > 0) {
                    d[i][i - 1] = -1;
                }
            }
            RealMatrix dm = MatrixUtils.createRealMatrix(d);
            RealMatrix f = dm.multiply(dm);
            for (int i = 0; i < 9; i++) {
                f.addToEntry(i, i, Math.sqrt(i / 9.0));
            }
            RealMatrix ff = f.transpose().multiply(f);
            double[][] p = new double[10][10];
            p[0][0] = 0.5;
            for (int i = 0; i < 9; i++) {
                for (int j = 0; j < 9; j++) {
                    p[1 + i][1 + j] = ff.getEntry(i, j);
                }
            }
            return p;
        }

        private static org.neuroinfer.param.ParameterSpace glmSpace(Path f) {
            RealMatrix cov = MatrixUtils.inverse(MatrixUtils.createRealMatrix(precision()));
            double[] lo = new double[10];
            double[] hi = new double[10];
            for (int j = 0; j < 10; j++) {
                double sd = Math.sqrt(cov.getEntry(j, j));
                lo[j] = -2 * sd;
                hi[j] = 2 * sd;
            }
            return space(numbered(10), "1", lo, hi, Prior.SEED_NORMAL);
        }

        @Override
        double[] prior(UniformRandomProvider rng) {
            var g = normal(rng);
            double[] z = new double[10];
            for (int i = 0; i < 10; i++) {
                z[i] = g.sample();
            }
            return priorFactor.operate(z);
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            int bins = design.length;
            double[] y = new double[bins];
            for (int t = 0; t < bins; t++) {
                double psi = 0;
                for (int j = 0; j < 10; j++) {
                    psi += design[t][j] * theta[j];
                }
                y[t] = rng.nextDouble() < 1 / (1 + Math.exp(-psi)) ? 1 : 0;
            }
            if (raw) {
                return y;
            }
            double[] x = new double[10];
            for (int t = 0; t < bins; t++) {
                if (y[t] != 0) {
                    for (int j = 0; j < 10; j++) {
                        x[j] += design[t][j];
                    }
                }
            }
            return x;
        }
    }

    /** An ODE solved to sbibm's accuracy (Dormand-Prince 5(4), relative and absolute tolerance 10⁻⁸). */
    static double[][] solve(OrdinaryDifferentialEquation ode, double[] y0, double[] times) {
        DormandPrince54Integrator integrator = new DormandPrince54Integrator(1e-8, 100, 1e-8, 1e-8);
        integrator.setMaxEvaluations(1_000_000);
        double[][] out = new double[times.length][];
        ODEState state = new ODEState(0, y0);
        for (int k = 0; k < times.length; k++) {
            if (times[k] > state.getTime()) {
                var s = integrator.integrate(ode, state, times[k]);
                state = new ODEState(s.getTime(), s.getPrimaryState());
            }
            out[k] = state.getPrimaryState().clone();
        }
        return out;
    }

    /** 2.9: the SIR ODE, binomial counts of infected (of 1000) at 10 days. */
    static final class Sir extends SbibmTask {
        static final double N = 1e6;
        private final double[] times;

        Sir(Path f, long seed) {
            super("sir", f, seed, space(List.of("beta", "gamma"), "1/day", new double[] {0.4 * Math.exp(-1),
                0.125 * Math.exp(-0.4)}, new double[] {0.4 * Math.exp(1), 0.125 * Math.exp(0.4)}, Prior.LOG_NORMAL),
                    10);
            times = array("observation_times.npy").data();
        }

        @Override
        double[] prior(UniformRandomProvider rng) {
            var g = normal(rng);
            return new double[] {Math.exp(Math.log(0.4) + 0.5 * g.sample()),
                Math.exp(Math.log(0.125) + 0.2 * g.sample())};
        }

        /** I(t)/N at the observation times. */
        double[] infected(double[] theta) {
            double beta = theta[0];
            double gamma = theta[1];
            OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
                @Override
                public int getDimension() {
                    return 3;
                }

                @Override
                public double[] computeDerivatives(double t, double[] y) {
                    double inf = beta * y[0] * y[1] / N;
                    return new double[] {-inf, inf - gamma * y[1], gamma * y[1]};
                }
            };
            double[][] y = solve(ode, new double[] {N - 1, 1, 0}, times);
            double[] p = new double[times.length];
            for (int k = 0; k < p.length; k++) {
                p[k] = y[k][1] / N;
            }
            return p;
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            double[] x = new double[times.length];
            double[] p;
            try {
                p = infected(theta);
            } catch (RuntimeException e) { // the solver failed: sbibm returns NaN
                java.util.Arrays.fill(x, Double.NaN);
                return x;
            }
            for (int k = 0; k < x.length; k++) {
                double q = Math.min(1, Math.max(0, p[k]));
                x[k] = new BinomialDistribution(1000, q).inverseCumulativeProbability(rng.nextDouble());
            }
            return x;
        }
    }

    /** 2.10: the Lotka-Volterra ODE with log-normal noise at 10 times, prey then predators. */
    static final class LotkaVolterra extends SbibmTask {
        private final double[] times;

        LotkaVolterra(Path f, long seed) {
            super("lotka_volterra", f, seed, space(List.of("alpha", "beta", "gamma", "delta"), "1",
                    new double[] {Math.exp(-1.125), Math.exp(-4), Math.exp(-1.125), Math.exp(-4)},
                    new double[] {Math.exp(0.875), Math.exp(-2), Math.exp(0.875), Math.exp(-2)}, Prior.LOG_NORMAL),
                    20);
            times = array("observation_times.npy").data();
        }

        @Override
        double[] prior(UniformRandomProvider rng) {
            var g = normal(rng);
            double[] mu = {-0.125, -3, -0.125, -3};
            double[] t = new double[4];
            for (int i = 0; i < 4; i++) {
                t[i] = Math.exp(mu[i] + 0.5 * g.sample());
            }
            return t;
        }

        /** Prey and predators at the observation times, [time][2]. */
        double[][] populations(double[] theta) {
            OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
                @Override
                public int getDimension() {
                    return 2;
                }

                @Override
                public double[] computeDerivatives(double t, double[] y) {
                    return new double[] {theta[0] * y[0] - theta[1] * y[0] * y[1],
                        -theta[2] * y[1] + theta[3] * y[0] * y[1]};
                }
            };
            return solve(ode, new double[] {30, 1}, times);
        }

        @Override
        double[] simulate(double[] theta, UniformRandomProvider rng) {
            double[] x = new double[2 * times.length];
            double[][] u;
            try {
                u = populations(theta);
            } catch (RuntimeException e) {
                java.util.Arrays.fill(x, Double.NaN);
                return x;
            }
            var g = normal(rng);
            for (int s = 0; s < 2; s++) {
                for (int k = 0; k < times.length; k++) {
                    double v = Math.min(1e4, Math.max(1e-10, u[k][s]));
                    x[s * times.length + k] = Math.exp(Math.log(v) + 0.1 * g.sample());
                }
            }
            return x;
        }
    }
}
