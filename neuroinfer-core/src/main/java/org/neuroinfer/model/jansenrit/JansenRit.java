package org.neuroinfer.model.jansenrit;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.model.SinglePrecisionEuler;
import org.neuroinfer.numeric.FloatVectorMath;
import org.neuroinfer.numeric.VectorMath;
import org.neuroinfer.param.ParameterSpace;

/**
 * The Jansen-Rit neural mass model of one cortical source as the seed benchmark defines it (Jansen &amp; Rit 1995,
 * Biol. Cybern. 73:357; Tilwani &amp; O'Reilly, arXiv 2406.05002, package deepjr):
 *
 * <pre>
 * S(v)   = v_max / (1 + exp(r (v_0 - v)))            C_k = a_k C
 * dy3/dt = A_e b_e (Ii(t) + S(y1 - y2))            - 2 b_e y3 - b_e^2 y0
 * dy4/dt = A_e b_e (p(t) + Ip(t) + C2 S(C1 y0))    - 2 b_e y4 - b_e^2 y1
 * dy5/dt = A_i b_i (Ip(t) + C4 S(C3 y0))           - 2 b_i y5 - b_i^2 y2
 * dy0..2/dt = y3..5,   output = y1 - y2
 * </pre>
 *
 * with the stimulus routing and constants of a {@link Convention}. The input p(t) = p_0 + sigma xi(t) is a constant
 * plus white noise of intensity sigma (units per sqrt(s)) integrated by the stochastic schemes.
 */
public final class JansenRit implements SinglePrecisionEuler {
    private static final VectorSpecies<Double> SP = VectorMath.SPECIES;
    private static final VectorSpecies<Float> FSP = FloatVectorMath.SPECIES;
    private static final String[] STATES = {"y0", "y1", "y2", "y3", "y4", "y5"};
    /**
     * Coefficient rows: A_e b_e, 2 b_e, b_e^2, A_i b_i, 2 b_i, b_i^2, C1, C2, C3, C4; then three scratch rows that
     * {@link #derivatives} uses for the sigmoids (the coefficient block is private to one block of lanes).
     */
    private static final int NCOEF = 10;
    private static final int SCRATCH = 3;

    private final Convention convention;
    private final double inputMean;
    private final double noiseIntensity;
    private final ParameterSpace space;

    /** The model in {@code convention} without intrinsic input (the seed's data sets). */
    public JansenRit(Convention convention) {
        this(convention, 0.0, 0.0);
    }

    /**
     * @param inputMean      constant p_0 added to the excitatory-interneuron input (pulses/s; 0 in the seed)
     * @param noiseIntensity white-noise intensity sigma of p(t) in pulses/s per sqrt(Hz); the seed's per-sample
     *                       standard deviation sd at sampling interval dt corresponds to sigma = sd sqrt(dt)
     */
    public JansenRit(Convention convention, double inputMean, double noiseIntensity) {
        if (!Double.isFinite(inputMean)) {
            throw new IllegalArgumentException("input mean p_0 must be finite, got " + inputMean);
        }
        if (!(noiseIntensity >= 0) || Double.isInfinite(noiseIntensity)) {
            throw new IllegalArgumentException("noise intensity must be finite and >= 0, got " + noiseIntensity);
        }
        this.convention = convention;
        this.inputMean = inputMean;
        this.noiseIntensity = noiseIntensity;
        this.space = convention.parameterSpace();
    }

    /** The constant convention in use. */
    public Convention convention() {
        return convention;
    }

    /** The same model with white-noise input of intensity {@code sigma} and mean {@code mean}. */
    public JansenRit withInput(double mean, double sigma) {
        return new JansenRit(convention, mean, sigma);
    }

    /** White-noise intensity sigma of the intrinsic input p(t). */
    public double noiseIntensity() {
        return noiseIntensity;
    }

    @Override
    public String name() {
        return "jansen-rit";
    }

    @Override
    public String[] stateNames() {
        return STATES.clone();
    }

    @Override
    public String[] stateUnits() {
        String v = convention.voltageUnit();
        String d = v + "/s";
        return new String[] {v, v, v, d, d, d};
    }

    @Override
    public String outputUnit() {
        return convention.voltageUnit();
    }

    @Override
    public ParameterSpace parameterSpace() {
        return space;
    }

    @Override
    public int coefficientCount() {
        return NCOEF + SCRATCH;
    }

