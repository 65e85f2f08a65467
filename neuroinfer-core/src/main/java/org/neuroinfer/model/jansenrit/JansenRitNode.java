package org.neuroinfer.model.jansenrit;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.model.LaneKernel;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.numeric.VectorMath;
import java.util.List;
import org.neuroinfer.model.OuNodeModel;
import org.neuroinfer.model.ParameterMap;
import org.neuroinfer.param.ParameterSpace;

/**
 * The Jansen-Rit neural mass (Jansen &amp; Rit 1995, Biol. Cybern. 73:357) as a node of a whole-brain network,
 * with the benchmark's parameterisation (A_e, A_i, b_e, b_i, C, a_1–a_4) and constant conventions:
 * <pre>
 * y0' = y3,  y1' = y4,  y2' = y5
 * y3' = A_e b_e S(y1 - y2)                                   - 2 b_e y3 - b_e^2 y0
 * y4' = A_e b_e (p + p_ou + I + C2 S(C1 y0))                 - 2 b_e y4 - b_e^2 y1
 * y5' = A_i b_i C4 S(C3 y0)                                  - 2 b_i y5 - b_i^2 y2
 * S(v) = v_max / (1 + exp(r (v0 - v)))
 * </pre>
 * Other nodes read the pyramidal firing rate S(y1 - y2) through the delays and it enters as the extra input I
 * to the excitatory interneurons, {@code I = K_gl sum_j Cmat[i,j] S(y1_j - y2_j)(t - D_ij)} (additive, as The
 * Virtual Brain couples JR nodes); p is the mean input (pulses/s) with OU fluctuations p_ou on y4 only. The
 * equations are in seconds; the network steps in ms, so the derivatives are returned per ms. The EEG source of a
 * region is y1 - y2; BOLD is driven by S(y1 - y2) in Hz.
 */
public final class JansenRitNode extends OuNodeModel {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private final Convention cv;
    private final double aeBe;
    private final double twoBe;
    private final double be2;
    private final double aiBi;
    private final double twoBi;
    private final double bi2;
    private final double c1;
    private final double c2;
    private final double c3;
    private final double c4;
    private final double p;

    /**
     * From parameter names: {@code convention} (default textbook: JR 1995 in mV and 1/s), the nine benchmark
     * parameters (defaults of the convention), {@code p} (mean input, default 220 pulses/s, the middle of JR's
     * 120–320), {@code tau_ou} (ms, default 5) and {@code sigma_ou} (pulses/s, default 0).
     */
    public JansenRitNode(ParameterMap m) {
        super(m, 6);
        cv = Convention.of(m.text("convention", "textbook"));
        ParameterSpace space = cv.parameterSpace();
        double[] v = new double[space.size()];
        for (int k = 0; k < v.length; k++) {
            var prm = space.get(k);
            v[k] = m.get(prm.name(), prm.defaultValue());
            if (v[k] < prm.lower() || v[k] > prm.upper()) {
                throw new IllegalArgumentException("Jansen-Rit " + prm.name() + " = " + v[k] + "; valid range "
                        + prm.lower() + " .. " + prm.upper() + " " + prm.unit() + " (" + cv.id() + ")");
            }
        }
        aeBe = v[0] * v[2];
        twoBe = 2 * v[2];
        be2 = v[2] * v[2];
        aiBi = v[1] * v[3];
        twoBi = 2 * v[3];
        bi2 = v[3] * v[3];
        c1 = v[5] * v[4];
        c2 = v[6] * v[4];
        c3 = v[7] * v[4];
        c4 = v[8] * v[4];
        p = m.get("p", 220);
    }

    /** The sigmoid, with {@link VectorMath}'s exp (whose scalar and vector bits agree, so lanes match runs alone). */
    private double sigmoid(double v) {
        return cv.vMax() / (1 + VectorMath.exp(cv.r() * (cv.v0() - v)));
    }

    @Override
    public String name() {
        return "jansen-rit";
    }

    @Override
    public List<String> variables() {
        return List.of("y0", "y1", "y2", "y3", "y4", "y5");
    }

    @Override
    public int coupled() {
        return 1;
    }

    @Override
    public double coupledValue(double[] s) {
        return sigmoid(s[1] - s[2]);
    }

    @Override
    public Coupling coupling() {
        return Coupling.ADDITIVE;
    }

    @Override
    public void derivatives(double[] s, double input, double[] ou, double[] ds) {
        double perMs = 1e-3;
        ds[0] = s[3] * perMs;
        ds[1] = s[4] * perMs;
        ds[2] = s[5] * perMs;
        ds[3] = (aeBe * sigmoid(s[1] - s[2]) - twoBe * s[3] - be2 * s[0]) * perMs;
        ds[4] = (aeBe * (p + ou[4] + input + c2 * sigmoid(c1 * s[0])) - twoBe * s[4] - be2 * s[1]) * perMs;
        ds[5] = (aiBi * c4 * sigmoid(c3 * s[0]) - twoBi * s[5] - bi2 * s[2]) * perMs;
    }

