package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.neuroinfer.learn.nn.ParameterInit;

/**
 * The conditioner of a {@link CouplingFlow}: a residual network of ReLU blocks whose output is gated by the
 * context (the "ResidualNet" of Durkan et al. 2019's neural spline flows, as sbi builds its NSF). Inputs (u [B, I],
 * c [B, E]) → [B, O]:
 * <pre>  h_0 = W_0 [u, c] + b_0
 *  h_{k+1} = h_k + (W_k'' relu(W_k' relu(h_k) + b_k') + b_k'') ⊙ σ(V_k c + a_k)
 *  out = W_out h_K + b_out</pre>
 * The second layer of each block starts near zero (±10⁻³, {@link ParameterInit#NEAR_ZERO}), so every block begins
 * close to the identity.
 */
final class ResidualNet extends AbstractBlock {
    private final Linear first;
    private final List<Linear[]> blocks = new ArrayList<>();
    private final Linear last;

    /** {@code blocks} residual blocks of {@code width} units, {@code outputs} outputs. */
    ResidualNet(int width, int blocks, int outputs) {
        first = addChildBlock("input", Linear.builder().setUnits(width).build());
        for (int k = 0; k < blocks; k++) {
            this.blocks.add(new Linear[]{
                addChildBlock("block" + k + "a", Linear.builder().setUnits(width).build()),
                addChildBlock("block" + k + ParameterInit.NEAR_ZERO, Linear.builder().setUnits(width).build()),
                addChildBlock("block" + k + "gate", Linear.builder().setUnits(width).build())});
        }
        last = addChildBlock("output", Linear.builder().setUnits(outputs).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray c = inputs.get(1);
        NDArray h = apply(first, store, NDArrays.concat(new NDList(inputs.get(0), c), 1), training);
        for (Linear[] b : blocks) {
            NDArray t = apply(b[0], store, Activation.relu(h), training);
            t = apply(b[1], store, Activation.relu(t), training);
            h = h.add(t.mul(Activation.sigmoid(apply(b[2], store, c, training))));
        }
        return new NDList(apply(last, store, h, training));
    }

    private static NDArray apply(Linear l, ParameterStore store, NDArray x, boolean training) {
        return l.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return last.getOutputShapes(new Shape[]{new Shape(inputShapes[0].get(0), 1)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long rows = inputShapes[0].get(0);
        Shape in = new Shape(rows, inputShapes[0].get(1) + inputShapes[1].get(1));
        first.initialize(manager, dataType, in);
        Shape h = first.getOutputShapes(new Shape[]{in})[0];
        for (Linear[] b : blocks) {
            b[0].initialize(manager, dataType, h);
            b[1].initialize(manager, dataType, h);
            b[2].initialize(manager, dataType, inputShapes[1]);
        }
        last.initialize(manager, dataType, h);
    }
}
