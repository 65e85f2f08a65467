package org.neuroinfer.learn.nn;

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
 * A linear layer y = x (W ⊙ M)ᵀ + b whose fixed 0/1 mask M cuts connections, the building block of MADE (Germain
 * et al. 2015): unit k may only see inputs of a lower (or, for hidden units, equal) degree.
 */
public final class MaskedLinear extends AbstractBlock {
    private final int in;
    private final int out;
    private final float[] mask;
    private final Parameter weight;
    private final Parameter bias;
    private NDArray maskArray;

    /**
     * @param inDegrees  degree of each input
     * @param outDegrees degree of each output
     * @param strict     outputs see inputs of strictly lower degree (the output layer) rather than lower or equal
     */
    public MaskedLinear(int[] inDegrees, int[] outDegrees, boolean strict) {
        this.in = inDegrees.length;
        this.out = outDegrees.length;
        this.mask = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                boolean on = strict ? outDegrees[o] > inDegrees[i] : outDegrees[o] >= inDegrees[i];
                mask[o * in + i] = on ? 1f : 0f;
            }
        }
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).optInitializer(Initializer.ZEROS).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(Initializer.ZEROS).build());
    }

    /** Whether output {@code o} is connected to input {@code i}. */
    public boolean connected(int o, int i) {
        return mask[o * in + i] != 0;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray m = maskOn(w);
        return new NDList(x.matMul(w.mul(m).transpose()).add(store.getValue(bias, x.getDevice(), training)));
    }

    /** The mask as an array beside the weight (made once, owned by the weight's manager). */
    private NDArray maskOn(NDArray w) {
        NDArray m = maskArray;
        if (m == null || m.isReleased() || !m.getDevice().equals(w.getDevice())) {
            m = w.getManager().create(mask, new Shape(out, in)).toDevice(w.getDevice(), false);
            ai.djl.ndarray.NDScope.unregister(m); // lives with the weight, not with the training step that made it
            maskArray = m;
        }
        return m;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{new Shape(inputShapes[0].get(0), out)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes[0].get(inputShapes[0].dimension() - 1) != in) {
            throw new IllegalArgumentException("masked layer expects " + in + " inputs, got " + inputShapes[0]);
        }
    }
}
