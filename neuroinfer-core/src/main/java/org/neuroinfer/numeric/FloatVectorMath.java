package org.neuroinfer.numeric;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-precision twins of {@link VectorMath}'s elementary functions, for kernels that trade accuracy for twice
 * the lanes per vector. Built like them from IEEE-exact operations only, so every lane count, tier and thread gives
 * the same bits.
 */
public final class FloatVectorMath {
    /** The lane layout of single-precision batch kernels: twice {@link VectorMath#SPECIES}'s lanes. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** The int lanes of {@link #SPECIES}'s shape, as a constant (see {@link VectorMath}'s long lanes for why). */
    private static final VectorSpecies<Integer> INTS = SPECIES.withLanes(int.class);

    private static final float LOG2E = 1.44269504f;
    private static final float SHIFT = 0x1.8p23f;
    private static final int SHIFT_BITS = Float.floatToRawIntBits(SHIFT);
    // Cody and Waite's two-part ln 2 for single precision (as in Cephes' expf): n * LN2_HI is exact for |n| < 2^14
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float[] INV_FACTORIAL = new float[8];

    static {
        double f = 1;
        for (int i = 0; i < INV_FACTORIAL.length; i++) {
            if (i > 0) {
                f *= i;
            }
            INV_FACTORIAL[i] = (float) (1.0 / f);
        }
    }

    private FloatVectorMath() {
    }

    /**
     * In place over {@code a[from, to)}: a = e^a in single precision, within 2 ulp of the correctly rounded value
     * for normal results; +Inf above 88.73, 0 below -103.98, NaN stays NaN. {@code to - from} must be a multiple of
     * the species length. The Taylor polynomial of degree 7 on |r| &le; ln(2)/2 leaves a truncation error of
     * 5.5e-9, a tenth of an ulp; the scale 2^n is applied as 2^h &middot; 2^(n-h), as in {@link VectorMath}.
     */
    public static void expInPlace(float[] a, int from, int to) {
        exp(a, from, to, false, 0f);
    }

    /**
     * In place over {@code a[from, to)}: a = vMax / (1 + exp(a)), the logistic firing-rate curve applied to
     * precomputed arguments; {@code to - from} must be a multiple of the species length. The bits of
     * {@link #expInPlace} and then the division, in one pass.
     */
    public static void logistic(float[] a, int from, int to, float vMax) {
        exp(a, from, to, true, vMax);
    }

