package org.neuroinfer.numeric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on complex vectors stored split (real and imaginary parts in separate arrays), on SIMD vectors. The
 * element-wise ones compute every entry with the scalar expression's operations in its order, and the reductions
 * use a fixed lane count summed in a fixed order, so results do not depend on the machine's SIMD width.
 */
public final class ComplexVectors {
    private static final VectorSpecies<Double> SP = VectorMath.SPECIES;
    // reductions use a fixed lane count, so their summation order is the same on every CPU
    private static final VectorSpecies<Double> DOT = DoubleVector.SPECIES_256;

    private ComplexVectors() {
    }

    /**
     * y ← y − a·x over {@code len} complex entries (x conjugated with {@code conj}), on SIMD vectors: every entry is
     * computed with the scalar expression's operations in its order, so the bits do not depend on the lane count.
     */
    public static void subtractScaled(double[] yr, double[] yi, int yo, double[] xr, double[] xi, int xo, int len,
                                       double ar, double ai, boolean conj) {
        int j = 0;
        DoubleVector va = DoubleVector.broadcast(SP, ar);
        DoubleVector vb = DoubleVector.broadcast(SP, ai);
        for (int bound = SP.loopBound(len); j < bound; j += SP.length()) {
            DoubleVector pr = DoubleVector.fromArray(SP, xr, xo + j);
            DoubleVector pi = DoubleVector.fromArray(SP, xi, xo + j);
            if (conj) {
                pi = pi.neg();
            }
            DoubleVector.fromArray(SP, yr, yo + j).sub(va.mul(pr).sub(vb.mul(pi))).intoArray(yr, yo + j);
            DoubleVector.fromArray(SP, yi, yo + j).sub(va.mul(pi).add(vb.mul(pr))).intoArray(yi, yo + j);
        }
        for (; j < len; j++) {
            double pr = xr[xo + j];
            double pi = conj ? -xi[xo + j] : xi[xo + j];
            yr[yo + j] -= ar * pr - ai * pi;
            yi[yo + j] -= ar * pi + ai * pr;
        }
    }

    /**
     * y ← y − (a·x + b·u) over {@code len} complex entries, on SIMD vectors with the scalar expression's operations in
     * its order (a symmetric rank-2 update's row in one pass).
     */
    public static void subtractScaledPair(double[] yr, double[] yi, int yo, double[] xr, double[] xi, int xo,
                                          double ar, double ai, double[] ur, double[] ui, int uo, double br,
                                          double bi, int len) {
        int j = 0;
        DoubleVector var = DoubleVector.broadcast(SP, ar);
        DoubleVector vai = DoubleVector.broadcast(SP, ai);
        DoubleVector vbr = DoubleVector.broadcast(SP, br);
        DoubleVector vbi = DoubleVector.broadcast(SP, bi);
        for (int bound = SP.loopBound(len); j < bound; j += SP.length()) {
            DoubleVector pr = DoubleVector.fromArray(SP, xr, xo + j);
            DoubleVector pi = DoubleVector.fromArray(SP, xi, xo + j);
            DoubleVector qr = DoubleVector.fromArray(SP, ur, uo + j);
            DoubleVector qi = DoubleVector.fromArray(SP, ui, uo + j);
            DoubleVector re = var.mul(pr).sub(vai.mul(pi)).add(vbr.mul(qr).sub(vbi.mul(qi)));
            DoubleVector im = var.mul(pi).add(vai.mul(pr)).add(vbr.mul(qi).add(vbi.mul(qr)));
            DoubleVector.fromArray(SP, yr, yo + j).sub(re).intoArray(yr, yo + j);
            DoubleVector.fromArray(SP, yi, yo + j).sub(im).intoArray(yi, yo + j);
        }
        for (; j < len; j++) {
            double pr = xr[xo + j];
            double pi = xi[xo + j];
            double qr = ur[uo + j];
            double qi = ui[uo + j];
            yr[yo + j] -= (ar * pr - ai * pi) + (br * qr - bi * qi);
            yi[yo + j] -= (ar * pi + ai * pr) + (br * qi + bi * qr);
        }
    }

    /**
     * Σ_j a_j·b_j over {@code len} complex entries into {@code out[0]} (real) and {@code out[1]} (imaginary), with
     * four partial sums on 4-lane vectors added in a fixed order, so the bits are the same on every CPU.
     */
    public static void dot(double[] ar, double[] ai, int ao, double[] br, double[] bi, int bo, int len,
                            double[] out) {
        DoubleVector sr = DoubleVector.zero(DOT);
        DoubleVector si = DoubleVector.zero(DOT);
        int j = 0;
        for (int bound = DOT.loopBound(len); j < bound; j += DOT.length()) {
            DoubleVector xr = DoubleVector.fromArray(DOT, ar, ao + j);
            DoubleVector xi = DoubleVector.fromArray(DOT, ai, ao + j);
            DoubleVector yr = DoubleVector.fromArray(DOT, br, bo + j);
            DoubleVector yi = DoubleVector.fromArray(DOT, bi, bo + j);
            sr = sr.add(xr.mul(yr).sub(xi.mul(yi)));
            si = si.add(xr.mul(yi).add(xi.mul(yr)));
        }
        double re = (sr.lane(0) + sr.lane(1)) + (sr.lane(2) + sr.lane(3));
        double im = (si.lane(0) + si.lane(1)) + (si.lane(2) + si.lane(3));
        for (; j < len; j++) {
            re += ar[ao + j] * br[bo + j] - ai[ao + j] * bi[bo + j];
            im += ar[ao + j] * bi[bo + j] + ai[ao + j] * br[bo + j];
        }
        out[0] = re;
        out[1] = im;
    }
}
