package org.neuroinfer.learn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuroinfer.learn.store.WeightFile;

/**
 * Adam (Kingma &amp; Ba 2015, algorithm 1) with optional decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019):
 * <pre>
 *   m ← β₁m + (1-β₁)g,  v ← β₂v + (1-β₂)g²,  w ← w - η (m/(1-β₁ᵗ)) / (√(v/(1-β₂ᵗ)) + ε) - ηλw
 * </pre>
 * Its moments are kept by parameter name so a checkpoint can store them and a resumed run continues exactly.
 */
public final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
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

    /** Applies one step with learning rate {@code lr} to every parameter from its gradient, then zeroes it. */
    public void update(Iterable<Pair<String, Parameter>> params, double lr) {
        step++;
        if (constants == null) {
            constants = new NDArray[]{scalar(BETA1), scalar(1 - BETA1), scalar(BETA2), scalar(1 - BETA2), scalar(EPS),
                scalar(0)};
        }
        try (NDArray c1 = scalar(1 - Math.pow(BETA1, step)); NDArray c2 = scalar(1 - Math.pow(BETA2, step));
             NDArray rate = scalar(lr)) {
            for (Pair<String, Parameter> p : params) {
                step(p, c1, c2, rate, lr);
            }
        }
    }

    /** One parameter's step: the operations numbers would give, with the numbers as arrays made once. */
    private void step(Pair<String, Parameter> p, NDArray c1, NDArray c2, NDArray rate, double lr) {
        NDArray w = p.getValue().getArray();
        NDArray mi = m.computeIfAbsent(p.getKey(), k -> kept(manager.zeros(w.getShape(), w.getDataType())));
        NDArray vi = v.computeIfAbsent(p.getKey(), k -> kept(manager.zeros(w.getShape(), w.getDataType())));
        // every temporary (and the gradient's handle) is freed when the scope closes: native memory stays flat
        try (NDScope scope = new NDScope()) {
            NDArray g = w.getGradient();
            mi.muli(constants[0]).addi(g.mul(constants[1]));
            vi.muli(constants[2]).addi(g.square().muli(constants[3]));
            NDArray upd = mi.div(c1).divi(vi.div(c2).sqrt().addi(constants[4])).muli(rate);
            if (weightDecay > 0) {
                upd.addi(w.mul(lr * weightDecay));
            }
            w.subi(upd);
            g.muli(constants[5]);
            scope.suppressNotUsedWarning();
        }
    }

    /** {@code x} as a 0-d float array in the state's manager (the value a number operand would take). */
    private NDArray scalar(double x) {
        return kept(manager.full(new ai.djl.ndarray.types.Shape(), (float) x, ai.djl.ndarray.types.DataType.FLOAT32,
                manager.getDevice()));
    }

    /** {@code a}, kept when an enclosing {@link NDScope} (a training step's) closes. */
    private static NDArray kept(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    /** Writes the state into an archive under {@code m.NAME}, {@code v.NAME} and {@code step}. */
    public void save(WeightFile.Builder out) {
        for (String k : m.keySet()) {
            out.put("m." + k, m.get(k));
            out.put("v." + k, v.get(k));
        }
        out.putScalar("adam.step", step);
    }

    /** Restores a state saved by {@link #save}. */
    public void restore(WeightFile in, Iterable<Pair<String, Parameter>> params) throws java.io.IOException {
        for (Pair<String, Parameter> p : params) {
            NDArray w = p.getValue().getArray();
            if (in.has("m." + p.getKey())) {
                m.put(p.getKey(), in.array(manager, "m." + p.getKey(), w.getShape()));
                v.put(p.getKey(), in.array(manager, "v." + p.getKey(), w.getShape()));
            }
        }
        step = (long) in.scalar("adam.step");
    }
}
