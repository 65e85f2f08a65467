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
import org.neuroinfer.random.RandomStreams;

/**
 * A masked autoregressive flow (Papamakarios et al. 2017) conditioned on a context: T transforms, each a fixed
 * permutation u' = P u followed by the autoregressive map z_i = f(u'_i; p_i), with p_i from a conditional
 * {@link Made} of u'_1 … u'_{i-1} and c. The map f is an {@link ElementwiseTransform}: affine (a MAF) or a
 * rational-quadratic spline (a neural spline flow, Durkan et al. 2019). The last z is standard normal, so
 * <pre>  log q(θ | c) = log N(z_T; 0, I) + Σ_t Σ_i log |∂z_{t,i}/∂u'_{t,i}|.</pre>
 * Sampling inverts the transforms, D passes of each MADE. The permutations are drawn from a fixed stream per
 * transform, so the architecture is fully given by D, T, the width, the depth and f.
 */
public final class MaskedAutoregressiveFlow extends NormalizingFlow {
    private final List<Made> made = new ArrayList<>();
    private final int[][] perm;
    private final ElementwiseTransform f;

    /** A MAF: D = {@code dim}, {@code transforms} affine transforms of MADEs with {@code layers} of {@code width}. */
    public MaskedAutoregressiveFlow(int dim, int transforms, int width, int layers) {
        this(dim, transforms, width, layers, new AffineTransform());
    }

    /** D = {@code dim}, {@code transforms} transforms f of MADEs with {@code layers} layers of {@code width}. */
    MaskedAutoregressiveFlow(int dim, int transforms, int width, int layers, ElementwiseTransform f) {
        super(dim);
        this.f = f;
        this.perm = new int[transforms][];
        for (int t = 0; t < transforms; t++) {
            made.add(addChildBlock("transform" + t, new Made(dim, width, layers, f.parameters())));
            perm[t] = permutation(dim, t);
        }
    }

    /** A neural spline flow: as the MAF, with rational-quadratic splines of {@code bins} bins on [-3, 3]. */
    static MaskedAutoregressiveFlow spline(int dim, int transforms, int width, int layers, int bins) {
        return new MaskedAutoregressiveFlow(dim, transforms, width, layers,
                new RationalQuadraticSpline(bins, 3.0, width));
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
    NDList toNoise(ParameterStore store, NDArray context, NDArray theta, boolean training) {
        NDArray u = theta;
        long rows = theta.getShape().get(0);
        NDArray logDet = theta.getManager().zeros(new Shape(rows), theta.getDataType(), theta.getDevice());
        for (int t = 0; t < made.size(); t++) {
            NDArray up = u.matMul(permutationMatrix(u.getManager(), t).toDevice(u.getDevice(), false));
            NDArray out = made.get(t).forward(store, new NDList(up, context), training).singletonOrThrow();
            NDList z = f.forward(up, out.reshape(rows, f.parameters(), dim).transpose(0, 2, 1));
            u = z.get(0);
            logDet = logDet.add(z.get(1).sum(new int[]{1}));
        }
        return new NDList(u, logDet);
    }

    @Override
    public float[][] sample(ParameterStore store, NDArray context, int n, UniformRandomProvider rng) {
        float[] z = standardNormal(n, rng);
        NDManager m = context.getManager();
        NDArray c = context.repeat(0, n);
        int np = f.parameters();
        float[] p = new float[np];
        for (int t = made.size() - 1; t >= 0; t--) {
            float[] up = new float[n * dim];
            for (int i = 0; i < dim; i++) {
                try (NDManager pass = m.newSubManager()) {
                    float[] out = made.get(t).forward(store, new NDList(pass.create(up, new Shape(n, dim))
                            .toDevice(c.getDevice(), false), c), false).singletonOrThrow().toFloatArray();
                    for (int r = 0; r < n; r++) {
                        for (int q = 0; q < np; q++) {
                            p[q] = out[r * np * dim + q * dim + i];
                        }
                        up[r * dim + i] = (float) f.inverse(z[r * dim + i], p);
                    }
                }
            }
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < dim; j++) {
                    z[r * dim + perm[t][j]] = up[r * dim + j];
                }
            }
        }
        return rows(z, n);
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
