package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.neuroinfer.learn.nn.MaskedLinear;

/**
 * A conditional MADE (Germain et al. 2015): from u ∈ R^D and a context c it returns, for each i, P parameters
 * that depend on u_1 … u_{i-1} and c only. Hidden units use tanh; input degrees are 1 … D, hidden degrees cycle
 * through 1 … D-1, and the context reaches every unit of the first hidden layer. Inputs (u [B, D], c [B, E]) →
 * [B, P·D], parameter p of variable i at p·D + i.
 */
final class Made extends AbstractBlock {
    private final int dim;
    private final int width;
    private final int perVariable;
    private final MaskedLinear first;
    private final Linear context;
    private final List<MaskedLinear> hidden = new ArrayList<>();
    private final MaskedLinear last;

    /** D = {@code dim} variables, {@code layers} hidden layers of {@code width} units, P = 2 parameters each. */
    Made(int dim, int width, int layers) {
        this(dim, width, layers, 2);
    }

    /** D = {@code dim} variables, {@code layers} hidden layers of {@code width} units, P = {@code perVariable}. */
    Made(int dim, int width, int layers, int perVariable) {
        this.dim = dim;
        this.width = width;
        this.perVariable = perVariable;
        int[] inDeg = new int[dim];
        for (int i = 0; i < dim; i++) {
            inDeg[i] = i + 1;
        }
        int[] hDeg = new int[width];
        int span = Math.max(1, dim - 1);
        for (int k = 0; k < width; k++) {
            hDeg[k] = k % span + Math.min(1, dim - 1);
        }
        int[] outDeg = new int[perVariable * dim];
        for (int i = 0; i < outDeg.length; i++) {
            outDeg[i] = i % dim + 1;
        }
        first = addChildBlock("input", new MaskedLinear(inDeg, hDeg, false));
        context = addChildBlock("context", Linear.builder().setUnits(width).optBias(false).build());
        for (int l = 1; l < layers; l++) {
            hidden.add(addChildBlock("hidden" + l, new MaskedLinear(hDeg, hDeg, false)));
        }
        last = addChildBlock("output", new MaskedLinear(hDeg, outDeg, true));
    }

    /** Whether output {@code o} (of P·D) can depend on input {@code i}: the autoregressive property, for tests. */
    boolean dependsOn(int o, int i) {
        boolean[] reach = new boolean[width];
        for (int k = 0; k < width; k++) {
            reach[k] = first.connected(k, i);
        }
        for (MaskedLinear h : hidden) {
            boolean[] next = new boolean[width];
            for (int k = 0; k < width; k++) {
                for (int j = 0; j < width; j++) {
                    next[k] |= reach[j] && h.connected(k, j);
                }
            }
            reach = next;
        }
        for (int k = 0; k < width; k++) {
            if (reach[k] && last.connected(o, k)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray h = first.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow()
                .add(context.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow()).tanh();
        for (MaskedLinear l : hidden) {
            h = l.forward(store, new NDList(h), training).singletonOrThrow().tanh();
        }
        return last.forward(store, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{new Shape(inputShapes[0].get(0), (long) perVariable * dim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape u = inputShapes[0];
        first.initialize(manager, dataType, u);
        Shape h = first.getOutputShapes(new Shape[]{u})[0];
        context.initialize(manager, dataType, inputShapes[1]);
        for (MaskedLinear l : hidden) {
            l.initialize(manager, dataType, h);
        }
        last.initialize(manager, dataType, h);
    }
}