    @Override
    public void coefficients(double[] p, double[] c, int lane, int lanes) {
        double aE = p[0];
        double aI = p[1];
        double bE = p[2];
        double bI = p[3];
        double cc = p[4];
        c[lane] = aE * bE;
        c[lanes + lane] = 2 * bE;
        c[2 * lanes + lane] = bE * bE;
        c[3 * lanes + lane] = aI * bI;
        c[4 * lanes + lane] = 2 * bI;
        c[5 * lanes + lane] = bI * bI;
        c[6 * lanes + lane] = p[5] * cc;
        c[7 * lanes + lane] = p[6] * cc;
        c[8 * lanes + lane] = p[7] * cc;
        c[9 * lanes + lane] = p[8] * cc;
    }

    @Override
    public void derivatives(double t, double[] y, double[] c, double u, double[] dy, int lanes) {
        sigmoids(y, c, lanes);
        rightHandSide(y, c, u, dy, lanes, 0, false);
    }

    /** Forward Euler fused into the last pass: y = y + h f(y) (+ noise), the same bits as the default. */
    @Override
    public void eulerStep(double t, double h, double[] y, double[] c, double u, double[] noise, double[] work,
                          int lanes) {
        sigmoids(y, c, lanes);
        rightHandSide(y, c, u, y, lanes, h, true);
        if (noise != null) {
            // (y + h f) + noise, in the default's order
            for (int i = 0; i < 6 * lanes; i++) {
                y[i] += noise[i];
            }
        }
    }

    /**
     * Passes 1 and 2: the sigmoid arguments r (v_0 - v) of the three populations into the scratch rows, then one
     * logistic loop over them. Separate small loops let C2 keep every vector in registers.
     */
    private void sigmoids(double[] y, double[] c, int lanes) {
        final Convention cv = convention;
        final int len = SP.length();
        final int z = NCOEF * lanes;
        final DoubleVector v0 = DoubleVector.broadcast(SP, cv.v0);
        for (int l = 0; l < lanes; l += len) {
            DoubleVector y0 = DoubleVector.fromArray(SP, y, l);
            DoubleVector y1 = DoubleVector.fromArray(SP, y, lanes + l);
            DoubleVector y2 = DoubleVector.fromArray(SP, y, 2 * lanes + l);
            DoubleVector c1 = DoubleVector.fromArray(SP, c, 6 * lanes + l);
            DoubleVector c3 = DoubleVector.fromArray(SP, c, 8 * lanes + l);
            v0.sub(y1.sub(y2)).mul(cv.r).intoArray(c, z + l);
            v0.sub(c1.mul(y0)).mul(cv.r).intoArray(c, z + lanes + l);
            v0.sub(c3.mul(y0)).mul(cv.r).intoArray(c, z + 2 * lanes + l);
        }
        VectorMath.logistic(c, z, z + 3 * lanes, cv.vMax);
    }

    /**
     * Pass 3: the right-hand side from the states and sigmoids; stored into {@code out}, or, with {@code apply},
     * applied as y + h dy into {@code out} (which is then y itself).
     */
    private void rightHandSide(double[] y, double[] c, double u, double[] out, int lanes, double h, boolean apply) {
        final Convention cv = convention;
        final double iPyr = cv.inPyramidal * u;
        final double iExc = inputMean + cv.inExcitatory * u;
        final double iInh = cv.inInhibitory * u;
        final int len = SP.length();
        final int z = NCOEF * lanes;
        for (int l = 0; l < lanes; l += len) {
            DoubleVector y0 = DoubleVector.fromArray(SP, y, l);
            DoubleVector y1 = DoubleVector.fromArray(SP, y, lanes + l);
            DoubleVector y2 = DoubleVector.fromArray(SP, y, 2 * lanes + l);
            DoubleVector y3 = DoubleVector.fromArray(SP, y, 3 * lanes + l);
            DoubleVector y4 = DoubleVector.fromArray(SP, y, 4 * lanes + l);
            DoubleVector y5 = DoubleVector.fromArray(SP, y, 5 * lanes + l);
            DoubleVector aeBe = DoubleVector.fromArray(SP, c, l);
            DoubleVector twoBe = DoubleVector.fromArray(SP, c, lanes + l);
            DoubleVector be2 = DoubleVector.fromArray(SP, c, 2 * lanes + l);
            DoubleVector aiBi = DoubleVector.fromArray(SP, c, 3 * lanes + l);
            DoubleVector twoBi = DoubleVector.fromArray(SP, c, 4 * lanes + l);
            DoubleVector bi2 = DoubleVector.fromArray(SP, c, 5 * lanes + l);
            DoubleVector c2 = DoubleVector.fromArray(SP, c, 7 * lanes + l);
            DoubleVector c4 = DoubleVector.fromArray(SP, c, 9 * lanes + l);
            DoubleVector sPyr = DoubleVector.fromArray(SP, c, z + l);
            DoubleVector sExc = DoubleVector.fromArray(SP, c, z + lanes + l);
            DoubleVector sInh = DoubleVector.fromArray(SP, c, z + 2 * lanes + l);
            DoubleVector d3 = aeBe.mul(sPyr.add(iPyr)).sub(twoBe.mul(y3)).sub(be2.mul(y0));
            DoubleVector d4 = aeBe.mul(c2.mul(sExc).add(iExc)).sub(twoBe.mul(y4)).sub(be2.mul(y1));
            DoubleVector d5 = aiBi.mul(c4.mul(sInh).add(iInh)).sub(twoBi.mul(y5)).sub(bi2.mul(y2));
            if (apply) {
                y0.add(y3.mul(h)).intoArray(out, l);
                y1.add(y4.mul(h)).intoArray(out, lanes + l);
                y2.add(y5.mul(h)).intoArray(out, 2 * lanes + l);
                y3.add(d3.mul(h)).intoArray(out, 3 * lanes + l);
                y4.add(d4.mul(h)).intoArray(out, 4 * lanes + l);
                y5.add(d5.mul(h)).intoArray(out, 5 * lanes + l);
            } else {
                y3.intoArray(out, l);
                y4.intoArray(out, lanes + l);
                y5.intoArray(out, 2 * lanes + l);
                d3.intoArray(out, 3 * lanes + l);
                d4.intoArray(out, 4 * lanes + l);
                d5.intoArray(out, 5 * lanes + l);
            }
        }
    }

