package org.neuroinfer.numeric;

/**
 * Eigenvalues and right eigenvectors of a dense complex (non-Hermitian) matrix, with the eigenvectors normalised
 * as LAPACK {@code zgeev} (and so numpy's {@code linalg.eig}) returns them: unit Euclidean norm, then rotated so
 * that the first entry of largest modulus is real and positive.
 *
 * <p>The algorithm is the textbook one (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., §7.4–7.6):
 * reduction to upper Hessenberg form by Householder reflections, the implicitly shifted single-shift QR iteration
 * with Wilkinson shifts to the complex Schur form T = Zᴴ A Z (no balancing), eigenvectors of T by back
 * substitution, back-transformed by Z. Every step is a unitary transformation, so the computed decomposition is
 * that of A + E with ‖E‖ of the order of n·ε·‖A‖ (backward stable). Complex numbers are stored split: real and
 * imaginary parts in separate row-major arrays.
 *
 * <p>One instance holds the work space for one matrix size and is not thread-safe; use one per thread.
 */
public final class ComplexEigen {
    private static final double EPS = Math.ulp(1.0);
    private static final double SAFE_MIN = Double.MIN_NORMAL / EPS;
    private static final int MAX_ITERATIONS_PER_EIGENVALUE = 60;

    private final int n;
    private final double[] hr;
    private final double[] hi;
    // Schur vectors, transposed: row k of (zr, zi) is column k of Z
    private final double[] zr;
    private final double[] zi;
    private final double[] valRe;
    private final double[] valIm;
    private final double[] vecRe;
    private final double[] vecIm;
    private final double[] wr;
    private final double[] wi;
    private final double[] sr;
    private final double[] si;

