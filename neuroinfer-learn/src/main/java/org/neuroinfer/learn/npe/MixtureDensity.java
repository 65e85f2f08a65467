package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.learn.nn.Scalars;

/**
 * A mixture density network (Bishop 1994) with K full-covariance Gaussian components: an MLP of the context
 * gives mixture logits, means μ_k and the upper-triangular Cholesky factor U_k of each precision matrix
 * (Σ_k⁻¹ = U_kᵀ U_k, positive diagonal through exp), as in Papamakarios &amp; Murray 2016 and sbi's MDN:
 * <pre>  log q(θ | c) = logsumexp_k [ log w_k - D/2 log 2π + Σ_i log U_k,ii - ½ ‖U_k (θ - μ_k)‖² ].</pre>
 * Sampling picks a component, then θ = μ_k + U_k⁻¹ z with z standard normal.
 */
public final class MixtureDensity extends DensityBlock {
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private final int components;
    private final int tri;
    private final SequentialBlock hidden = new SequentialBlock();
    private final Linear logits;
    private final Linear means;
    private final Linear factors;

    /** D = {@code dim}, K = {@code components}, an MLP of {@code layers} ReLU layers of {@code width}. */
    public MixtureDensity(int dim, int components, int width, int layers) {
        super(dim);
        this.components = components;
        this.tri = dim * (dim + 1) / 2;
        for (int l = 0; l < layers; l++) {
            hidden.add(Linear.builder().setUnits(width).build()).add(Activation.reluBlock());
        }
        addChildBlock("hidden", hidden);
        logits = addChildBlock("logits", Linear.builder().setUnits(components).build());
        means = addChildBlock("means", Linear.builder().setUnits((long) components * dim).build());
        factors = addChildBlock("factors", Linear.builder().setUnits((long) components * tri).build());
    }

    /** Position of U_ij (i ≤ j) among the D(D+1)/2 factor outputs of a component, row by row. */
    private int triIndex(int i, int j) {
        return i * dim - i * (i - 1) / 2 + (j - i);
    }

    /** The 0/1 matrix [T, D·D] that scatters the packed factor into a D×D upper-triangular matrix. */
    private NDArray scatter(NDManager m) {
        float[] s = new float[tri * dim * dim];
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                s[triIndex(i, j) * dim * dim + i * dim + j] = 1f;
            }
        }
        return m.create(s, new Shape(tri, (long) dim * dim));
    }

    private NDArray diagonalMask(NDManager m) {
        float[] d = new float[tri];
        for (int i = 0; i < dim; i++) {
            d[triIndex(i, i)] = 1f;
        }
        return m.create(d);
    }

    /** The mixture for each context row: log weights [B, K], means [B, K, D], packed log-diag factors [B, K, T]. */
    private NDList mixture(ParameterStore store, NDArray context, boolean training) {
        NDArray h = hidden.forward(store, new NDList(context), training).singletonOrThrow();
        long b = context.getShape().get(0);
        NDArray logW = logits.forward(store, new NDList(h), training).singletonOrThrow().logSoftmax(1);
        NDArray mu = means.forward(store, new NDList(h), training).singletonOrThrow().reshape(b, components, dim);
        NDArray packed = factors.forward(store, new NDList(h), training).singletonOrThrow().reshape(b, components,
                tri);
        return new NDList(logW, mu, packed);
    }

    @Override
    public NDArray logProb(ParameterStore store, NDArray context, NDArray theta, boolean training) {
        NDList mix = mixture(store, context, training);
        NDManager m = context.getManager();
        NDArray dm = diagonalMask(m).toDevice(context.getDevice(), false);
        NDArray packed = mix.get(2);
        NDArray logDiag = packed.mul(dm);
        NDArray u = packed.sub(logDiag).add(logDiag.exp().mul(dm))
                .matMul(scatter(m).toDevice(context.getDevice(), false))
                .reshape(packed.getShape().get(0), components, dim, dim);
        NDArray diff = theta.expandDims(1).sub(mix.get(1)).expandDims(3);
        NDArray y = u.matMul(diff).squeeze(3);
        NDArray comp = logDiag.sum(new int[]{2}).sub(Scalars.times(y.square().sum(new int[]{2}), 0.5))
                .sub(0.5 * dim * LOG_2PI).add(mix.get(0));
        NDArray top = comp.max(new int[]{1}, true).stopGradient();
        return comp.sub(top).exp().sum(new int[]{1}).log().add(top.squeeze(1));
    }

    @Override
    public float[][] sample(ParameterStore store, NDArray context, int n, UniformRandomProvider rng) {
        NDList mix = mixture(store, context, false);
        float[] logW = mix.get(0).toFloatArray();
        float[] mu = mix.get(1).toFloatArray();
        float[] packed = mix.get(2).toFloatArray();
        double[] cum = new double[components];
        double total = 0;
        for (int k = 0; k < components; k++) {
            total += Math.exp(logW[k]);
            cum[k] = total;
        }
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        float[][] out = new float[n][dim];
        double[] z = new double[dim];
        double[] y = new double[dim];
        for (int r = 0; r < n; r++) {
            double u = rng.nextDouble() * total;
            int k = 0;
            while (k < components - 1 && u >= cum[k]) {
                k++;
            }
            for (int i = 0; i < dim; i++) {
                z[i] = g.sample();
            }
            // back-substitution: U y = z, U upper triangular
            int base = k * tri;
            for (int i = dim - 1; i >= 0; i--) {
                double s = z[i];
                for (int j = i + 1; j < dim; j++) {
                    s -= packed[base + triIndex(i, j)] * y[j];
                }
                y[i] = s / Math.exp(packed[base + triIndex(i, i)]);
            }
            for (int i = 0; i < dim; i++) {
                out[r][i] = (float) (mu[k * dim + i] + y[i]);
            }
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkTheta(inputShapes[1], "the mixture");
        hidden.initialize(manager, dataType, inputShapes[0]);
        Shape h = hidden.getOutputShapes(new Shape[]{inputShapes[0]})[0];
        logits.initialize(manager, dataType, h);
        means.initialize(manager, dataType, h);
        factors.initialize(manager, dataType, h);
    }
}