    @Override
    public boolean eulerStep(float h, float[] y, float[] c, float u, float[] noise, int lanes) {
        sigmoids(y, c, lanes);
        boolean mayHoldNonFinite = eulerPass(y, c, u, lanes, h);
        if (noise != null) {
            for (int i = 0; i < 6 * lanes; i++) {
                y[i] += noise[i];
            }
            mayHoldNonFinite = FloatVectorMath.mayHoldNonFinite(y, 6, lanes);
        }
        return mayHoldNonFinite;
    }

    /** {@link #sigmoids(double[], double[], int)} in single precision. */
    private void sigmoids(float[] y, float[] c, int lanes) {
        final Convention cv = convention;
        final int len = FSP.length();
        final int z = NCOEF * lanes;
        final FloatVector v0 = FloatVector.broadcast(FSP, (float) cv.v0);
        final float r = (float) cv.r;
        for (int l = 0; l < lanes; l += len) {
            FloatVector y0 = FloatVector.fromArray(FSP, y, l);
            FloatVector y1 = FloatVector.fromArray(FSP, y, lanes + l);
            FloatVector y2 = FloatVector.fromArray(FSP, y, 2 * lanes + l);
            FloatVector c1 = FloatVector.fromArray(FSP, c, 6 * lanes + l);
            FloatVector c3 = FloatVector.fromArray(FSP, c, 8 * lanes + l);
            v0.sub(y1.sub(y2)).mul(r).intoArray(c, z + l);
            v0.sub(c1.mul(y0)).mul(r).intoArray(c, z + lanes + l);
            v0.sub(c3.mul(y0)).mul(r).intoArray(c, z + 2 * lanes + l);
        }
        FloatVectorMath.logistic(c, z, z + 3 * lanes, (float) cv.vMax);
    }

