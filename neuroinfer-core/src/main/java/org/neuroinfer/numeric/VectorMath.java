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
    /**
     * The long lanes of {@link #SPECIES}'s shape, as a constant. A bit cast through {@code reinterpretAsLongs()}
     * finds its target species at run time, and on JDK 17 C2 could not always fold it ("missing constant" in
     * {@code -XX:+PrintIntrinsics}): the cast then ran as the library's allocating fallback, in about half the
     * runs of the Jansen-Rit batch (2&times; the time, 3&times; the memory).
     */
    private static final VectorSpecies<Long> LONGS = SPECIES.withLanes(long.class);

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
     * y[yo, yo + n) += a · x[xo, xo + n), each element by one fused multiply-add: the same bits at every lane
     * count, vector or scalar tail.
     */
    public static void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        DoubleVector av = DoubleVector.broadcast(SPECIES, a);
        for (; i < bound; i += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, x, xo + i).fma(av, DoubleVector.fromArray(SPECIES, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
        }
    }

    /**
     * Z += A W for row-major blocks: z[zo + r·ldz + k] += Σ_j a[ao + r·lda + j] · w[wo + j·ldw + k] for r in [0,
     * rows), k in [0, n), j in [0, inner). Each element takes one fused multiply-add per j, in increasing j, so the
     * bits are those of {@link #axpy} called row after row, at every lane count; tiles of 4 rows by 2 vectors keep
     * their sums in registers, so a weight row loaded once serves four rows of A.
     */
    public static void multiplyAdd(double[] a, int ao, int lda, int rows, int inner, double[] w, int wo, int ldw,
                                   double[] z, int zo, int ldz, int n) {
        final VectorSpecies<Double> sp = SPECIES;
        final int len = sp.length();
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a0 = ao + r * lda;
            int z0 = zo + r * ldz;
            int k = 0;
            for (; k + 2 * len <= n; k += 2 * len) {
                DoubleVector c00 = DoubleVector.fromArray(sp, z, z0 + k);
                DoubleVector c01 = DoubleVector.fromArray(sp, z, z0 + k + len);
                DoubleVector c10 = DoubleVector.fromArray(sp, z, z0 + ldz + k);
                DoubleVector c11 = DoubleVector.fromArray(sp, z, z0 + ldz + k + len);
                DoubleVector c20 = DoubleVector.fromArray(sp, z, z0 + 2 * ldz + k);
                DoubleVector c21 = DoubleVector.fromArray(sp, z, z0 + 2 * ldz + k + len);
                DoubleVector c30 = DoubleVector.fromArray(sp, z, z0 + 3 * ldz + k);
                DoubleVector c31 = DoubleVector.fromArray(sp, z, z0 + 3 * ldz + k + len);
                for (int j = 0; j < inner; j++) {
                    int wj = wo + j * ldw + k;
                    DoubleVector w0 = DoubleVector.fromArray(sp, w, wj);
                    DoubleVector w1 = DoubleVector.fromArray(sp, w, wj + len);
                    DoubleVector b0 = DoubleVector.broadcast(sp, a[a0 + j]);
                    DoubleVector b1 = DoubleVector.broadcast(sp, a[a0 + lda + j]);
                    DoubleVector b2 = DoubleVector.broadcast(sp, a[a0 + 2 * lda + j]);
                    DoubleVector b3 = DoubleVector.broadcast(sp, a[a0 + 3 * lda + j]);
                    c00 = w0.fma(b0, c00);
                    c01 = w1.fma(b0, c01);
                    c10 = w0.fma(b1, c10);
                    c11 = w1.fma(b1, c11);
                    c20 = w0.fma(b2, c20);
                    c21 = w1.fma(b2, c21);
                    c30 = w0.fma(b3, c30);
                    c31 = w1.fma(b3, c31);
                }
                c00.intoArray(z, z0 + k);
                c01.intoArray(z, z0 + k + len);
                c10.intoArray(z, z0 + ldz + k);
                c11.intoArray(z, z0 + ldz + k + len);
                c20.intoArray(z, z0 + 2 * ldz + k);
                c21.intoArray(z, z0 + 2 * ldz + k + len);
                c30.intoArray(z, z0 + 3 * ldz + k);
                c31.intoArray(z, z0 + 3 * ldz + k + len);
            }
            for (; k + len <= n; k += len) {
                DoubleVector c0 = DoubleVector.fromArray(sp, z, z0 + k);
                DoubleVector c1 = DoubleVector.fromArray(sp, z, z0 + ldz + k);
                DoubleVector c2 = DoubleVector.fromArray(sp, z, z0 + 2 * ldz + k);
                DoubleVector c3 = DoubleVector.fromArray(sp, z, z0 + 3 * ldz + k);
                for (int j = 0; j < inner; j++) {
                    DoubleVector w0 = DoubleVector.fromArray(sp, w, wo + j * ldw + k);
                    c0 = w0.fma(DoubleVector.broadcast(sp, a[a0 + j]), c0);
                    c1 = w0.fma(DoubleVector.broadcast(sp, a[a0 + lda + j]), c1);
                    c2 = w0.fma(DoubleVector.broadcast(sp, a[a0 + 2 * lda + j]), c2);
                    c3 = w0.fma(DoubleVector.broadcast(sp, a[a0 + 3 * lda + j]), c3);
                }
                c0.intoArray(z, z0 + k);
                c1.intoArray(z, z0 + ldz + k);
                c2.intoArray(z, z0 + 2 * ldz + k);
                c3.intoArray(z, z0 + 3 * ldz + k);
            }
            // the last columns, fewer than a vector: four independent chains per column
            for (; k < n; k++) {
                double s0 = z[z0 + k];
                double s1 = z[z0 + ldz + k];
                double s2 = z[z0 + 2 * ldz + k];
                double s3 = z[z0 + 3 * ldz + k];
                for (int j = 0; j < inner; j++) {
                    double wj = w[wo + j * ldw + k];
                    s0 = Math.fma(a[a0 + j], wj, s0);
                    s1 = Math.fma(a[a0 + lda + j], wj, s1);
                    s2 = Math.fma(a[a0 + 2 * lda + j], wj, s2);
                    s3 = Math.fma(a[a0 + 3 * lda + j], wj, s3);
                }
                z[z0 + k] = s0;
                z[z0 + ldz + k] = s1;
                z[z0 + 2 * ldz + k] = s2;
                z[z0 + 3 * ldz + k] = s3;
            }
        }
        for (; r < rows; r++) {
            for (int j = 0; j < inner; j++) {
                axpy(a[ao + r * lda + j], w, wo + j * ldw, z, zo + r * ldz, n);
            }
        }
    }

    /**
     * In place over {@code a[from, to)}: a = e^a, within 2 ulp of the correctly rounded value; +Inf above 709.78,
     * 0 below -745, NaN stays NaN. {@code to - from} must be a multiple of the species length.
     *
     * <p>The loop has no data-dependent branch: the two-factor scale costs no measurable time and gives the bits a
     * single scale gives wherever one suffices (2^h and 2^(n-h) are normal, so the first product is exact and the
     * second rounds once), and every lane takes the same compiled path.
     */
    public static void expInPlace(double[] a, int from, int to) {
        exp(a, from, to, false, 0);
    }

    /**
     * In place over {@code a[from, to)}: a = vMax / (1 + exp(a)), the logistic firing-rate curve applied to
     * precomputed arguments; {@code to - from} must be a multiple of the species length. The bits of
     * {@link #expInPlace} and then the division, in one pass.
     */
    public static void logistic(double[] a, int from, int to, double vMax) {
        exp(a, from, to, true, vMax);
    }

    /**
     * The loop of {@link #expInPlace} and {@link #logistic}: two vectors per iteration (the second is the first
     * again when one is left), every constant broadcast once before the loop.
     */
    private static void exp(double[] a, int from, int to, boolean logistic, double vMax) {
        final VectorSpecies<Double> sp = SPECIES;
        final int len = sp.length();
        final DoubleVector log2e = DoubleVector.broadcast(sp, LOG2E);
        final DoubleVector shift = DoubleVector.broadcast(sp, SHIFT);
        final DoubleVector half = DoubleVector.broadcast(sp, 0.5);
        final DoubleVector ln2Hi = DoubleVector.broadcast(sp, LN2_HI);
        final DoubleVector ln2Lo = DoubleVector.broadcast(sp, LN2_LO);
        final DoubleVector vm = DoubleVector.broadcast(sp, vMax);
        // Taylor polynomial of degree 13, 1 ulp for |r| <= ln(2)/2: the coefficients 1/k! as named vectors, each
        // broadcast once here rather than once per vector in the loop (an array would hold them as boxed objects)
        final DoubleVector f0 = DoubleVector.broadcast(sp, INV_FACTORIAL[0]);
        final DoubleVector f1 = DoubleVector.broadcast(sp, INV_FACTORIAL[1]);
        final DoubleVector f2 = DoubleVector.broadcast(sp, INV_FACTORIAL[2]);
        final DoubleVector f3 = DoubleVector.broadcast(sp, INV_FACTORIAL[3]);
        final DoubleVector f4 = DoubleVector.broadcast(sp, INV_FACTORIAL[4]);
        final DoubleVector f5 = DoubleVector.broadcast(sp, INV_FACTORIAL[5]);
        final DoubleVector f6 = DoubleVector.broadcast(sp, INV_FACTORIAL[6]);
        final DoubleVector f7 = DoubleVector.broadcast(sp, INV_FACTORIAL[7]);
        final DoubleVector f8 = DoubleVector.broadcast(sp, INV_FACTORIAL[8]);
        final DoubleVector f9 = DoubleVector.broadcast(sp, INV_FACTORIAL[9]);
        final DoubleVector f10 = DoubleVector.broadcast(sp, INV_FACTORIAL[10]);
        final DoubleVector f11 = DoubleVector.broadcast(sp, INV_FACTORIAL[11]);
        final DoubleVector f12 = DoubleVector.broadcast(sp, INV_FACTORIAL[12]);
        final DoubleVector f13 = DoubleVector.broadcast(sp, INV_FACTORIAL[13]);
        for (int i = from; i < to; i += 2 * len) {
            final int j = Math.min(i + len, to - len);
            DoubleVector x = DoubleVector.fromArray(sp, a, i).min(710.0).max(-746.0);
            DoubleVector y = DoubleVector.fromArray(sp, a, j).min(710.0).max(-746.0);
            DoubleVector nx = x.fma(log2e, shift).sub(SHIFT);
            DoubleVector ny = y.fma(log2e, shift).sub(SHIFT);
            DoubleVector negNx = nx.neg();
            DoubleVector negNy = ny.neg();
            DoubleVector rx = negNx.fma(ln2Lo, negNx.fma(ln2Hi, x));
            DoubleVector ry = negNy.fma(ln2Lo, negNy.fma(ln2Hi, y));
            DoubleVector px = f13.fma(rx, f12).fma(rx, f11).fma(rx, f10).fma(rx, f9).fma(rx, f8).fma(rx, f7)
                    .fma(rx, f6).fma(rx, f5).fma(rx, f4).fma(rx, f3).fma(rx, f2).fma(rx, f1).fma(rx, f0);
            DoubleVector py = f13.fma(ry, f12).fma(ry, f11).fma(ry, f10).fma(ry, f9).fma(ry, f8).fma(ry, f7)
                    .fma(ry, f6).fma(ry, f5).fma(ry, f4).fma(ry, f3).fma(ry, f2).fma(ry, f1).fma(ry, f0);
            // 2^n as 2^h * 2^(n-h) with h = n/2 rounded, so each factor is a normal number over the whole range;
            // 2^m (integral m in [-1022, 1023]) is bits((m + 1023) << 52), read off the shifter's low mantissa bits.
            // Written out here, not in a helper: a vector passed to a method C2 does not inline loses its exact
            // type, and every op on it then runs as the allocating Java fallback (seen in a CI run of
            // VectorMathTest.compiledExpAllocatesNothing: 21 KB per call)
            DoubleVector hx = nx.fma(half, shift).sub(SHIFT);
            DoubleVector hy = ny.fma(half, shift).sub(SHIFT);
            LongVector bitsHx = (LongVector) hx.add(SHIFT).reinterpretShape(LONGS, 0);
            LongVector bitsHy = (LongVector) hy.add(SHIFT).reinterpretShape(LONGS, 0);
            LongVector bitsRestX = (LongVector) nx.sub(hx).add(SHIFT).reinterpretShape(LONGS, 0);
            LongVector bitsRestY = (LongVector) ny.sub(hy).add(SHIFT).reinterpretShape(LONGS, 0);
            px = px.mul((DoubleVector) bitsHx.sub(SHIFT_BITS).add(1023L).lanewise(VectorOperators.LSHL, 52L)
                    .reinterpretShape(sp, 0))
                    .mul((DoubleVector) bitsRestX.sub(SHIFT_BITS).add(1023L).lanewise(VectorOperators.LSHL, 52L)
                    .reinterpretShape(sp, 0));
            py = py.mul((DoubleVector) bitsHy.sub(SHIFT_BITS).add(1023L).lanewise(VectorOperators.LSHL, 52L)
                    .reinterpretShape(sp, 0))
                    .mul((DoubleVector) bitsRestY.sub(SHIFT_BITS).add(1023L).lanewise(VectorOperators.LSHL, 52L)
                    .reinterpretShape(sp, 0));
            if (logistic) {
                px = vm.div(px.add(1.0));
                py = vm.div(py.add(1.0));
            }
            px.intoArray(a, i);
            py.intoArray(a, j);
        }
    }

    /**
     * Scalar e^x with the same bits as {@link #expInPlace} gives any lane: the same operations in the same order
     * ({@link Math#fma} for each fused step), for the scalar tails of loops whose vector part uses
     * {@link #expInPlace}.
     */
    public static double exp(double x) {
        double c = Math.max(Math.min(x, 710.0), -746.0);
        double n = Math.fma(c, LOG2E, SHIFT) - SHIFT;
        double r = Math.fma(-n, LN2_LO, Math.fma(-n, LN2_HI, c));
        double p = INV_FACTORIAL[13];
        for (int k = 12; k >= 0; k--) {
            p = Math.fma(p, r, INV_FACTORIAL[k]);
        }
        double h = Math.fma(n, 0.5, SHIFT) - SHIFT;
        return p * pow2(h) * pow2(n - h);
    }

    private static double pow2(double m) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(m + SHIFT) - SHIFT_BITS + 1023L) << 52);
    }

    /** The smallest multiple of the species length that holds {@code n} lanes. */
    public static int padToSpecies(int n) {
        return padTo(n, SPECIES);
    }

    /** The smallest multiple of {@code species}' length that holds {@code n} lanes. */
    public static int padTo(int n, VectorSpecies<?> species) {
        int len = species.length();
        return (n + len - 1) / len * len;
    }
}
