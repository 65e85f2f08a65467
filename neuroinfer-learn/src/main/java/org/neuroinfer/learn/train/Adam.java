package org.neuroinfer.learn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.learn.store.WeightFile;

/**
 * Adam (Kingma &amp; Ba 2015, algorithm 1) with optional decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019):
 * <pre>
 *   m ← β₁m + (1-β₁)g,  v ← β₂v + (1-β₂)g²,  w ← w - η (m/(1-β₁ᵗ)) / (√(v/(1-β₂ᵗ)) + ε) - ηλw
 * </pre>
 * The moments of all parameters are kept as one flat vector, so a step is a dozen operations on it rather than a
 * dozen per parameter (each element's arithmetic, and so its bits, are those of the per-parameter form). They are
 * saved and restored by parameter name, so a checkpoint resumes a run exactly.
 */
public final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;
    private final double weightDecay;
    private final NDManager manager;
    /** Moments restored from a checkpoint, by parameter name, until the first step flattens them. */
    private final Map<String, NDArray[]> restored = new LinkedHashMap<>();
    private NDArray m;
    private NDArray v;
    private List<String> names;
    private Shape[] shapes;
    private long[] splits;
    private long step;
    /** β₁, 1-β₁, β₂, 1-β₂, ε and 0 as arrays, made once: a number given to an operation becomes a new array each time. */
    private NDArray[] constants;

    /** An optimiser whose state lives in {@code manager}. */
    public Adam(NDManager manager, double weightDecay) {
        this.manager = manager;
        this.weightDecay = weightDecay;
    }

    /** Steps taken. */
    public long step() {
        return step;
    }

    /**
     * Every parameter's gradient, flattened and concatenated in order: one vector to take the norm of, clip and
     * pass to {@link #update(Iterable, NDArray, double)}. It lives in the current {@link NDScope}.
     */
    public static NDArray gradient(Iterable<Pair<String, Parameter>> params) {
        NDList parts = new NDList();
        for (Pair<String, Parameter> p : params) {
            parts.add(p.getValue().getArray().getGradient().reshape(-1));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts);
    }

    /** Applies one step with learning rate {@code lr} to every parameter from its gradient, then zeroes it. */
    public void update(Iterable<Pair<String, Parameter>> params, double lr) {
        try (NDScope scope = new NDScope()) {
            update(params, gradient(params), lr);
            scope.suppressNotUsedWarning();
        }
    }

    /**
     * Applies one step with learning rate {@code lr} from the flat gradient {@code g} (see {@link #gradient}) of
     * {@code params}, then zeroes their gradients.
     */
    public void update(Iterable<Pair<String, Parameter>> params, NDArray g, double lr) {
        step++;
        if (constants == null) {
            constants = new NDArray[]{scalar(BETA1), scalar(1 - BETA1), scalar(BETA2), scalar(1 - BETA2), scalar(EPS),
                scalar(0)};
        }
        List<Pair<String, Parameter>> list = new ArrayList<>();
        params.forEach(list::add);
        if (m == null) {
            start(list);
        }
        // every temporary (and the gradients' handles) is freed when the scope closes: native memory stays flat
        try (NDScope scope = new NDScope(); NDArray c1 = scalar(1 - Math.pow(BETA1, step));
             NDArray c2 = scalar(1 - Math.pow(BETA2, step)); NDArray rate = scalar(lr)) {
            m.muli(constants[0]).addi(g.mul(constants[1]));
            v.muli(constants[2]).addi(g.square().muli(constants[3]));
            NDArray upd = m.div(c1).divi(v.div(c2).sqrt().addi(constants[4])).muli(rate);
            NDList parts = splits.length == 0 ? new NDList(upd) : upd.split(splits);
            for (int i = 0; i < list.size(); i++) {
                NDArray w = list.get(i).getValue().getArray();
                NDArray u = parts.get(i).reshape(w.getShape());
                if (weightDecay > 0) {
                    u = u.add(w.mul(lr * weightDecay));
                }
                w.subi(u);
                w.getGradient().muli(constants[5]);
            }
            scope.suppressNotUsedWarning();
        }
    }

    /** The flat moments for {@code params}: zeros, or those a checkpoint restored. */
    private void start(List<Pair<String, Parameter>> params) {
        names = new ArrayList<>();
        shapes = new Shape[params.size()];
        splits = new long[params.size() - 1];
        NDList ms = new NDList();
        NDList vs = new NDList();
        NDList used = new NDList();
        long at = 0;
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getValue().getArray();
            String name = params.get(i).getKey();
            names.add(name);
            shapes[i] = w.getShape();
            NDArray[] r = restored.remove(name);
            if (r != null) {
                used.addAll(new NDList(r));
            }
            ms.add(r != null ? r[0].reshape(-1) : manager.zeros(new Shape(w.size()), w.getDataType()));
            vs.add(r != null ? r[1].reshape(-1) : manager.zeros(new Shape(w.size()), w.getDataType()));
            at += w.size();
            if (i < splits.length) {
                splits[i] = at;
            }
        }
        m = kept(ms.size() == 1 ? ms.get(0).duplicate() : NDArrays.concat(ms));
        v = kept(vs.size() == 1 ? vs.get(0).duplicate() : NDArrays.concat(vs));
        ms.close();
        vs.close();
        used.close();
    }

    /** {@code x} as a 0-d float array in the state's manager (the value a number operand would take). */
    private NDArray scalar(double x) {
        return kept(manager.full(new Shape(), (float) x, ai.djl.ndarray.types.DataType.FLOAT32,
                manager.getDevice()));
    }

    /** {@code a}, kept when an enclosing {@link NDScope} (a training step's) closes. */
    private static NDArray kept(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    /** Writes the state into an archive under {@code m.NAME}, {@code v.NAME} and {@code step}. */
    public void save(WeightFile.Builder out) {
        if (m != null) {
            try (NDScope scope = new NDScope()) {
                NDList ms = splits.length == 0 ? new NDList(m) : m.split(splits);
                NDList vs = splits.length == 0 ? new NDList(v) : v.split(splits);
                for (int i = 0; i < names.size(); i++) {
                    out.put("m." + names.get(i), ms.get(i).reshape(shapes[i]));
                    out.put("v." + names.get(i), vs.get(i).reshape(shapes[i]));
                }
                scope.suppressNotUsedWarning();
            }
        }
        out.putScalar("adam.step", step);
    }

    /** Restores a state saved by {@link #save}. */
    public void restore(WeightFile in, Iterable<Pair<String, Parameter>> params) throws java.io.IOException {
        m = null;
        v = null;
        restored.clear();
        for (Pair<String, Parameter> p : params) {
            NDArray w = p.getValue().getArray();
            if (in.has("m." + p.getKey())) {
                restored.put(p.getKey(), new NDArray[]{kept(in.array(manager, "m." + p.getKey(), w.getShape())),
                    kept(in.array(manager, "v." + p.getKey(), w.getShape()))});
            }
        }
        step = (long) in.scalar("adam.step");
    }
}