    @Override
    public int output() {
        return 1;
    }

    @Override
    public double initial(int var, double u) {
        return 0;
    }

    @Override
    public double boldInput(double[] s) {
        return sigmoid(s[1] - s[2]);
    }

    /** Jansen-Rit nodes of {@code lanes} (all JR) a vector of lanes at a time, their parameters per lane. */
    @Override
    public LaneKernel laneKernel(NodeModel[] lanes) {
        double[][] q = new double[16][lanes.length];
        for (int l = 0; l < lanes.length; l++) {
            JansenRitNode m = (JansenRitNode) lanes[l];
            double[] v = {m.aeBe, m.twoBe, m.be2, m.aiBi * m.c4, m.twoBi, m.bi2, m.c1, m.c2, m.c3, m.p,
                m.cv.vMax(), m.cv.r(), m.cv.v0(), 0, 0, 0};
            for (int k = 0; k < v.length; k++) {
                q[k][l] = v[k];
            }
        }
        return (s, ou, w, input, dt, to, cv, z, zBase, work) -> {
            // the three sigmoids' exponents, then their exps in place
            for (int l = 0; l < to; l += SPECIES.length()) {
                DoubleVector y0 = DoubleVector.fromArray(SPECIES, s, l);
                DoubleVector v0 = lane(q[12], l);
                DoubleVector r = lane(q[11], l);
                r.mul(v0.sub(DoubleVector.fromArray(SPECIES, s, w + l).sub(DoubleVector.fromArray(SPECIES, s,
                        2 * w + l)))).intoArray(work, l);
                r.mul(v0.sub(lane(q[6], l).mul(y0))).intoArray(work, w + l);
                r.mul(v0.sub(lane(q[8], l).mul(y0))).intoArray(work, 2 * w + l);
            }
            VectorMath.expInPlace(work, 0, to);
            VectorMath.expInPlace(work, w, w + to);
            VectorMath.expInPlace(work, 2 * w, 2 * w + to);
            DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
            DoubleVector perMs = DoubleVector.broadcast(SPECIES, 1e-3);
            for (int l = 0; l < to; l += SPECIES.length()) {
                DoubleVector vMax = lane(q[10], l);
                DoubleVector aeBe = lane(q[0], l);
                DoubleVector twoBe = lane(q[1], l);
                DoubleVector be2 = lane(q[2], l);
                DoubleVector d3 = aeBe.mul(vMax.div(one.add(lane(work, l)))).sub(twoBe.mul(lane(s, 3 * w + l)))
                        .sub(be2.mul(lane(s, l))).mul(perMs);
                DoubleVector d4 = aeBe.mul(lane(q[9], l).add(lane(ou, 4 * w + l)).add(lane(input, l))
                        .add(lane(q[7], l).mul(vMax.div(one.add(lane(work, w + l))))))
                        .sub(twoBe.mul(lane(s, 4 * w + l))).sub(be2.mul(lane(s, w + l))).mul(perMs);
                DoubleVector d5 = lane(q[3], l).mul(vMax.div(one.add(lane(work, 2 * w + l))))
                        .sub(lane(q[4], l).mul(lane(s, 5 * w + l))).sub(lane(q[5], l).mul(lane(s, 2 * w + l)))
                        .mul(perMs);
                // y0..y2 move with the old y3..y5, then y3..y5 with their derivatives
                for (int k = 0; k < 3; k++) {
                    lane(s, k * w + l).add(lane(s, (k + 3) * w + l).mul(perMs).mul(dt)).intoArray(s, k * w + l);
                }
                lane(s, 3 * w + l).add(d3.mul(dt)).intoArray(s, 3 * w + l);
                lane(s, 4 * w + l).add(d4.mul(dt)).intoArray(s, 4 * w + l);
                lane(s, 5 * w + l).add(d5.mul(dt)).intoArray(s, 5 * w + l);
                // the coupled value and BOLD input: S(y1 - y2) of the new state
                lane(q[11], l).mul(lane(q[12], l).sub(lane(s, w + l).sub(lane(s, 2 * w + l))))
                        .intoArray(work, 3 * w + l);
            }
            VectorMath.expInPlace(work, 3 * w, 3 * w + to);
            for (int l = 0; l < to; l += SPECIES.length()) {
                DoubleVector sNew = lane(q[10], l).div(one.add(DoubleVector.fromArray(SPECIES, work, 3 * w + l)));
                sNew.intoArray(cv, l);
                sNew.intoArray(z, zBase + l);
            }
        };
    }

    private static DoubleVector lane(double[] a, int l) {
        return DoubleVector.fromArray(SPECIES, a, l);
    }
}
