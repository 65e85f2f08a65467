package org.neuroinfer.numeric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Eigenvalues and right eigenvectors of a dense complex (non-Hermitian) matrix, with the eigenvectors normalised
 * as LAPACK {@code zgeev} (and so numpy's {@code linalg.eig}) returns them: unit Euclidean norm, then rotated so
 * that the first entry of largest modulus is real and positive.
 *
 * <p>The algorithms are the textbook ones (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., §7.4–7.6;
 * Wilkinson, <i>The Algebraic Eigenvalue Problem</i>, ch. 9), in two paths:
 * <ul>
 * <li>{@link Path#INVERSE_ITERATION} (the default, LAPACK's {@code zhseqr('E')} + {@code zhsein} + {@code zunmhr}
 * route): reduction to upper Hessenberg form H = Qᴴ A Q by Householder reflections, eigenvalues by the implicitly
 * shifted single-shift QR iteration with Wilkinson shifts updating only the active block, each eigenvector by
 * inverse iteration on H (one Hessenberg LU per eigenvalue), back-transformed by the reflectors. If inverse
 * iteration fails to converge for some eigenvalue, the decomposition falls back to the other path.</li>
 * <li>{@link Path#SCHUR} ({@code zgeev}'s route): the same QR iteration to the full complex Schur form
 * T = Zᴴ A Z with Z accumulated, eigenvectors of T by back substitution, back-transformed by Z.</li>
 * </ul>
 * Every step is a unitary transformation (inverse iteration: a solve whose residual is of the order of ε‖H‖), so
 * both give the eigenpairs of A + E with ‖E‖ of the order of n·ε·‖A‖. No balancing. Complex numbers are stored
 * split: real and imaginary parts in separate row-major arrays.
 *
 * <p>One instance holds the work space for one matrix size and is not thread-safe; use one per thread.
 */
public final class ComplexEigen extends ComplexEigenpairs {
    private static final VectorSpecies<Double> SP = VectorMath.SPECIES;
    private static final int MAX_ITERATIONS_PER_EIGENVALUE = 60;

    private final double[] hr;
    private final double[] hi;
    // Schur vectors, transposed: row k of (zr, zi) is column k of Z
    private final double[] zr;
    private final double[] zi;
    private final double[] wr;
    private final double[] wi;
    private final double[] sr;
    private final double[] si;
    // the Hessenberg matrix before the QR iteration, and the reflectors w_k (row k, entries k+1..n-1) and β_k
    private final double[] h0r;
    private final double[] h0i;
    private final double[] refR;
    private final double[] refI;
    private final double[] refBeta;
    // the rotations of one QR sweep, for the deferred updates
    private final double[] rotC;
    private final double[] rotSr;
    private final double[] rotSi;
    private final Path path;
    private boolean fellBack;
    private final double[] dot = new double[2];

    /** How the eigenvectors are computed. */
    public enum Path {
        /** Eigenvalues by QR on the active block, eigenvectors by inverse iteration (faster). */
        INVERSE_ITERATION,
        /** Full Schur form with accumulated Schur vectors, eigenvectors by back substitution. */
        SCHUR
    }

    /** Work space for n × n matrices, computing eigenvectors by inverse iteration. */
    public ComplexEigen(int n) {
        this(n, Path.INVERSE_ITERATION);
    }

    /** Work space for n × n matrices, computing eigenvectors along {@code path}. */
    public ComplexEigen(int n, Path path) {
        super(n);
        hr = new double[n * n];
        hi = new double[n * n];
        zr = new double[n * n];
        zi = new double[n * n];
        wr = new double[n];
        wi = new double[n];
        sr = new double[n];
        si = new double[n];
        h0r = new double[n * n];
        h0i = new double[n * n];
        refR = new double[n * n];
        refI = new double[n * n];
        refBeta = new double[n];
        rotC = new double[n];
        rotSr = new double[n];
        rotSi = new double[n];
        this.path = path;
    }

    /** Whether the last decomposition had to fall back from inverse iteration to the Schur path. */
    @Override
    public boolean fellBack() {
        return fellBack;
    }

    /**
     * Decomposes A, given as real and imaginary parts, row-major ({@code a[i * n + j]}); A is not modified.
     *
     * @throws IllegalArgumentException if A holds a NaN or infinity
     * @throws ArithmeticException      if the QR iteration does not converge
     */
    public void decompose(double[] aRe, double[] aIm) {
        if (aRe.length != n * n || aIm.length != n * n) {
            throw new IllegalArgumentException("matrix has " + aRe.length + " real and " + aIm.length
                    + " imaginary entries; expected " + n * n);
        }
        for (int k = 0; k < n * n; k++) {
            if (!Double.isFinite(aRe[k]) || !Double.isFinite(aIm[k])) {
                throw new IllegalArgumentException("matrix entry (" + k / n + ", " + k % n + ") is not finite: "
                        + aRe[k] + " + " + aIm[k] + "i");
            }
        }
        System.arraycopy(aRe, 0, hr, 0, n * n);
        System.arraycopy(aIm, 0, hi, 0, n * n);
        hessenberg();
        System.arraycopy(hr, 0, h0r, 0, n * n);
        System.arraycopy(hi, 0, h0i, 0, n * n);
        fellBack = false;
        if (path == Path.INVERSE_ITERATION) {
            qr(false);
            for (int k = 0; k < n; k++) {
                valRe[k] = hr[k * n + k];
                valIm[k] = hi[k * n + k];
            }
            if (inverseIteration()) {
                applyQToAll();
                for (int k = 0; k < n; k++) {
                    normalise(k * n);
                }
                return;
            }
            fellBack = true;
            System.arraycopy(h0r, 0, hr, 0, n * n);
            System.arraycopy(h0i, 0, hi, 0, n * n);
        }
        formQ();
        qr(true);
        for (int k = 0; k < n; k++) {
            valRe[k] = hr[k * n + k];
            valIm[k] = hi[k * n + k];
        }
        eigenvectors();
    }

    // Householder reduction H = Qᴴ A Q with Hermitian reflectors P = I − β w wᴴ; Q accumulated into Z.
    private void hessenberg() {
        for (int k = 0; k < n - 2; k++) {
            double tail = 0;
            for (int i = k + 2; i < n; i++) {
                tail += hr[i * n + k] * hr[i * n + k] + hi[i * n + k] * hi[i * n + k];
            }
            if (tail == 0) {
                continue;
            }
            int p = (k + 1) * n + k;
            double x0 = Modulus.of(hr[p], hi[p]);
            double norm = Math.sqrt(tail + x0 * x0);
            double phr = x0 == 0 ? 1 : hr[p] / x0;
            double phi = x0 == 0 ? 0 : hi[p] / x0;
            for (int i = k + 1; i < n; i++) {
                wr[i] = hr[i * n + k];
                wi[i] = hi[i * n + k];
            }
            wr[k + 1] += phr * norm;
            wi[k + 1] += phi * norm;
            double beta = 1.0 / (norm * (norm + x0));
            // left: H ← P H on rows k+1..n-1, columns k+1..n-1; column k becomes −phase·norm·e_{k+1}
            java.util.Arrays.fill(sr, k + 1, n, 0);
            java.util.Arrays.fill(si, k + 1, n, 0);
            int len = n - k - 1;
            for (int i = k + 1; i < n; i++) {
                // s += conj(w_i) · H[i, k+1..]
                ComplexVectors.subtractScaled(sr, si, k + 1, hr, hi, i * n + k + 1, len, -wr[i], wi[i], false);
            }
            for (int i = k + 1; i < n; i++) {
                int row = i * n;
                ComplexVectors.subtractScaled(hr, hi, row + k + 1, sr, si, k + 1, len, beta * wr[i], beta * wi[i],
                        false);
                hr[row + k] = 0;
                hi[row + k] = 0;
            }
            hr[p] = -phr * norm;
            hi[p] = -phi * norm;
            // right: H ← H P on all rows, columns k+1..n-1
            for (int i = 0; i < n; i++) {
                int row = i * n;
                ComplexVectors.dot(hr, hi, row + k + 1, wr, wi, k + 1, n - k - 1, dot);
                double tr = dot[0];
                double ti = dot[1];
                ComplexVectors.subtractScaled(hr, hi, row + k + 1, wr, wi, k + 1, n - k - 1, tr * beta, ti * beta,
                        true);
            }
            for (int i = k + 1; i < n; i++) {
                refR[k * n + i] = wr[i];
                refI[k * n + i] = wi[i];
            }
            refBeta[k] = beta;
        }
    }

    // Z = Q = P_0 P_1 ⋯ P_{n−3}, stored transposed, accumulated backwards: Q ← P_k Q
    private void formQ() {
        double[] qr = new double[n * n];
        double[] qi = new double[n * n];
        for (int k = 0; k < n; k++) {
            qr[k * n + k] = 1;
        }
        for (int k = n - 3; k >= 0; k--) {
            if (refBeta[k] == 0) {
                continue;
            }
            java.util.Arrays.fill(sr, 0);
            java.util.Arrays.fill(si, 0);
            int base = k * n;
            for (int i = k + 1; i < n; i++) {
                double a = refR[base + i];
                double b = -refI[base + i];
                int row = i * n;
                for (int j = k + 1; j < n; j++) {
                    sr[j] += a * qr[row + j] - b * qi[row + j];
                    si[j] += a * qi[row + j] + b * qr[row + j];
                }
            }
            for (int i = k + 1; i < n; i++) {
                double a = refBeta[k] * refR[base + i];
                double b = refBeta[k] * refI[base + i];
                int row = i * n;
                for (int j = k + 1; j < n; j++) {
                    qr[row + j] -= a * sr[j] - b * si[j];
                    qi[row + j] -= a * si[j] + b * sr[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                zr[j * n + i] = qr[i * n + j];
                zi[j * n + i] = qi[i * n + j];
            }
        }
    }

    // every vector y_k ← Q y_k (P_{n−3} first, P_0 last), on Y[i][k] = y_k[i] in (zr, zi): each reflector updates
    // all vectors in contiguous passes
    private void applyQToAll() {
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                zr[i * n + k] = vecRe[k * n + i];
                zi[i * n + k] = vecIm[k * n + i];
            }
        }
        for (int p = n - 3; p >= 0; p--) {
            double beta = refBeta[p];
            if (beta == 0) {
                continue;
            }
            int base = p * n;
            java.util.Arrays.fill(sr, 0);
            java.util.Arrays.fill(si, 0);
            for (int i = p + 1; i < n; i++) {
                // t = wᴴ Y
                ComplexVectors.subtractScaled(sr, si, 0, zr, zi, i * n, n, -refR[base + i], refI[base + i], false);
            }
            for (int i = p + 1; i < n; i++) {
                ComplexVectors.subtractScaled(zr, zi, i * n, sr, si, 0, n, beta * refR[base + i],
                        beta * refI[base + i], false);
            }
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                vecRe[k * n + i] = zr[i * n + k];
                vecIm[k * n + i] = zi[i * n + k];
            }
        }
    }

    /**
     * Each eigenvector of H by inverse iteration (Wilkinson; LAPACK {@code zlaein}): LU of H − λI with partial
     * pivoting, U x = v from a flat start of size ε‖H‖, accepted once ‖x‖₁ has grown to 1/(10√n).
     *
     * @return false if some eigenvalue did not converge within n tries, or lies within ε‖H‖ of another
     */
    private boolean inverseIteration() {
        double hnorm = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = Math.max(0, i - 1); j < n; j++) {
                row += cabs1(h0r[i * n + j], h0i[i * n + j]);
            }
            hnorm = Math.max(hnorm, row);
        }
        double eps3 = Math.max(hnorm * EPS, SAFE_MIN);
        double rootn = Math.sqrt(n);
        double growto = 0.1 / rootn;
        double[] br = hr;
        double[] bi = hi;
        for (int k = 0; k < n; k++) {
            double lr = valRe[k];
            double li = valIm[k];
            for (int i = 0; i < k; i++) {
                if (cabs1(valRe[i] - lr, valIm[i] - li) < eps3) {
                    // a repeated eigenvalue: its vectors are not unique; take the Schur path's, as zgeev would
                    return false;
                }
            }
            // B = H − λI, LU in place (multipliers not kept: the first solve uses U only, as zlaein)
            for (int i = 0; i < n; i++) {
                int from = Math.max(0, i - 1);
                System.arraycopy(h0r, i * n + from, br, i * n + from, n - from);
                System.arraycopy(h0i, i * n + from, bi, i * n + from, n - from);
                br[i * n + i] -= lr;
                bi[i * n + i] -= li;
            }
            for (int j = 0; j < n - 1; j++) {
                int p = j * n + j;
                int q = (j + 1) * n + j;
                if (cabs1(br[q], bi[q]) > cabs1(br[p], bi[p])) {
                    for (int c = j; c < n; c++) {
                        double t = br[j * n + c];
                        br[j * n + c] = br[(j + 1) * n + c];
                        br[(j + 1) * n + c] = t;
                        t = bi[j * n + c];
                        bi[j * n + c] = bi[(j + 1) * n + c];
                        bi[(j + 1) * n + c] = t;
                    }
                }
                if (br[p] == 0 && bi[p] == 0) {
                    br[p] = eps3;
                }
                double den = br[p] * br[p] + bi[p] * bi[p];
                double mr = (br[q] * br[p] + bi[q] * bi[p]) / den;
                double mi = (bi[q] * br[p] - br[q] * bi[p]) / den;
                if (mr != 0 || mi != 0) {
                    int r0 = j * n;
                    ComplexVectors.subtractScaled(br, bi, r0 + n + j + 1, br, bi, r0 + j + 1, n - j - 1, mr, mi,
                            false);
                }
            }
            int last = (n - 1) * n + n - 1;
            if (br[last] == 0 && bi[last] == 0) {
                br[last] = eps3;
            }
            int out = k * n;
            boolean converged = false;
            for (int its = 0; its < n && !converged; its++) {
                startVector(out, its, eps3);
                double xnorm = 0;
                for (int i = n - 1; i >= 0; i--) {
                    int row = i * n;
                    ComplexVectors.dot(br, bi, row + i + 1, vecRe, vecIm, out + i + 1, n - i - 1, dot);
                    double sumR = vecRe[out + i] - dot[0];
                    double sumI = vecIm[out + i] - dot[1];
                    double dr = br[row + i];
                    double di = bi[row + i];
                    double den = dr * dr + di * di;
                    vecRe[out + i] = (sumR * dr + sumI * di) / den;
                    vecIm[out + i] = (sumI * dr - sumR * di) / den;
                    xnorm += cabs1(vecRe[out + i], vecIm[out + i]);
                }
                converged = Double.isFinite(xnorm) && xnorm >= growto;
                if (converged) {
                    for (int i = 0; i < n; i++) {
                        vecRe[out + i] /= xnorm;
                        vecIm[out + i] /= xnorm;
                    }
                }
            }
            if (!converged) {
                return false;
            }
        }
        return true;
    }

    // Implicit single-shift QR iteration (G&VL Alg. 7.5.1 in complex form): with wantT to the full Schur form with Z
    // accumulated, otherwise updating only the active block (eigenvalues only).
    private void qr(boolean wantT) {
        int last = n - 1;
        int its = 0;
        int total = 0;
        while (last > 0) {
            int l = last;
            while (l > 0) {
                int d1 = (l - 1) * n + l - 1;
                int d2 = l * n + l;
                double s = cabs1(hr[d1], hi[d1]) + cabs1(hr[d2], hi[d2]);
                int sub = l * n + l - 1;
                if (s == 0) {
                    s = SAFE_MIN;
                }
                if (cabs1(hr[sub], hi[sub]) <= EPS * s) {
                    hr[sub] = 0;
                    hi[sub] = 0;
                    break;
                }
                l--;
            }
            if (l == last) {
                last--;
                its = 0;
                continue;
            }
            its++;
            total++;
            if (total > MAX_ITERATIONS_PER_EIGENVALUE * n) {
                throw new ArithmeticException("complex QR iteration did not converge after " + total
                        + " iterations (matrix size " + n + ")");
            }
            // shift
            double mr;
            double mi;
            int dd = last * n + last;
            if (its % 10 == 0) {
                int sub = last * n + last - 1;
                mr = hr[dd] + 0.75 * cabs1(hr[sub], hi[sub]);
                mi = hi[dd];
            } else {
                int aa = (last - 1) * n + last - 1;
                int bb = (last - 1) * n + last;
                int cc = last * n + last - 1;
                double pr = 0.5 * (hr[aa] - hr[dd]);
                double pi = 0.5 * (hi[aa] - hi[dd]);
                double bcr = hr[bb] * hr[cc] - hi[bb] * hi[cc];
                double bci = hr[bb] * hi[cc] + hi[bb] * hr[cc];
                // disc = sqrt(p² + bc)
                double qr = pr * pr - pi * pi + bcr;
                double qi = 2 * pr * pi + bci;
                double mod = Modulus.of(qr, qi);
                double dr = Math.sqrt(0.5 * (mod + Math.abs(qr)));
                double di = dr == 0 ? 0 : qi / (2 * dr);
                if (qr < 0) {
                    double t = Math.abs(di);
                    di = Math.copySign(dr, qi);
                    dr = t;
                }
                if (pr * dr + pi * di < 0) {
                    dr = -dr;
                    di = -di;
                }
                double er = pr + dr;
                double ei = pi + di;
                double den = er * er + ei * ei;
                mr = hr[dd];
                mi = hi[dd];
                if (den > 0) {
                    // μ = d − bc / (p + disc)
                    mr -= (bcr * er + bci * ei) / den;
                    mi -= (bci * er - bcr * ei) / den;
                }
            }
            sweep(l, last, mr, mi, wantT);
        }
    }

    // One implicit QR sweep over the active block l..last with shift μ: bulge introduced at l and chased down.
    private void sweep(int l, int last, double mr, double mi, boolean wantT) {
        for (int k = l; k < last; k++) {
            double xr;
            double xi;
            double yr;
            double yi;
            if (k == l) {
                xr = hr[l * n + l] - mr;
                xi = hi[l * n + l] - mi;
                yr = hr[(l + 1) * n + l];
                yi = hi[(l + 1) * n + l];
            } else {
                xr = hr[k * n + k - 1];
                xi = hi[k * n + k - 1];
                yr = hr[(k + 1) * n + k - 1];
                yi = hi[(k + 1) * n + k - 1];
            }
            double ax2 = xr * xr + xi * xi;
            double ay2 = yr * yr + yi * yi;
            if (ay2 == 0 && yr == 0 && yi == 0) {
                rotC[k] = 1;
                rotSr[k] = 0;
                rotSi[k] = 0;
                continue;
            }
            double c;
            double sRe;
            double sIm;
            double t2 = ax2 + ay2;
            if (ax2 >= Double.MIN_NORMAL && ay2 >= Double.MIN_NORMAL && t2 < Double.MAX_VALUE) {
                // c = |x|/r, s = x·conj(y)/(|x|·r): two square roots and one division
                double ax = Math.sqrt(ax2);
                double r = Math.sqrt(t2);
                double inv = 1 / (ax * r);
                c = ax2 * inv;
                sRe = (xr * yr + xi * yi) * inv;
                sIm = (xi * yr - xr * yi) * inv;
            } else {
                // the same rotation with scaled moduli, where the squares would underflow or overflow
                double ax = Modulus.of(xr, xi);
                double ay = Modulus.of(yr, yi);
                double r = Modulus.of(ax, ay);
                c = ax / r;
                double ur = ax == 0 ? 1 : xr / ax;
                double ui = ax == 0 ? 0 : xi / ax;
                sRe = (ur * yr + ui * yi) / r;
                sIm = (ui * yr - ur * yi) / r;
            }
            int from = k == l ? l : k - 1;
            rotateRows(k, from, wantT ? n : last + 1, c, sRe, sIm);
            if (k > l) {
                hr[(k + 1) * n + k - 1] = 0;
                hi[(k + 1) * n + k - 1] = 0;
            }
            if (wantT) {
                rotateColumns(k, 0, Math.min(k + 3, last + 1), c, sRe, sIm);
                rotateZ(k, c, sRe, sIm);
            } else {
                // rows k..k+2 now (the chase reads them); rows above, which nothing reads until the sweep ends, later
                rotateColumns(k, k, Math.min(k + 3, last + 1), c, sRe, sIm);
                rotC[k] = c;
                rotSr[k] = sRe;
                rotSi[k] = sIm;
            }
        }
        if (!wantT) {
            deferredColumnRotations(l, last);
        }
    }

    // row i (l <= i <= last-2) receives the column rotations k = i+1 .. last-1 of the sweep, in order, streaming
    // along the row: each rotation's second output is the next one's first input
    private void deferredColumnRotations(int l, int last) {
        for (int i = l; i <= last - 2; i++) {
            int row = i * n;
            double ar = hr[row + i + 1];
            double ai = hi[row + i + 1];
            for (int k = i + 1; k < last; k++) {
                double c = rotC[k];
                double sRe = rotSr[k];
                double sIm = rotSi[k];
                double br = hr[row + k + 1];
                double bi = hi[row + k + 1];
                hr[row + k] = c * ar + sRe * br + sIm * bi;
                hi[row + k] = c * ai + sRe * bi - sIm * br;
                double nr = c * br - sRe * ar + sIm * ai;
                double ni = c * bi - sRe * ai - sIm * ar;
                ar = nr;
                ai = ni;
            }
            hr[row + last] = ar;
            hi[row + last] = ai;
        }
    }

    // rows k, k+1 of H, columns from..to-1: [a; b] ← [[c, s], [−s̄, c]] [a; b]
    private void rotateRows(int k, int from, int to, double c, double sRe, double sIm) {
        int r0 = k * n;
        int r1 = r0 + n;
        int j = from;
        DoubleVector vc = DoubleVector.broadcast(SP, c);
        DoubleVector vs = DoubleVector.broadcast(SP, sRe);
        DoubleVector vt = DoubleVector.broadcast(SP, sIm);
        for (int bound = from + SP.loopBound(to - from); j < bound; j += SP.length()) {
            DoubleVector ar = DoubleVector.fromArray(SP, hr, r0 + j);
            DoubleVector ai = DoubleVector.fromArray(SP, hi, r0 + j);
            DoubleVector br = DoubleVector.fromArray(SP, hr, r1 + j);
            DoubleVector bi = DoubleVector.fromArray(SP, hi, r1 + j);
            vc.mul(ar).add(vs.mul(br)).sub(vt.mul(bi)).intoArray(hr, r0 + j);
            vc.mul(ai).add(vs.mul(bi)).add(vt.mul(br)).intoArray(hi, r0 + j);
            vc.mul(br).sub(vs.mul(ar)).sub(vt.mul(ai)).intoArray(hr, r1 + j);
            vc.mul(bi).sub(vs.mul(ai)).add(vt.mul(ar)).intoArray(hi, r1 + j);
        }
        for (; j < to; j++) {
            double ar = hr[r0 + j];
            double ai = hi[r0 + j];
            double br = hr[r1 + j];
            double bi = hi[r1 + j];
            hr[r0 + j] = c * ar + sRe * br - sIm * bi;
            hi[r0 + j] = c * ai + sRe * bi + sIm * br;
            hr[r1 + j] = c * br - sRe * ar - sIm * ai;
            hi[r1 + j] = c * bi - sRe * ai + sIm * ar;
        }
    }

    // columns k, k+1 of H, rows from..to-1: (a, b) ← (a c + b s̄, −a s + b c)
    private void rotateColumns(int k, int from, int to, double c, double sRe, double sIm) {
        for (int i = from; i < to; i++) {
            int p = i * n + k;
            double ar = hr[p];
            double ai = hi[p];
            double br = hr[p + 1];
            double bi = hi[p + 1];
            hr[p] = c * ar + sRe * br + sIm * bi;
            hi[p] = c * ai + sRe * bi - sIm * br;
            hr[p + 1] = c * br - sRe * ar + sIm * ai;
            hi[p + 1] = c * bi - sRe * ai - sIm * ar;
        }
    }

    // Z ← Z Gᴴ on columns k, k+1, i.e. rows k, k+1 of the stored transpose
    private void rotateZ(int k, double c, double sRe, double sIm) {
        int r0 = k * n;
        int r1 = r0 + n;
        for (int j = 0; j < n; j++) {
            double ar = zr[r0 + j];
            double ai = zi[r0 + j];
            double br = zr[r1 + j];
            double bi = zi[r1 + j];
            zr[r0 + j] = c * ar + sRe * br + sIm * bi;
            zi[r0 + j] = c * ai + sRe * bi - sIm * br;
            zr[r1 + j] = c * br - sRe * ar + sIm * ai;
            zi[r1 + j] = c * bi - sRe * ai - sIm * ar;
        }
    }

    // Eigenvectors of T by back substitution, back-transformed by Z and normalised as zgeev.
    private void eigenvectors() {
        double tnorm = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                tnorm = Math.max(tnorm, cabs1(hr[i * n + j], hi[i * n + j]));
            }
        }
        double small = Math.max(EPS * tnorm, SAFE_MIN);
        for (int k = 0; k < n; k++) {
            // y: solve (T[0:k,0:k] − t_kk I) y = −T[0:k, k], y_k = 1
            wr[k] = 1;
            wi[k] = 0;
            double tkr = hr[k * n + k];
            double tki = hi[k * n + k];
            for (int i = k - 1; i >= 0; i--) {
                int row = i * n;
                double sumR = 0;
                double sumI = 0;
                for (int j = i + 1; j <= k; j++) {
                    sumR += hr[row + j] * wr[j] - hi[row + j] * wi[j];
                    sumI += hr[row + j] * wi[j] + hi[row + j] * wr[j];
                }
                double dr = hr[row + i] - tkr;
                double di = hi[row + i] - tki;
                if (cabs1(dr, di) < small) {
                    dr = small;
                    di = 0;
                }
                double den = dr * dr + di * di;
                wr[i] = -(sumR * dr + sumI * di) / den;
                wi[i] = -(sumI * dr - sumR * di) / den;
                double big = cabs1(wr[i], wi[i]);
                if (big > 1e100) {
                    for (int j = i; j <= k; j++) {
                        wr[j] /= big;
                        wi[j] /= big;
                    }
                }
            }
            int out = k * n;
            java.util.Arrays.fill(vecRe, out, out + n, 0);
            java.util.Arrays.fill(vecIm, out, out + n, 0);
            for (int j = 0; j <= k; j++) {
                double yr = wr[j];
                double yi = wi[j];
                int row = j * n;
                for (int m = 0; m < n; m++) {
                    vecRe[out + m] += zr[row + m] * yr - zi[row + m] * yi;
                    vecIm[out + m] += zr[row + m] * yi + zi[row + m] * yr;
                }
            }
            normalise(out);
        }
    }

    private void normalise(int out) {
        normalise(vecRe, vecIm, out, n);
    }

    // the vector of length n at offset out: unit 2-norm, then its first entry of largest modulus made real and
    // positive (LAPACK zgeev)
    static void normalise(double[] vecRe, double[] vecIm, int out, int n) {
        double scale = 0;
        for (int m = 0; m < n; m++) {
            scale = Math.max(scale, Math.max(Math.abs(vecRe[out + m]), Math.abs(vecIm[out + m])));
        }
        double invScale = 1 / scale;
        double ss = 0;
        for (int m = 0; m < n; m++) {
            double a = vecRe[out + m] * invScale;
            double b = vecIm[out + m] * invScale;
            ss += a * a + b * b;
        }
        double inv = 1 / (scale * Math.sqrt(ss));
        int pivot = 0;
        double best = -1;
        for (int m = 0; m < n; m++) {
            vecRe[out + m] *= inv;
            vecIm[out + m] *= inv;
            double mod2 = vecRe[out + m] * vecRe[out + m] + vecIm[out + m] * vecIm[out + m];
            if (mod2 > best) {
                best = mod2;
                pivot = m;
            }
        }
        double mod = Math.sqrt(best);
        double cr = vecRe[out + pivot] / mod;
        double ci = -vecIm[out + pivot] / mod;
        for (int m = 0; m < n; m++) {
            double a = vecRe[out + m];
            double b = vecIm[out + m];
            vecRe[out + m] = a * cr - b * ci;
            vecIm[out + m] = a * ci + b * cr;
        }
        vecIm[out + pivot] = 0;
    }
}
