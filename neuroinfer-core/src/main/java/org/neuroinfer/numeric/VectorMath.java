package org.neuroinfer.numeric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementary functions on SIMD vectors built only from IEEE-exact operations (add, multiply, fused multiply-add,
 * min/max, bit reinterpretation), so interpreted, C1- and C2-compiled code give the same bits on every lane count.
 */
public final class VectorMath {
    /** The lane layout every batch kernel uses. */
    public static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private static final double LOG2E = 1.4426950408889634;
    private static final double SHIFT = 0x1.8p52;
    private static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
    // fdlibm's two-part ln 2: n * LN2_HI is exact for |n| < 2^11
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double[] INV_FACTORIAL = new double[14];

    static {
        double f = 1;
        for (int i = 0; i < INV_FACTORIAL.length; i++) {
            if (i > 0) {
                f *= i;
            }
            INV_FACTORIAL[i] = 1.0 / f;
        }
    }

    private VectorMath() {
    }

    /**
     * e^x per lane, within 2 ulp of the correctly rounded value; +Inf above 709.78, 0 below -745, NaN stays NaN.
     * Two shortcuts give the same bits as the general path: when every lane has n = round(x / ln 2) = 0 the
     * scaling is the identity, and when every |n| is at most 1020 one power-of-two scale is as exact
     * as two.
     */
    public static DoubleVector exp(DoubleVector x) {
        VectorSpecies<Double> sp = x.species();
        DoubleVector xc = x.min(710.0).max(-746.0);
        DoubleVector n = xc.fma(DoubleVector.broadcast(sp, LOG2E), DoubleVector.broadcast(sp, SHIFT)).sub(SHIFT);
        DoubleVector negN = n.neg();
        DoubleVector r = negN.fma(DoubleVector.broadcast(sp, LN2_HI), xc);
        r = negN.fma(DoubleVector.broadcast(sp, LN2_LO), r);
        DoubleVector p = polynomial(r);
        if (!n.compare(VectorOperators.NE, 0.0).anyTrue()) {
            return p; // n = 0 in every lane: r = x exactly and the scale is 1
        }
        if (!n.abs().compare(VectorOperators.GT, 1020.0).anyTrue()) {
            return p.mul(pow2(n));
        }
        // 2^n as 2^h * 2^(n-h) with h = n/2 rounded, so each factor is a normal number
        DoubleVector h = n.fma(DoubleVector.broadcast(sp, 0.5), DoubleVector.broadcast(sp, SHIFT)).sub(SHIFT);
        return p.mul(pow2(h)).mul(pow2(n.sub(h)));
    }

    /** Taylor polynomial of e^r to degree 13, accurate to 1 ulp for |r| <= ln(2)/2. */
    private static DoubleVector polynomial(DoubleVector r) {
        VectorSpecies<Double> sp = r.species();
        DoubleVector p = DoubleVector.broadcast(sp, INV_FACTORIAL[13]);
        for (int i = 12; i >= 0; i--) {
            p = p.fma(r, DoubleVector.broadcast(sp, INV_FACTORIAL[i]));
        }
        return p;
    }

    /** 2^m for integral m in [-1022, 1023] held as doubles. */
    private static DoubleVector pow2(DoubleVector m) {
        LongVector bits = m.add(SHIFT).reinterpretAsLongs().sub(SHIFT_BITS).add(1023L)
                .lanewise(VectorOperators.LSHL, 52L);
        return bits.reinterpretAsDoubles();
    }

    /**
     * In place over {@code a[from, to)}: a = vMax / (1 + exp(a)), the logistic firing-rate curve applied to
     * precomputed arguments; {@code to - from} must be a multiple of the species length.
     */
    public static void logistic(double[] a, int from, int to, double vMax) {
        DoubleVector vm = DoubleVector.broadcast(SPECIES, vMax);
        for (int i = from; i < to; i += SPECIES.length()) {
            DoubleVector e = exp(DoubleVector.fromArray(SPECIES, a, i));
            vm.div(e.add(1.0)).intoArray(a, i);
        }
    }

    /** Scalar e^x with the same bits as one lane of {@link #exp(DoubleVector)}. */
    public static double exp(double x) {
        DoubleVector v = DoubleVector.broadcast(SPECIES, x);
        return exp(v).lane(0);
    }

    /** The smallest multiple of the species length that holds {@code n} lanes. */
    public static int padToSpecies(int n) {
        int len = SPECIES.length();
        return (n + len - 1) / len * len;
    }
}
