package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An invertible linear map y = x Wᵀ + b with W = L U in LU form (Kingma &amp; Dhariwal 2018; nflows' LULinear):
 * L unit lower triangular, U upper triangular with diagonal d_i = softplus(s_i + s₀) + 10⁻³, so log |det W| =
 * Σ log d_i, with s₀ chosen so that d = 1 where s = 0: with every parameter at zero the map is the identity. Between
 * the transforms of a {@link CouplingFlow} it mixes the variables that a coupling layer leaves alone.
 */
final class LuLinear extends AbstractBlock {
    private static final double MIN_DIAGONAL = 1e-3;
    private static final double OFFSET = Math.log(Math.expm1(1 - MIN_DIAGONAL));
    private final int dim;
    private final Parameter lower;
    private final Parameter upper;
    private final Parameter diagonal;
    private final Parameter shift;
    /** The placements of the lower and upper entries and the identity, made once beside the weights. */
    private NDArray[] constants;

    LuLinear(int dim) {
        this.dim = dim;
        int m = dim * (dim - 1) / 2;
        lower = vector("lower", m, Parameter.Type.WEIGHT);
        upper = vector("upper", m, Parameter.Type.WEIGHT);
        diagonal = vector("diagonal", dim, Parameter.Type.WEIGHT);
        shift = vector("shift", dim, Parameter.Type.BIAS);
    }

    private Parameter vector(String name, int n, Parameter.Type type) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(new Shape(n))
                .optInitializer(ai.djl.training.initializer.Initializer.ZEROS).build());
    }

    /** y = x Wᵀ + b [B, D] and log |det W| (a scalar array). */
    NDList forward(ParameterStore store, NDArray x, boolean training) {
        NDArray[] c = constants(value(store, lower, x, training));
        int n = dim * (dim - 1) / 2;
        NDArray d = Activation.softPlus(value(store, diagonal, x, training).add(OFFSET)).add(MIN_DIAGONAL);
        NDArray l = c[0].matMul(value(store, lower, x, training).reshape(n, 1)).reshape(dim, dim).add(c[2]);
        NDArray u = c[1].matMul(value(store, upper, x, training).reshape(n, 1)).reshape(dim, dim).add(c[2].mul(d));
        NDArray w = l.matMul(u);
        return new NDList(x.matMul(w.transpose()).add(value(store, shift, x, training)), d.log().sum());
    }

    private static NDArray value(ParameterStore store, Parameter p, NDArray like, boolean training) {
        return store.getValue(p, like.getDevice(), training);
    }

    /** [D², n] matrices placing the n entries in the strict lower and upper triangles row by row, and I_D. */
    private NDArray[] constants(NDArray weight) {
        NDArray[] c = constants;
        if (c == null || c[0].isReleased() || !c[0].getDevice().equals(weight.getDevice())) {
            NDManager m = weight.getManager();
            c = new NDArray[]{placement(m, true), placement(m, false), m.eye(dim)};
            for (int k = 0; k < 3; k++) {
                c[k] = c[k].toDevice(weight.getDevice(), false);
                ai.djl.ndarray.NDScope.unregister(c[k]); // lives with the weights, not with the step that made it
            }
            constants = c;
        }
        return c;
    }

    private NDArray placement(NDManager m, boolean below) {
        int n = dim * (dim - 1) / 2;
        float[] s = new float[dim * dim * n];
        int k = 0;
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                if (below ? j < i : j > i) {
                    s[(i * dim + j) * n + k++] = 1f;
                }
            }
        }
        return m.create(s, new Shape((long) dim * dim, n));
    }

    /** The inverse x = (y - b) W⁻ᵀ of every row of {@code y} [n·D], in place, from the parameters' values. */
    void inverse(ParameterStore store, NDArray like, float[] y) {
        float[] lo = value(store, lower, like, false).toFloatArray();
        float[] up = value(store, upper, like, false).toFloatArray();
        float[] s = value(store, diagonal, like, false).toFloatArray();
        float[] b = value(store, shift, like, false).toFloatArray();
        double[][] l = new double[dim][dim];
        double[][] u = new double[dim][dim];
        int kl = 0;
        int ku = 0;
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                if (j < i) {
                    l[i][j] = lo[kl++];
                } else if (j > i) {
                    u[i][j] = up[ku++];
                }
            }
            l[i][i] = 1;
            u[i][i] = ElementwiseTransform.softplus(s[i] + OFFSET) + MIN_DIAGONAL;
        }
        double[] v = new double[dim];
        for (int r = 0; r < y.length / dim; r++) {
            int at = r * dim;
            // W x = y - b: L v = y - b (forward), then U x = v (backward)
            for (int i = 0; i < dim; i++) {
                double sum = y[at + i] - b[i];
                for (int j = 0; j < i; j++) {
                    sum -= l[i][j] * v[j];
                }
                v[i] = sum;
            }
            for (int i = dim - 1; i >= 0; i--) {
                double sum = v[i];
                for (int j = i + 1; j < dim; j++) {
                    sum -= u[i][j] * y[at + j];
                }
                y[at + i] = (float) (sum / u[i][i]);
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return forward(store, inputs.singletonOrThrow(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0], new Shape()};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes[0].get(1) != dim) {
            throw new IllegalArgumentException("the LU layer maps " + dim + " variables, got " + inputShapes[0]);
        }
    }
}