    /** Work space for n × n matrices. */
    public ComplexEigen(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("matrix size n = " + n + "; valid: >= 1");
        }
        this.n = n;
        hr = new double[n * n];
        hi = new double[n * n];
        zr = new double[n * n];
        zi = new double[n * n];
        valRe = new double[n];
        valIm = new double[n];
        vecRe = new double[n * n];
        vecIm = new double[n * n];
        wr = new double[n];
        wi = new double[n];
        sr = new double[n];
        si = new double[n];
    }

    /** Matrix size. */
    public int size() {
        return n;
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
        java.util.Arrays.fill(zr, 0);
        java.util.Arrays.fill(zi, 0);
        for (int k = 0; k < n; k++) {
            zr[k * n + k] = 1;
        }
        hessenberg();
        schur();
        for (int k = 0; k < n; k++) {
            valRe[k] = hr[k * n + k];
            valIm[k] = hi[k * n + k];
        }
        eigenvectors();
    }

    /** Real parts of the eigenvalues, in the order of the Schur form (not sorted). */
    public double[] valuesRe() {
        return valRe;
    }

    /** Imaginary parts of the eigenvalues. */
    public double[] valuesIm() {
        return valIm;
    }

    /** Real parts of the eigenvectors: entry j of eigenvector k at {@code [k * n + j]}. */
    public double[] vectorsRe() {
        return vecRe;
    }

    /** Imaginary parts of the eigenvectors, laid out as {@link #vectorsRe()}. */
    public double[] vectorsIm() {
        return vecIm;
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
            double x0 = Math.hypot(hr[p], hi[p]);
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
            for (int i = k + 1; i < n; i++) {
                double a = wr[i];
                double b = -wi[i];
                int row = i * n;
                for (int j = k + 1; j < n; j++) {
                    sr[j] += a * hr[row + j] - b * hi[row + j];
                    si[j] += a * hi[row + j] + b * hr[row + j];
                }
            }
            for (int i = k + 1; i < n; i++) {
                double a = beta * wr[i];
                double b = beta * wi[i];
                int row = i * n;
                for (int j = k + 1; j < n; j++) {
                    hr[row + j] -= a * sr[j] - b * si[j];
                    hi[row + j] -= a * si[j] + b * sr[j];
                }
                hr[row + k] = 0;
                hi[row + k] = 0;
            }
            hr[p] = -phr * norm;
            hi[p] = -phi * norm;
            // right: H ← H P on all rows, columns k+1..n-1
            for (int i = 0; i < n; i++) {
                int row = i * n;
                double tr = 0;
                double ti = 0;
                for (int j = k + 1; j < n; j++) {
                    tr += hr[row + j] * wr[j] - hi[row + j] * wi[j];
                    ti += hr[row + j] * wi[j] + hi[row + j] * wr[j];
                }
                tr *= beta;
                ti *= beta;
                for (int j = k + 1; j < n; j++) {
                    hr[row + j] -= tr * wr[j] + ti * wi[j];
                    hi[row + j] -= ti * wr[j] - tr * wi[j];
                }
            }
            // Z ← Z P, i.e. Zᵀ ← conj(P) Zᵀ on rows k+1..n-1
            java.util.Arrays.fill(sr, 0);
            java.util.Arrays.fill(si, 0);
            for (int i = k + 1; i < n; i++) {
                double a = wr[i];
                double b = wi[i];
                int row = i * n;
                for (int j = 1; j < n; j++) {
                    sr[j] += a * zr[row + j] - b * zi[row + j];
                    si[j] += a * zi[row + j] + b * zr[row + j];
                }
            }
            for (int i = k + 1; i < n; i++) {
                double a = beta * wr[i];
                double b = -beta * wi[i];
                int row = i * n;
                for (int j = 1; j < n; j++) {
                    zr[row + j] -= a * sr[j] - b * si[j];
                    zi[row + j] -= a * si[j] + b * sr[j];
                }
            }
        }
    }

    private static double cabs1(double re, double im) {
        return Math.abs(re) + Math.abs(im);
    }

    // Implicit single-shift QR iteration to the complex Schur form, accumulating Z (G&VL Alg. 7.5.1 in complex form).
    private void schur() {
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
                double mod = Math.hypot(qr, qi);
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
            sweep(l, last, mr, mi);
        }
    }

    // One implicit QR sweep over the active block l..last with shift μ: bulge introduced at l and chased down.
    private void sweep(int l, int last, double mr, double mi) {
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
            double ax = Math.hypot(xr, xi);
            double ay = Math.hypot(yr, yi);
            if (ay == 0) {
                continue;
            }
            double r = Math.hypot(ax, ay);
            double c = ax / r;
            // s = (x/|x|) conj(y) / r
            double ur = ax == 0 ? 1 : xr / ax;
            double ui = ax == 0 ? 0 : xi / ax;
            double sRe = (ur * yr + ui * yi) / r;
            double sIm = (ui * yr - ur * yi) / r;
            int from = k == l ? l : k - 1;
            rotateRows(k, from, n, c, sRe, sIm);
            if (k > l) {
                hr[(k + 1) * n + k - 1] = 0;
                hi[(k + 1) * n + k - 1] = 0;
            }
            rotateColumns(k, Math.min(k + 3, last + 1), c, sRe, sIm);
            rotateZ(k, c, sRe, sIm);
        }
    }

    // rows k, k+1 of H, columns from..to-1: [a; b] ← [[c, s], [−s̄, c]] [a; b]
    private void rotateRows(int k, int from, int to, double c, double sRe, double sIm) {
        int r0 = k * n;
        int r1 = r0 + n;
        for (int j = from; j < to; j++) {
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

    // columns k, k+1 of H, rows 0..to-1: (a, b) ← (a c + b s̄, −a s + b c)
    private void rotateColumns(int k, int to, double c, double sRe, double sIm) {
        for (int i = 0; i < to; i++) {
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

    // unit 2-norm, then the first entry of largest modulus made real and positive (LAPACK zgeev)
    private void normalise(int out) {
        double scale = 0;
        for (int m = 0; m < n; m++) {
            scale = Math.max(scale, Math.max(Math.abs(vecRe[out + m]), Math.abs(vecIm[out + m])));
        }
        double ss = 0;
        for (int m = 0; m < n; m++) {
            double a = vecRe[out + m] / scale;
            double b = vecIm[out + m] / scale;
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