    /**
     * The right-hand side applied as y + h dy, in single precision (pass 3 of the float step); whether the new state
     * may hold a NaN or an infinity, tested as {@link FloatVectorMath#mayHoldNonFinite} tests it, on the vectors as
     * they are stored.
     */
    private boolean eulerPass(float[] y, float[] c, float u, int lanes, float h) {
        final Convention cv = convention;
        final float iPyr = (float) cv.inPyramidal * u;
        final float iExc = (float) inputMean + (float) cv.inExcitatory * u;
        final float iInh = (float) cv.inInhibitory * u;
        final int len = FSP.length();
        final int z = NCOEF * lanes;
        FloatVector bad = FloatVector.zero(FSP);
        for (int l = 0; l < lanes; l += len) {
            FloatVector y0 = FloatVector.fromArray(FSP, y, l);
            FloatVector y1 = FloatVector.fromArray(FSP, y, lanes + l);
            FloatVector y2 = FloatVector.fromArray(FSP, y, 2 * lanes + l);
            FloatVector y3 = FloatVector.fromArray(FSP, y, 3 * lanes + l);
            FloatVector y4 = FloatVector.fromArray(FSP, y, 4 * lanes + l);
            FloatVector y5 = FloatVector.fromArray(FSP, y, 5 * lanes + l);
            FloatVector aeBe = FloatVector.fromArray(FSP, c, l);
            FloatVector twoBe = FloatVector.fromArray(FSP, c, lanes + l);
            FloatVector be2 = FloatVector.fromArray(FSP, c, 2 * lanes + l);
            FloatVector aiBi = FloatVector.fromArray(FSP, c, 3 * lanes + l);
            FloatVector twoBi = FloatVector.fromArray(FSP, c, 4 * lanes + l);
            FloatVector bi2 = FloatVector.fromArray(FSP, c, 5 * lanes + l);
            FloatVector c2 = FloatVector.fromArray(FSP, c, 7 * lanes + l);
            FloatVector c4 = FloatVector.fromArray(FSP, c, 9 * lanes + l);
            FloatVector sPyr = FloatVector.fromArray(FSP, c, z + l);
            FloatVector sExc = FloatVector.fromArray(FSP, c, z + lanes + l);
            FloatVector sInh = FloatVector.fromArray(FSP, c, z + 2 * lanes + l);
            FloatVector d3 = aeBe.mul(sPyr.add(iPyr)).sub(twoBe.mul(y3)).sub(be2.mul(y0));
            FloatVector d4 = aeBe.mul(c2.mul(sExc).add(iExc)).sub(twoBe.mul(y4)).sub(be2.mul(y1));
            FloatVector d5 = aiBi.mul(c4.mul(sInh).add(iInh)).sub(twoBi.mul(y5)).sub(bi2.mul(y2));
            FloatVector n0 = y0.add(y3.mul(h));
            FloatVector n1 = y1.add(y4.mul(h));
            FloatVector n2 = y2.add(y5.mul(h));
            FloatVector n3 = y3.add(d3.mul(h));
            FloatVector n4 = y4.add(d4.mul(h));
            FloatVector n5 = y5.add(d5.mul(h));
            n0.intoArray(y, l);
            n1.intoArray(y, lanes + l);
            n2.intoArray(y, 2 * lanes + l);
            n3.intoArray(y, 3 * lanes + l);
            n4.intoArray(y, 4 * lanes + l);
            n5.intoArray(y, 5 * lanes + l);
            FloatVector acc = n0.add(n1).add(n2).add(n3).add(n4).add(n5);
            bad = bad.add(acc.sub(acc));
        }
        return bad.reduceLanes(VectorOperators.ADD) != 0f;
    }

    @Override
    public void output(double[] y, double[] out, int lanes) {
        // explicit vectors: C2 does not vectorise a loop over two offsets of one array into another
        int l = 0;
        for (; l + SP.length() <= lanes; l += SP.length()) {
            DoubleVector.fromArray(SP, y, lanes + l).sub(DoubleVector.fromArray(SP, y, 2 * lanes + l))
                    .intoArray(out, l);
        }
        for (; l < lanes; l++) {
            out[l] = y[lanes + l] - y[2 * lanes + l];
        }
    }

    /**
     * y1 − y2 from the float state, each widened to double before the subtraction (the bits of widening the rows and
     * calling {@link #output(double[], double[], int)}), 16 lanes at a time with two vector conversions per row.
     */
    @Override
    public void output(float[] y, double[] out, int lanes) {
        int len = FSP.length();
        int half = SP.length();
        int l = 0;
        for (; l + len <= lanes && 2 * half == len; l += len) {
            FloatVector y1 = FloatVector.fromArray(FSP, y, lanes + l);
            FloatVector y2 = FloatVector.fromArray(FSP, y, 2 * lanes + l);
            for (int part = 0; part < 2; part++) {
                DoubleVector a = (DoubleVector) y1.convertShape(VectorOperators.F2D, SP, part);
                DoubleVector b = (DoubleVector) y2.convertShape(VectorOperators.F2D, SP, part);
                a.sub(b).intoArray(out, l + part * half);
            }
        }
        for (; l < lanes; l++) {
            out[l] = (double) y[lanes + l] - (double) y[2 * lanes + l];
        }
    }

    @Override
    public int[] outputRows() {
        return new int[] {1, 2};
    }

    @Override
    public boolean diffusion(double[] c, double[] g, int lanes) {
        if (noiseIntensity == 0) {
            return false;
        }
        java.util.Arrays.fill(g, 0, 6 * lanes, 0.0);
        for (int l = 0; l < lanes; l++) {
            g[4 * lanes + l] = c[l] * noiseIntensity;
        }
        return true;
    }
}
