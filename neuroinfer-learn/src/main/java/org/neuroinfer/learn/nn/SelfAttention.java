package org.neuroinfer.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head scaled dot-product self-attention over tokens [B, N, D] (Vaswani et al. 2017, eq. 1):
 * per head h, softmax(Q_h K_hᵀ / √d_h) V_h with [Q K V] = x W_qkv + b_qkv, the heads concatenated and projected
 * by W_o.
 */
public final class SelfAttention extends AbstractBlock {
    private final int dim;
    private final int heads;
    private final Linear qkv;
    private final Linear out;

    /** {@code heads} heads over a model width {@code dim} (which they must divide). */
    public SelfAttention(int dim, int heads) {
        Sizes.positive("d_model", dim);
        Sizes.positive("heads", heads);
        if (dim % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide d_model (" + dim + ")");
        }
        this.dim = dim;
        this.heads = heads;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        this.out = addChildBlock("out", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        long dh = dim / heads;
        // [B, N, 3, heads, dh] -> [3, B, heads, N, dh]
        NDArray z = qkv.forward(store, new NDList(x), training).singletonOrThrow()
                .reshape(b, n, 3, heads, dh).transpose(2, 0, 3, 1, 4);
        NDArray q = z.get(0);
        NDArray k = z.get(1);
        NDArray v = z.get(2);
        NDArray att = Scalars.over(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(dh)).softmax(-1);
        NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, dim);
        return out.forward(store, new NDList(y), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkWidth(inputShapes[0], dim);
        qkv.initialize(manager, dataType, inputShapes);
        out.initialize(manager, dataType, inputShapes);
    }

    static void checkWidth(Shape s, int dim) {
        if (s.dimension() != 3 || s.get(2) != dim) {
            throw new IllegalArgumentException("expected tokens [B, N, " + dim + "], got " + s);
        }
    }
}
