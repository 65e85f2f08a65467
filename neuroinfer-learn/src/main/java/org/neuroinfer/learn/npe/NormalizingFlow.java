package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.learn.nn.Scalars;

/**
 * What the flows share: a forward pass θ → z onto a standard normal, whose density and log-determinant give
 * <pre>  log q(θ | c) = log N(z; 0, I) + Σ log |∂z/∂θ|,</pre>
 * and the normal draws their samplers start from.
 */
abstract class NormalizingFlow extends DensityBlock {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    NormalizingFlow(int dim) {
        super(dim);
    }

    /** The forward pass θ → z through every transform: (z [B, D], Σ log |dz/dθ| [B]). */
    abstract NDList toNoise(ParameterStore store, NDArray context, NDArray theta, boolean training);

    @Override
    public NDArray logProb(ParameterStore store, NDArray context, NDArray theta, boolean training) {
        NDList zl = toNoise(store, context, theta, training);
        NDArray u = zl.get(0);
        return Scalars.times(u.square().sum(new int[]{1}), -0.5).sub(0.5 * dim * LOG_2PI).add(zl.get(1));
    }

    /** n standard normal vectors of D, row after row. */
    float[] standardNormal(int n, UniformRandomProvider rng) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        float[] z = new float[n * dim];
        for (int k = 0; k < z.length; k++) {
            z[k] = (float) g.sample();
        }
        return z;
    }

    /** {@code flat} [n·D] as n rows. */
    float[][] rows(float[] flat, int n) {
        float[][] rows = new float[n][dim];
        for (int r = 0; r < n; r++) {
            System.arraycopy(flat, r * dim, rows[r], 0, dim);
        }
        return rows;
    }
}
