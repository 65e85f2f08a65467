package org.neuroinfer.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A standard pre-LayerNorm transformer encoder block (Xiong et al. 2020, fig. 1b):
 * <pre>
 *   y = x + Dropout(SelfAttention(LN₁(x)))
 *   z = y + Dropout(W₂ GELU(W₁ LN₂(y) + b₁) + b₂)
 * </pre>
 * DJL's own encoder block uses batch normalisation and a different residual, so it is not used.
 */
public final class EncoderBlock extends AbstractBlock {
    private final LayerNorm norm1;
    private final SelfAttention attention;
    private final Dropout drop1;
    private final LayerNorm norm2;
    private final Linear up;
    private final Linear down;
    private final Dropout drop2;
    private final int dim;

    /**
     * @param dim     model width d
     * @param heads   attention heads (dividing d)
     * @param mlp     hidden width of the feed-forward part
     * @param dropout dropout rate on both residual branches
     */
    public EncoderBlock(int dim, int heads, int mlp, double dropout) {
        Sizes.positive("mlp width", mlp);
        Sizes.fraction("dropout", dropout);
        this.dim = dim;
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", new SelfAttention(dim, heads));
        drop1 = addChildBlock("drop1", Dropout.builder().optRate((float) dropout).build());
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
        up = addChildBlock("up", Linear.builder().setUnits(mlp).build());
        down = addChildBlock("down", Linear.builder().setUnits(dim).build());
        drop2 = addChildBlock("drop2", Dropout.builder().optRate((float) dropout).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList a = attention.forward(store, norm1.forward(store, new NDList(x), training), training);
        NDArray y = x.add(drop1.forward(store, a, training).singletonOrThrow());
        NDArray h = up.forward(store, norm2.forward(store, new NDList(y), training), training).singletonOrThrow();
        NDList f = down.forward(store, new NDList(Activation.gelu(h)), training);
        return new NDList(y.add(drop2.forward(store, f, training).singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        SelfAttention.checkWidth(inputShapes[0], dim);
        Shape s = inputShapes[0];
        norm1.initialize(manager, dataType, s);
        attention.initialize(manager, dataType, s);
        drop1.initialize(manager, dataType, s);
        norm2.initialize(manager, dataType, s);
        up.initialize(manager, dataType, s);
        Shape hidden = up.getOutputShapes(new Shape[]{s})[0];
        down.initialize(manager, dataType, hidden);
        drop2.initialize(manager, dataType, s);
    }
}
