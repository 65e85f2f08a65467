package org.neuroinfer.learn.npe;

import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.random.RandomStreams;

/**
 * The linear-Gaussian problem: θ ~ N(0, I_3), x = A θ + ε with ε ~ N(0, σ² I_5). Its posterior is Gaussian with
 * covariance Σ = (I + AᵀA / σ²)⁻¹ and mean Σ Aᵀ x / σ².
 */
final class LinearGaussian {
    static final int D = 3;
    static final int X = 5;
    static final double SIGMA = 0.5;
    static final double[][] A = {{1.0, 0.5, 0.0}, {0.0, 1.0, -0.5}, {0.3, 0.0, 1.0}, {0.5, 0.5, 0.5}, {0.0, 0.2, 0.4}};

    private LinearGaussian() {
    }

    /** {@code n} simulations as recordings of 5 channels × 1 sample. */
    static RecordingSet simulate(int n, long seed) {
        UniformRandomProvider rng = RandomStreams.stream(seed, 0);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        float[] x = new float[n * X];
        double[][] y = new double[n][D];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                y[i][j] = g.sample();
            }
            for (int k = 0; k < X; k++) {
                double v = SIGMA * g.sample();
                for (int j = 0; j < D; j++) {
                    v += A[k][j] * y[i][j];
                }
                x[i * X + k] = (float) v;
            }
        }
        return new RecordingSet(x, y, new int[n], new double[]{0.0}, X, 1, 1, List.of("t1", "t2", "t3"),
                List.of("1", "1", "1"), "linear-gaussian-" + seed, 0);
    }

    static RealMatrix covariance() {
        RealMatrix a = MatrixUtils.createRealMatrix(A);
        RealMatrix prec = MatrixUtils.createRealIdentityMatrix(D).add(a.transpose().multiply(a)
                .scalarMultiply(1 / (SIGMA * SIGMA)));
        RealMatrix c = MatrixUtils.inverse(prec);
        return c.add(c.transpose()).scalarMultiply(0.5);
    }

    static double[] mean(float[] x, int at) {
        double[] xs = new double[X];
        for (int k = 0; k < X; k++) {
            xs[k] = x[at + k];
        }
        RealMatrix a = MatrixUtils.createRealMatrix(A);
        double[] m = covariance().operate(a.transpose().operate(xs));
        for (int j = 0; j < D; j++) {
            m[j] /= SIGMA * SIGMA;
        }
        return m;
    }

    /** {@code n} exact posterior draws. */
    static double[][] exact(float[] x, int at, int n, long seed) {
        double[] m = mean(x, at);
        RealMatrix l = new CholeskyDecomposition(covariance()).getL();
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(RandomStreams.stream(seed, 1));
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] z = new double[D];
            for (int j = 0; j < D; j++) {
                z[j] = g.sample();
            }
            double[] v = l.operate(z);
            for (int j = 0; j < D; j++) {
                v[j] += m[j];
            }
            out[i] = v;
        }
        return out;
    }
}
