package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** What every {@link ConditionalDensity} block shares: D, and the block contract (context, θ) → log q [B]. */
abstract class DensityBlock extends AbstractBlock implements ConditionalDensity {
    /** D. */
    protected final int dim;

    DensityBlock(int dim) {
        this.dim = dim;
    }

    @Override
    public int dimension() {
        return dim;
    }

    /** Refuses θ of another dimension, naming {@code what} models it. */
    void checkTheta(Shape theta, String what) {
        if (theta.get(1) != dim) {
            throw new IllegalArgumentException(what + " models " + dim + " parameters, got " + theta);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(logProb(store, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{new Shape(inputShapes[0].get(0))};
    }
}
