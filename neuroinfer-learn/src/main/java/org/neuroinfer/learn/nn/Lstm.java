package org.neuroinfer.learn.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * One unidirectional LSTM layer over a batch-first sequence [B, T, I] → [B, T, H] (Hochreiter &amp; Schmidhuber 1997,
 * with a forget gate as in Gers et al. 2000):
 * <pre>
 *   [i f g o] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
 *   c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 * with the gates stacked in the order i, f, g, o along the first axis of the weights (PyTorch's layout), starting
 * from h_0 = c_0 = 0. The recurrence runs in the process-wide {@link #kernel()}: libtorch's fused kernel by default,
 * with the hidden width padded to whole blocks (see {@link LstmKernel#FUSED} for why).
 */
public final class Lstm extends AbstractBlock {
    private final int inputSize;
    private final int hidden;
    private final Parameter wIh;
    private final Parameter wHh;
    private final Parameter bIh;
    private final Parameter bHh;
    private static volatile LstmKernel kernel = LstmKernel.FUSED;

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

    /** The kernel every LSTM layer in this process runs. */
    public static LstmKernel kernel() {
        return kernel;
    }

    /** Makes every LSTM layer in this process run {@code k} (the engine self-check's remedy). */
    public static void useKernel(LstmKernel k) {
        kernel = Objects.requireNonNull(k, "kernel");
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device d = x.getDevice();
        NDArray wi = store.getValue(wIh, d, training);
        NDArray wh = store.getValue(wHh, d, training);
        NDArray bi = store.getValue(bIh, d, training);
        NDArray bh = store.getValue(bHh, d, training);
        return new NDList(kernel == LstmKernel.STEPWISE ? stepwise(x, wi, wh, bi, bh)
                : fused(x, wi, wh, bi, bh, training));
    }

    private NDArray fused(NDArray x, NDArray wi, NDArray wh, NDArray bi, NDArray bh, boolean training) {
        int hp = LstmKernel.paddedWidth(hidden);
        NDManager m = x.getManager();
        NDList weights = hp == hidden ? new NDList(wi, wh, bi, bh)
                : new NDList(padUnits(wi, hp), padInputs(padUnits(wh, hp), hp), padUnits(bi, hp), padUnits(bh, hp));
        Shape state = new Shape(1, x.getShape().get(0), hp);
        NDList h0 = new NDList(m.zeros(state, x.getDataType(), x.getDevice()),
                m.zeros(state, x.getDataType(), x.getDevice()));
        NDArray out = x.getNDArrayInternal().lstm(x, h0, weights, true, 1, 0, training, false, true).get(0);
        return hp == hidden ? out : out.get(new NDIndex(":, :, :{}", hidden));
    }

    /** [4H, …] → [4·hp, …]: each gate's rows followed by hp − H zero rows. */
    private NDArray padUnits(NDArray w, int hp) {
        Shape s = w.getShape();
        long rest = s.size() / (4L * hidden);
        NDArray g = w.reshape(4, hidden, rest);
        NDArray z = w.getManager().zeros(new Shape(4, hp - hidden, rest), w.getDataType(), w.getDevice());
        NDArray p = g.concat(z, 1);
        return s.dimension() == 1 ? p.reshape(4L * hp) : p.reshape(4L * hp, rest);
    }

    /** [4·hp, H] → [4·hp, hp]: zero columns for the padded units' states. */
    private NDArray padInputs(NDArray w, int hp) {
        NDArray z = w.getManager().zeros(new Shape(4L * hp, hp - hidden), w.getDataType(), w.getDevice());
        return w.concat(z, 1);
    }

    private NDArray stepwise(NDArray x, NDArray wi, NDArray wh, NDArray bi, NDArray bh) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDManager m = x.getManager();
        NDArray proj = x.matMul(wi.transpose()).add(bi.add(bh));
        NDArray whT = wh.transpose();
        NDArray h = m.zeros(new Shape(b, hidden), x.getDataType(), x.getDevice());
        NDArray c = h;
        NDList out = new NDList((int) t);
        for (long k = 0; k < t; k++) {
            NDList z = proj.get(new NDIndex(":, {}, :", k)).add(h.matMul(whT)).split(4, 1);
            c = Activation.sigmoid(z.get(1)).mul(c).add(Activation.sigmoid(z.get(0)).mul(z.get(2).tanh()));
            h = Activation.sigmoid(z.get(3)).mul(c.tanh());
            out.add(h);
        }
        return NDArrays.stack(out, 1);
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
