package org.neuroinfer.learn.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * One unidirectional LSTM layer over a batch-first sequence [B, T, I] → [B, T, H] (Hochreiter &amp; Schmidhuber 1997,
 * with a forget gate as in Gers et al. 2000):
 * <pre>
 *   [i f g o] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
 *   c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 * with the gates stacked in the order i, f, g, o along the first axis of the weights (PyTorch's layout), starting
 * from h_0 = c_0 = 0. The recurrence runs in libtorch's fused kernel.
 */
public final class Lstm extends AbstractBlock {
    private final int inputSize;
    private final int hidden;
    private final Parameter wIh;
    private final Parameter wHh;
    private final Parameter bIh;
    private final Parameter bHh;

    /** A layer reading {@code inputSize} features per step into {@code hidden} units. */
    public Lstm(int inputSize, int hidden) {
        Sizes.positive("lstm input size", inputSize);
        Sizes.positive("lstm hidden size", hidden);
        this.inputSize = inputSize;
        this.hidden = hidden;
        wIh = addParameter(param("w_ih", Parameter.Type.WEIGHT, new Shape(4L * hidden, inputSize)));
        wHh = addParameter(param("w_hh", Parameter.Type.WEIGHT, new Shape(4L * hidden, hidden)));
        bIh = addParameter(param("b_ih", Parameter.Type.BIAS, new Shape(4L * hidden)));
        bHh = addParameter(param("b_hh", Parameter.Type.BIAS, new Shape(4L * hidden)));
    }

    static Parameter param(String name, Parameter.Type type, Shape shape) {
        return Parameter.builder().setName(name).setType(type).optShape(shape).optInitializer(Initializer.ZEROS)
                .build();
    }

    /** Hidden units. */
    public int hidden() {
        return hidden;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device d = x.getDevice();
        NDList weights = new NDList(store.getValue(wIh, d, training), store.getValue(wHh, d, training),
                store.getValue(bIh, d, training), store.getValue(bHh, d, training));
        NDManager m = x.getManager();
        Shape state = new Shape(1, x.getShape().get(0), hidden);
        NDList h0 = new NDList(m.zeros(state, x.getDataType(), d), m.zeros(state, x.getDataType(), d));
        NDList out = x.getNDArrayInternal().lstm(x, h0, weights, true, 1, 0, training, false, true);
        return new NDList(out.get(0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[]{new Shape(s.get(0), s.get(1), hidden)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes[0].get(2) != inputSize) {
            throw new IllegalArgumentException("lstm expects " + inputSize + " features per step, got "
                    + inputShapes[0]);
        }
    }
}
