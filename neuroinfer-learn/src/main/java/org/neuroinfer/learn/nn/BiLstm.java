package org.neuroinfer.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A bidirectional LSTM built from two {@link Lstm} layers, the second reading the time-reversed sequence (Schuster &amp;
 * Paliwal 1997). DJL's own bidirectional LSTM lays its weights out differently from the reference, so it is not used.
 *
 * <p>With {@code lastOnly} the output is [B, 2H]: the forward layer's state after the last step next to the backward
 * layer's state after the first step (what Keras' {@code Bidirectional(LSTM(H))} returns); otherwise [B, T, 2H], the
 * backward outputs re-aligned with the forward time axis.
 */
public final class BiLstm extends AbstractBlock {
    private final Lstm forward;
    private final Lstm backward;
    private final boolean lastOnly;

    /** Two layers of {@code hidden} units each. */
    public BiLstm(int inputSize, int hidden, boolean lastOnly) {
        this.forward = addChildBlock("forward", new Lstm(inputSize, hidden));
        this.backward = addChildBlock("backward", new Lstm(inputSize, hidden));
        this.lastOnly = lastOnly;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray f = forward.forward(store, new NDList(x), training).singletonOrThrow();
        NDArray b = backward.forward(store, new NDList(x.flip(1)), training).singletonOrThrow();
        if (lastOnly) {
            long t = x.getShape().get(1);
            return new NDList(f.get(new NDIndex(":, {}, :", t - 1)).concat(b.get(new NDIndex(":, {}, :", t - 1)), 1));
        }
        return new NDList(f.concat(b.flip(1), 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h2 = 2L * forward.hidden();
        return new Shape[]{lastOnly ? new Shape(s.get(0), h2) : new Shape(s.get(0), s.get(1), h2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        forward.initialize(manager, dataType, inputShapes);
        backward.initialize(manager, dataType, inputShapes);
    }
}