    /**
     * The loop of {@link #expInPlace} and {@link #logistic}, laid out as {@link VectorMath}'s: two vectors per
     * iteration (the second is the first again when one is left), every constant broadcast once before the loop.
     */
    private static void exp(float[] a, int from, int to, boolean logistic, float vMax) {
        final VectorSpecies<Float> sp = SPECIES;
        final int len = sp.length();
        final FloatVector log2e = FloatVector.broadcast(sp, LOG2E);
        final FloatVector shift = FloatVector.broadcast(sp, SHIFT);
        final FloatVector half = FloatVector.broadcast(sp, 0.5f);
        final FloatVector ln2Hi = FloatVector.broadcast(sp, LN2_HI);
        final FloatVector ln2Lo = FloatVector.broadcast(sp, LN2_LO);
        final FloatVector vm = FloatVector.broadcast(sp, vMax);
        final FloatVector f0 = FloatVector.broadcast(sp, INV_FACTORIAL[0]);
        final FloatVector f1 = FloatVector.broadcast(sp, INV_FACTORIAL[1]);
        final FloatVector f2 = FloatVector.broadcast(sp, INV_FACTORIAL[2]);
        final FloatVector f3 = FloatVector.broadcast(sp, INV_FACTORIAL[3]);
        final FloatVector f4 = FloatVector.broadcast(sp, INV_FACTORIAL[4]);
        final FloatVector f5 = FloatVector.broadcast(sp, INV_FACTORIAL[5]);
        final FloatVector f6 = FloatVector.broadcast(sp, INV_FACTORIAL[6]);
        final FloatVector f7 = FloatVector.broadcast(sp, INV_FACTORIAL[7]);
        for (int i = from; i < to; i += 2 * len) {
            final int j = Math.min(i + len, to - len);
            FloatVector x = FloatVector.fromArray(sp, a, i).min(89f).max(-104f);
            FloatVector y = FloatVector.fromArray(sp, a, j).min(89f).max(-104f);
            FloatVector nx = x.fma(log2e, shift).sub(SHIFT);
            FloatVector ny = y.fma(log2e, shift).sub(SHIFT);
            FloatVector negNx = nx.neg();
            FloatVector negNy = ny.neg();
            FloatVector rx = negNx.fma(ln2Lo, negNx.fma(ln2Hi, x));
            FloatVector ry = negNy.fma(ln2Lo, negNy.fma(ln2Hi, y));
            FloatVector px = f7.fma(rx, f6).fma(rx, f5).fma(rx, f4).fma(rx, f3).fma(rx, f2).fma(rx, f1).fma(rx, f0);
            FloatVector py = f7.fma(ry, f6).fma(ry, f5).fma(ry, f4).fma(ry, f3).fma(ry, f2).fma(ry, f1).fma(ry, f0);
            // 2^m (integral m in [-126, 127]) as bits((m + 127) << 23), written out as in VectorMath's loop
            FloatVector hx = nx.fma(half, shift).sub(SHIFT);
            FloatVector hy = ny.fma(half, shift).sub(SHIFT);
            IntVector bitsHx = (IntVector) hx.add(SHIFT).reinterpretShape(INTS, 0);
            IntVector bitsHy = (IntVector) hy.add(SHIFT).reinterpretShape(INTS, 0);
            IntVector bitsRestX = (IntVector) nx.sub(hx).add(SHIFT).reinterpretShape(INTS, 0);
            IntVector bitsRestY = (IntVector) ny.sub(hy).add(SHIFT).reinterpretShape(INTS, 0);
            px = px.mul((FloatVector) bitsHx.sub(SHIFT_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretShape(sp, 0))
                    .mul((FloatVector) bitsRestX.sub(SHIFT_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretShape(sp, 0));
            py = py.mul((FloatVector) bitsHy.sub(SHIFT_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretShape(sp, 0))
                    .mul((FloatVector) bitsRestY.sub(SHIFT_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretShape(sp, 0));
            if (logistic) {
                px = vm.div(px.add(1f));
                py = vm.div(py.add(1f));
            }
            px.intoArray(a, i);
            py.intoArray(a, j);
        }
    }

    /** Scalar e^x with the same bits as {@link #expInPlace} gives any lane. */
    public static float exp(float x) {
        float[] a = new float[SPECIES.length()];
        java.util.Arrays.fill(a, x);
        expInPlace(a, 0, a.length);
        return a[0];
    }

    /** The smallest multiple of the species length that holds {@code n} lanes. */
    public static int padToSpecies(int n) {
        return VectorMath.padTo(n, SPECIES);
    }

    /**
     * Whether the state {@code y} [dim x lanes] may hold a NaN or an infinity: per lane group the sum of the rows,
     * minus itself, is 0 for finite values and NaN otherwise (or for a sum that overflowed: a false alarm an exact
     * test then clears), and a NaN stays in the running sum. One lane sum at the end rather than a mask test, so
     * the float path shares no mask code with the double path's (on JDK 17, sharing it could cost a later double
     * run in the same JVM its vector code).
     */
    public static boolean mayHoldNonFinite(float[] y, int dim, int lanes) {
        final int len = SPECIES.length();
        FloatVector bad = FloatVector.zero(SPECIES);
        for (int l = 0; l < lanes; l += len) {
            FloatVector acc = FloatVector.fromArray(SPECIES, y, l);
            for (int i = 1; i < dim; i++) {
                acc = acc.add(FloatVector.fromArray(SPECIES, y, i * lanes + l));
            }
            bad = bad.add(acc.sub(acc));
        }
        return bad.reduceLanes(VectorOperators.ADD) != 0f;
    }
}
