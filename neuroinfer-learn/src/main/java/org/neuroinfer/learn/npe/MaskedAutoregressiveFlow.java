package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.random.RandomStreams;

/**
 * A masked autoregressive flow (Papamakarios et al. 2017) conditioned on a context: T transforms, each a fixed
 * permutation u' = P u followed by the affine autoregressive map z_i = s_i u'_i + m_i, with (m_i, r_i) from a
 * conditional {@link Made} of u'_1 … u'_{i-1} and c, and s_i = softplus(r_i + log(e - 1)) + 10⁻³ (nflows' positive
 * scale, which sbi builds on, shifted so that a fresh flow starts near the identity). The last z is standard normal,
 * so
 * <pre>  log q(θ | c) = log N(z_T; 0, I) + Σ_t Σ_i log s_{t,i}.</pre>
 * Sampling inverts the transforms, D passes of each MADE. The permutations are drawn from a fixed stream per
 * transform, so the architecture is fully given by D, T, the width and the depth.
 */
public final class MaskedAutoregressiveFlow extends DensityBlock {
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double SOFTPLUS_ONE = Math.log(Math.E - 1);
    private final List<Made> made = new ArrayList<>();
    private final int[][] perm;

    /** D = {@code dim}, {@code transforms} transforms of MADEs with {@code layers} layers of {@code width}. */
    public MaskedAutoregressiveFlow(int dim, int transforms, int width, int layers) {
        super(dim);
        this.perm = new int[transforms][];
        for (int t = 0; t < transforms; t++) {
            made.add(addChildBlock("transform" + t, new Made(dim, width, layers)));
            perm[t] = permutation(dim, t);
        }
    }

    static int[] permutation(int dim, int transform) {
        return RandomStreams.permutation(dim, RandomStreams.stream(0, transform, RandomStreams.PERMUTATION));
    }

    /** The transform's MADE, for tests. */
    Made made(int t) {
        return made.get(t);
    }

    /** P as a matrix: (u P)_j = u_{perm[j]}. */
    private NDArray permutationMatrix(NDManager m, int t) {
        float[] a = new float[dim * dim];
        for (int j = 0; j < dim; j++) {
            a[perm[t][j] * dim + j] = 1f;
        }
        return m.create(a, new Shape(dim, dim));
    }

    @Override
    public NDArray logProb(ParameterStore store, NDArray context, NDArray theta, boolean training) {
        NDList zl = toNoise(store, context, theta, training);
        NDArray u = zl.get(0);
        return u.square().sum(new int[]{1}).mul(-0.5).sub(0.5 * dim * LOG_2PI).add(zl.get(1));
    }

    /** The forward pass θ → z through every transform: (z [B, D], Σ log s [B]). */
    NDList toNoise(ParameterStore store, NDArray context, NDArray theta, boolean training) {
        NDArray u = theta;
        NDArray logDet = theta.getManager().zeros(new Shape(theta.getShape().get(0)), theta.getDataType(),
                theta.getDevice());
        for (int t = 0; t < made.size(); t++) {
            NDArray up = u.matMul(permutationMatrix(u.getManager(), t).toDevice(u.getDevice(), false));
            NDArray out = made.get(t).forward(store, new NDList(up, context), training).singletonOrThrow();
            NDArray shift = out.get(":, :" + dim);
            NDArray s = scale(out.get(":, " + dim + ":"));
            u = up.mul(s).add(shift);
            logDet = logDet.add(s.log().sum(new int[]{1}));
        }
        return new NDList(u, logDet);
    }

    /** s = softplus(r + log(e - 1)) + 10⁻³: positive, unbounded, 1 at r = 0 so a fresh flow is near identity. */
    private static NDArray scale(NDArray raw) {
        return ai.djl.nn.Activation.softPlus(raw.add(SOFTPLUS_ONE)).add(1e-3);
    }

    @Override
    public float[][] sample(ParameterStore store, NDArray context, int n, UniformRandomProvider rng) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        float[] z = new float[n * dim];
        for (int k = 0; k < z.length; k++) {
            z[k] = (float) g.sample();
        }
        NDManager m = context.getManager();
        NDArray c = context.repeat(0, n);
        for (int t = made.size() - 1; t >= 0; t--) {
            float[] up = new float[n * dim];
            for (int i = 0; i < dim; i++) {
                try (NDManager pass = m.newSubManager()) {
                    NDArray out = made.get(t).forward(store, new NDList(pass.create(up, new Shape(n, dim))
                            .toDevice(c.getDevice(), false), c), false).singletonOrThrow();
                    float[] shift = out.get(":, " + i).toFloatArray();
                    float[] s = scale(out.get(":, " + (dim + i))).toFloatArray();
                    for (int r = 0; r < n; r++) {
                        up[r * dim + i] = (z[r * dim + i] - shift[r]) / s[r];
                    }
                }
            }
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < dim; j++) {
                    z[r * dim + perm[t][j]] = up[r * dim + j];
                }
            }
        }
        float[][] rows = new float[n][dim];
        for (int r = 0; r < n; r++) {
            System.arraycopy(z, r * dim, rows[r], 0, dim);
        }
        return rows;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape theta = inputShapes[1];
        checkTheta(theta, "the flow");
        for (Made b : made) {
            b.initialize(manager, dataType, theta, inputShapes[0]);
        }
    }
}
