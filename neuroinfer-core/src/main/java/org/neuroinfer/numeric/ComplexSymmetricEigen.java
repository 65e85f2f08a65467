package org.neuroinfer.numeric;

import java.util.Arrays;

/**
 * Eigenvalues and right eigenvectors of K = diag(d)·M, with M complex symmetric (Mᵀ = M, not Hermitian) and every
 * d_i &gt; 0: the form of the spectral graph model's complex Laplacian, a row-normalised undirected connectome with
 * symmetric delays. K is similar to the complex-symmetric S = diag(√d)·M·diag(√d) (if S u = λu then
 * K·diag(√d)u = λ·diag(√d)u), and S is decomposed by the symmetric route:
 * <ol>
 * <li>reduction to complex-symmetric tridiagonal form T = Qᵀ S Q by complex-orthogonal Householder matrices
 * P = I − β w wᵀ (Pᵀ = P = P⁻¹, β = 2 / wᵀw), about (4/3)·n³ complex operations against the general path's
 * ~(10/3)·n³ (Cullum &amp; Willoughby, <i>Lanczos Algorithms for Large Symmetric Eigenvalue Computations</i>, 1985,
 * vol. 1 §6; Bar-On &amp; Ryaboy, SIAM J. Sci. Comput. 18, 1997);</li>
 * <li>eigenvalues by the square-root-free QL iteration of Pal, Walker and Kahan (Parlett, <i>The Symmetric
 * Eigenvalue Problem</i>, 1980, §8.15; LAPACK's {@code dsterf}) in complex arithmetic: it works on the squared
 * sub-diagonal and the squared cosines and sines of complex-orthogonal rotations (c² + s² = 1), so each rotation
 * costs one division and no square root, O(n²) in all, with the leading 2 × 2 block's nearer eigenvalue as shift;</li>
 * <li>each eigenvector (all, or those a {@link ModeSelection} asks for) by inverse iteration on T − λI (tridiagonal
 * LU with partial pivoting, O(n); the eigenvalue refined by the complex-symmetric Rayleigh quotient if the iteration
 * does not grow), back-transformed by the reflectors and scaled by √d, then normalised as {@link ComplexEigen} and
 * LAPACK {@code zgeev} do.</li>
 * </ol>
 * Complex-orthogonal matrices are not unitary, so a reflector with wᵀw small against ‖w‖² amplifies rounding,
 * and a rotation with c² + s² formed from nearly isotropic values breaks down. Every result is therefore checked
 * a posteriori against K: each mode's eigenvector error is estimated as its residual over its eigenvalue gap
 * ({@link #errorEstimate()}), and a mode estimated worse than {@link #MAX_VECTOR_ERROR} (or whose inverse iteration
 * failed) is recomputed on K itself by dense inverse iteration. The fast path fails when more than
 * {@link #MAX_REPAIRS} modes need that, a repaired mode still fails the check, a reflector's norm exceeds
 * {@link #MAX_REFLECTOR_NORM}, a rotation nearly breaks down, QL does not converge, or two eigenvalues lie within
 * the tridiagonal form's accuracy of each other. It is then tried once more on S with its rows and columns in
 * reverse order ({@link #reversed()}), which starts the reduction from the other end, and if that fails too (or
 * some d_i is not positive and finite) the decomposition falls back to the general {@link ComplexEigen}, whose
 * every step is unitary; {@link #fellBack()} reports it.
 *
 * <p>One instance holds the work space for one matrix size and is not thread-safe; use one per thread.
 */
public final class ComplexSymmetricEigen extends ComplexEigenpairs {
    /** Chooses, from the eigenvalues, the modes whose eigenvectors are wanted. */
    @FunctionalInterface
    public interface ModeSelection {
        /** Sets {@code wanted[k]} (all false on entry) for each mode k whose eigenvector is needed. */
        void select(double[] valRe, double[] valIm, boolean[] wanted);
    }

    /** The largest ‖P‖₂ bound |β|·‖w‖² accepted for a reflector (a unitary one has 2). */
    public static final double MAX_REFLECTOR_NORM = 1e4;
    private static final int MAX_QL_ITERATIONS = 60;
    private static final int RAYLEIGH_REFINEMENTS = 3;
    /** Modes the fast path may recompute on K (each an O(n³/3) LU, against ~12 for the general path). */
    public static final int MAX_REPAIRS = 10;
    /**
     * The largest estimated eigenvector error accepted from the fast path ({@link #errorEstimate()}). On the SGM's
     * HCP Laplacians the estimate was at least 2.2 times the actual distance to the unitary path's vectors for
     * every mode off by more than 1e-10 (320 matrices, speeds 1.5–20 m/s, 2–45 Hz), and with this bound the SGM
     * reference spectra are matched to 6.6e-8 dB (the unitary path: 5.2e-9 dB).
     */
    public static final double MAX_VECTOR_ERROR = 1e-8;
    // near-isotropy: a QL rotation whose r = p + e² is below this fraction of |p| + |e²| is a breakdown (its squared
    // cosine p / r and sine e² / r would be large and cancel), and a Rayleigh quotient whose xᵀx is below it times
    // ‖x‖² is not formed
    private static final double ROTATION_BREAKDOWN = 1e-4;

    private final double[] sr;
    private final double[] si;
    // K = diag(d)·M in full, for the a-posteriori check, the repairs and the general path
    private final double[] kRe;
    private final double[] kIm;
    // reflector p (row p, entries p+1..n-1) and its β
    private final double[] refR;
    private final double[] refI;
    private final double[] betaR;
    private final double[] betaI;
    private final double[] pr;
    private final double[] pi;
    // T: diagonal a, sub-diagonal b (b[k] couples k and k+1)
    private final double[] ar;
    private final double[] ai;
    private final double[] br;
    private final double[] bi;
    private final double[] scale;
    // LU of T − λI: diagonal u0, super-diagonals u1 and u2
    private final double[] u0r;
    private final double[] u0i;
    private final double[] u1r;
    private final double[] u1i;
    private final double[] u2r;
    private final double[] u2i;
    // 1 / u0
    private final double[] v0r;
    private final double[] v0i;
    private final double[] dot = new double[2];
    private final boolean[] wanted;
    // modes whose vectors repair() recomputes on K
    private final boolean[] suspects;
    private int suspectCount;
    // the wanted modes, in increasing order
    private final int[] chosen;
    private final int[] pivots;
    private int chosenCount;
    // a fixed complex Gaussian probe for the a-posteriori check
    private final double[] zr;
    private final double[] zi;
    private double errorEstimate;
    // the last quotient
    private double qR;
    private double qI;
    private ComplexEigen general;
    private boolean fellBack;
    private boolean reversed;
    private double growth;

    /** Work space for n × n matrices. */
    public ComplexSymmetricEigen(int n) {
        super(n);
        sr = new double[n * n];
        si = new double[n * n];
        kRe = new double[n * n];
        kIm = new double[n * n];
        refR = new double[n * n];
        refI = new double[n * n];
        betaR = new double[n];
        betaI = new double[n];
        pr = new double[n];
        pi = new double[n];
        ar = new double[n];
        ai = new double[n];
        br = new double[n];
        bi = new double[n];
        scale = new double[n];
        u0r = new double[n];
        u0i = new double[n];
        u1r = new double[n];
        u1i = new double[n];
        u2r = new double[n];
        u2i = new double[n];
        v0r = new double[n];
        v0i = new double[n];
        zr = new double[n];
        zi = new double[n];
        wanted = new boolean[n];
        suspects = new boolean[n];
        chosen = new int[n];
        pivots = new int[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(0x5eed);
        for (int i = 0; i < n; i++) {
            zr[i] = gaussian(r);
            zi[i] = gaussian(r);
        }
    }

    /**
     * The last fast-path decomposition's estimated eigenvector error: the largest, over the modes, of a residual
     * over the gap to the nearest other eigenvalue (the residual bounded for all modes at once by a fixed Gaussian
     * probe, and computed exactly where that bound is not small enough); NaN if the fast path stopped earlier.
     */
    public double errorEstimate() {
        return errorEstimate;
    }

    /**
     * How many modes the last decomposition's fast path marked for recomputation on K itself (at most
     * {@link #MAX_REPAIRS}; a fall-back follows when one more is needed).
     */
    public int repaired() {
        return suspectCount;
    }

    /** Whether the last decomposition was done by the general {@link ComplexEigen} instead. */
    @Override
    public boolean fellBack() {
        return fellBack;
    }

    /**
     * The largest reflector norm bound |β|·‖w‖² of the last decomposition's last reduction (the reverse-order one
     * after a retry; 2 for a unitary reflector, 0 if none was needed or no reduction was tried).
     */
    public double reflectorGrowth() {
        return growth;
    }

    /**
     * Decomposes K = diag(d)·M. M is given row-major ({@code m[i * n + j]}) and read from its upper triangle and
     * diagonal only (so it is taken as exactly symmetric); neither array is modified.
     *
     * @throws IllegalArgumentException if M or d holds a NaN or infinity
     * @throws ArithmeticException      if the general path's QR iteration does not converge
     */
    public void decompose(double[] mRe, double[] mIm, double[] d) {
        decompose(mRe, mIm, d, null);
    }

    /**
     * As {@link #decompose(double[], double[], double[])}, computing only the eigenvectors {@code selection} asks
     * for once the eigenvalues are known (null: all); the other eigenvectors are NaN. After a fall-back every
     * eigenvector is computed.
     */
    public void decompose(double[] mRe, double[] mIm, double[] d, ModeSelection selection) {
        if (mRe.length != n * n || mIm.length != n * n || d.length != n) {
            throw new IllegalArgumentException("matrix has " + mRe.length + " real and " + mIm.length
                    + " imaginary entries and " + d.length + " scale factors; expected " + n * n + " and " + n);
        }
        fellBack = false;
        reversed = false;
        growth = 0;
        errorEstimate = Double.NaN;
        boolean positive = true;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(d[i]) || Double.isInfinite(d[i])) {
                throw new IllegalArgumentException("scale factor d[" + i + "] is not finite: " + d[i]);
            }
            positive &= d[i] > 0;
            scale[i] = Math.sqrt(d[i]);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double re = mRe[i * n + j];
                double im = mIm[i * n + j];
                if (!Double.isFinite(re) || !Double.isFinite(im)) {
                    throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is not finite: " + re
                            + " + " + im + "i");
                }
                kRe[i * n + j] = d[i] * re;
                kIm[i * n + j] = d[i] * im;
                kRe[j * n + i] = d[j] * re;
                kIm[j * n + i] = d[j] * im;
            }
        }
        // the reflectors' growth depends on the order of the rows: a matrix the fast path fails on in one order it
        // nearly always takes in the reverse one (all 21 of 1,200 HCP Laplacians that failed, at a third of the
        // general path's cost)
        for (int attempt = 0; attempt < 2 && positive; attempt++) {
            reversed = attempt == 1;
            growth = 0;
            symmetric(mRe, mIm);
            if (tridiagonalise() && eigenvalues() && select(selection) && eigenvectors() && accurate(d)) {
                return;
            }
        }
        fellBack = true;
        reversed = false;
        errorEstimate = Double.NaN;
        generalPath();
    }

    /**
     * Whether the last decomposition's fast path worked on S with its rows and columns in reverse order (after the
     * given order failed; its results are in the given order all the same).
     */
    public boolean reversed() {
        return reversed;
    }

    // S = diag(√d)·M·diag(√d) into (sr, si), rows and columns in reverse order if `reversed`
    private void symmetric(double[] mRe, double[] mIm) {
        for (int a = 0; a < n; a++) {
            int i = original(a);
            for (int b = a; b < n; b++) {
                int j = original(b);
                int at = i <= j ? i * n + j : j * n + i;
                double s = scale[i] * scale[j];
                double re = s * mRe[at];
                double im = s * mIm[at];
                sr[a * n + b] = re;
                si[a * n + b] = im;
                sr[b * n + a] = re;
                si[b * n + a] = im;
            }
        }
    }

    // the index in the given order of row a of S
    private int original(int a) {
        return reversed ? n - 1 - a : a;
    }

    private void generalPath() {
        if (general == null) {
            general = new ComplexEigen(n);
        }
        general.decompose(kRe, kIm);
        System.arraycopy(general.valuesRe(), 0, valRe, 0, n);
        System.arraycopy(general.valuesIm(), 0, valIm, 0, n);
        System.arraycopy(general.vectorsRe(), 0, vecRe, 0, n * n);
        System.arraycopy(general.vectorsIm(), 0, vecIm, 0, n * n);
    }

    // S ← P S P column by column; T's diagonal and sub-diagonal into (ar, ai), (br, bi)
    private boolean tridiagonalise() {
        for (int k = 0; k < n - 2; k++) {
            double tail = 0;
            for (int i = k + 2; i < n; i++) {
                tail += sr[i * n + k] * sr[i * n + k] + si[i * n + k] * si[i * n + k];
            }
            int base = k * n;
            if (tail == 0) {
                betaR[k] = 0;
                betaI[k] = 0;
                continue;
            }
            // σ = xᵀx (not conjugated), α = ±√σ with the sign that keeps |α + x₀| ≥ |α|
            double sigR = 0;
            double sigI = 0;
            double norm2 = 0;
            for (int i = k + 1; i < n; i++) {
                double xr = sr[i * n + k];
                double xi = si[i * n + k];
                sigR += xr * xr - xi * xi;
                sigI += 2 * xr * xi;
                norm2 += xr * xr + xi * xi;
                refR[base + i] = xr;
                refI[base + i] = xi;
            }
            double[] alpha = sqrt(sigR, sigI);
            double x0r = refR[base + k + 1];
            double x0i = refI[base + k + 1];
            double alr = alpha[0];
            double ali = alpha[1];
            if (alr * x0r + ali * x0i < 0) {
                alr = -alr;
                ali = -ali;
            }
            double w0r = x0r + alr;
            double w0i = x0i + ali;
            refR[base + k + 1] = w0r;
            refI[base + k + 1] = w0i;
            // β = 1 / (α (α + x₀))
            double denR = alr * w0r - ali * w0i;
            double denI = alr * w0i + ali * w0r;
            double den2 = denR * denR + denI * denI;
            if (!(den2 > 0)) {
                return false;
            }
            double bR = denR / den2;
            double bI = -denI / den2;
            double wNorm2 = norm2 - x0r * x0r - x0i * x0i + w0r * w0r + w0i * w0i;
            double g = Math.sqrt(bR * bR + bI * bI) * wNorm2;
            growth = Math.max(growth, g);
            if (!(g <= MAX_REFLECTOR_NORM)) {
                return false;
            }
            betaR[k] = bR;
            betaI[k] = bI;
            int len = n - k - 1;
            int from = k + 1;
            // p = β S w over the trailing block; K = β wᵀp / 2; q = p − K w
            for (int i = from; i < n; i++) {
                ComplexVectors.dot(sr, si, i * n + from, refR, refI, base + from, len, dot);
                pr[i] = bR * dot[0] - bI * dot[1];
                pi[i] = bR * dot[1] + bI * dot[0];
            }
            ComplexVectors.dot(refR, refI, base + from, pr, pi, from, len, dot);
            double kR = 0.5 * (bR * dot[0] - bI * dot[1]);
            double kI = 0.5 * (bR * dot[1] + bI * dot[0]);
            ComplexVectors.subtractScaled(pr, pi, from, refR, refI, base + from, len, kR, kI, false);
            // S ← S − w qᵀ − q wᵀ
            for (int i = from; i < n; i++) {
                int row = i * n + from;
                ComplexVectors.subtractScaledPair(sr, si, row, pr, pi, from, refR[base + i], refI[base + i], refR,
                        refI, base + from, pr[i], pi[i], len);
            }
            sr[(k + 1) * n + k] = -alr;
            si[(k + 1) * n + k] = -ali;
            for (int i = k + 2; i < n; i++) {
                sr[i * n + k] = 0;
                si[i * n + k] = 0;
            }
        }
        for (int k = 0; k < n; k++) {
            ar[k] = sr[k * n + k];
            ai[k] = si[k * n + k];
            br[k] = k + 1 < n ? sr[(k + 1) * n + k] : 0;
            bi[k] = k + 1 < n ? si[(k + 1) * n + k] : 0;
        }
        return true;
    }

    // the square-root-free QL iteration (Pal-Walker-Kahan, as in LAPACK's dsterf) on (a, b²) in complex
    // arithmetic; eigenvalues into (valRe, valIm). It replaced tql1's rotations, whose latency (two square roots
    // and a division each) bound them: the 40 decompositions of an SGM spectrum went from 42.7 to 38.0 ms
    private boolean eigenvalues() {
        double[] dR = valRe;
        double[] dI = valIm;
        System.arraycopy(ar, 0, dR, 0, n);
        System.arraycopy(ai, 0, dI, 0, n);
        double[] eR = pr;
        double[] eI = pi;
        for (int k = 0; k < n - 1; k++) {
            eR[k] = br[k] * br[k] - bi[k] * bi[k];
            eI[k] = 2 * br[k] * bi[k];
        }
        eR[n - 1] = 0;
        eI[n - 1] = 0;
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            while (true) {
                int m = l;
                while (m < n - 1) {
                    // |e_m| <= EPS (|d_m| + |d_m+1|), on the square
                    double dd = EPS * (cabs1(dR[m], dI[m]) + cabs1(dR[m + 1], dI[m + 1]));
                    dd *= dd;
                    if (eR[m] * eR[m] + eI[m] * eI[m] <= dd * dd) {
                        break;
                    }
                    m++;
                }
                if (m == l) {
                    break;
                }
                // the leading 2 × 2 block's eigenvalues d_l + h ± √(h² + e²), h = (d_l+1 − d_l) / 2; the one closer
                // to d_l is d_l − e² / (h + ρ) with ρ = ±√(h² + e²) on h's side
                double hR = 0.5 * (dR[l + 1] - dR[l]);
                double hI = 0.5 * (dI[l + 1] - dI[l]);
                double[] rho = sqrt(hR * hR - hI * hI + eR[l], 2 * hR * hI + eI[l]);
                double rhoR = rho[0];
                double rhoI = rho[1];
                if (rhoR * hR + rhoI * hI < 0) {
                    rhoR = -rhoR;
                    rhoI = -rhoI;
                }
                quotient(eR[l], eI[l], hR + rhoR, hI + rhoI);
                if (m == l + 1) {
                    // a 2 × 2 block: both eigenvalues directly
                    dR[l] -= qR;
                    dI[l] -= qI;
                    dR[l + 1] += qR;
                    dI[l + 1] += qI;
                    eR[l] = 0;
                    eI[l] = 0;
                    break;
                }
                if (++iterations > MAX_QL_ITERATIONS) {
                    return false;
                }
                double sigR = dR[l] - qR;
                double sigI = dI[l] - qI;
                double cR = 1;
                double cI = 0;
                double sR = 0;
                double sI = 0;
                double gamR = dR[m] - sigR;
                double gamI = dI[m] - sigI;
                double pR = gamR * gamR - gamI * gamI;
                double pI = 2 * gamR * gamI;
                for (int i = m - 1; i >= l; i--) {
                    double bbR = eR[i];
                    double bbI = eI[i];
                    double rR = pR + bbR;
                    double rI = pI + bbI;
                    // a breakdown when p + e² cancels (c² + s² = 1 with large c and s)
                    double size = cabs1(pR, pI) + cabs1(bbR, bbI);
                    if (!(cabs1(rR, rI) > ROTATION_BREAKDOWN * size)) {
                        return false;
                    }
                    if (i != m - 1) {
                        eR[i + 1] = sR * rR - sI * rI;
                        eI[i + 1] = sR * rI + sI * rR;
                    }
                    double oldcR = cR;
                    double oldcI = cI;
                    double t = 1 / (rR * rR + rI * rI);
                    double invR = rR * t;
                    double invI = -rI * t;
                    // c = p / r and s = e² / r (the squared cosine and sine)
                    cR = pR * invR - pI * invI;
                    cI = pR * invI + pI * invR;
                    sR = bbR * invR - bbI * invI;
                    sI = bbR * invI + bbI * invR;
                    double oldgR = gamR;
                    double oldgI = gamI;
                    double alR = dR[i] - sigR;
                    double alI = dI[i] - sigI;
                    gamR = cR * alR - cI * alI - (sR * oldgR - sI * oldgI);
                    gamI = cR * alI + cI * alR - (sR * oldgI + sI * oldgR);
                    dR[i + 1] = oldgR + (dR[i] - gamR);
                    dI[i + 1] = oldgI + (dI[i] - gamI);
                    if (cR != 0 || cI != 0) {
                        // p = γ² / c
                        double g2R = gamR * gamR - gamI * gamI;
                        double g2I = 2 * gamR * gamI;
                        double u = 1 / (cR * cR + cI * cI);
                        double icR = cR * u;
                        double icI = -cI * u;
                        pR = g2R * icR - g2I * icI;
                        pI = g2R * icI + g2I * icR;
                    } else {
                        pR = oldcR * bbR - oldcI * bbI;
                        pI = oldcR * bbI + oldcI * bbR;
                    }
                }
                eR[l] = sR * pR - sI * pI;
                eI[l] = sR * pI + sI * pR;
                dR[l] = sigR + gamR;
                dI[l] = sigI + gamI;
            }
        }
        for (int k = 0; k < n; k++) {
            if (!Double.isFinite(dR[k]) || !Double.isFinite(dI[k])) {
                return false;
            }
        }
        return true;
    }

    private boolean select(ModeSelection selection) {
        Arrays.fill(suspects, false);
        suspectCount = 0;
        Arrays.fill(wanted, selection == null);
        if (selection != null) {
            selection.select(valRe, valIm, wanted);
        }
        chosenCount = 0;
        for (int k = 0; k < n; k++) {
            if (wanted[k]) {
                chosen[chosenCount++] = k;
            } else {
                Arrays.fill(vecRe, k * n, k * n + n, Double.NaN);
                Arrays.fill(vecIm, k * n, k * n + n, Double.NaN);
            }
        }
        return true;
    }

    // each eigenvector by inverse iteration on T − λI (as ComplexEigen's, on the tridiagonal), then Q, √d, zgeev
    private boolean eigenvectors() {
        double tnorm = 0;
        for (int i = 0; i < n; i++) {
            double row = cabs1(ar[i], ai[i]) + (i + 1 < n ? cabs1(br[i], bi[i]) : 0)
                    + (i > 0 ? cabs1(br[i - 1], bi[i - 1]) : 0);
            tnorm = Math.max(tnorm, row);
        }
        double eps3 = Math.max(tnorm * EPS, SAFE_MIN);
        // the reduction's rounding is amplified by up to the reflectors' norms: eigenvalues closer than that
        // are not resolved, and their vectors are left to the unitary path
        double resolved = eps3 * Math.max(1, growth);
        double rootn = Math.sqrt(n);
        double growto = 0.1 / rootn;
        for (int c = 0; c < chosenCount; c++) {
            int k = chosen[c];
            double lr = valRe[k];
            double li = valIm[k];
            for (int i = 0; i < n; i++) {
                if (i != k && cabs1(valRe[i] - lr, valIm[i] - li) < resolved) {
                    return false;
                }
            }
            factor(lr, li, eps3);
            int out = k * n;
            boolean converged = false;
            for (int its = 0; its < n && !converged; its++) {
                if (its > 0 && its <= RAYLEIGH_REFINEMENTS && rayleigh(out)) {
                    // the complex QL's eigenvalue may be off by more than eps3: refine it from the last solve
                    // (the complex-symmetric Rayleigh quotient is accurate to second order) and refactor
                    valRe[k] = qR;
                    valIm[k] = qI;
                    factor(qR, qI, eps3);
                }
                startVector(out, its, eps3);
                double xnorm = 0;
                for (int i = n - 1; i >= 0; i--) {
                    double sumR = vecRe[out + i];
                    double sumI = vecIm[out + i];
                    if (i + 1 < n) {
                        sumR -= u1r[i] * vecRe[out + i + 1] - u1i[i] * vecIm[out + i + 1];
                        sumI -= u1r[i] * vecIm[out + i + 1] + u1i[i] * vecRe[out + i + 1];
                    }
                    if (i + 2 < n) {
                        sumR -= u2r[i] * vecRe[out + i + 2] - u2i[i] * vecIm[out + i + 2];
                        sumI -= u2r[i] * vecIm[out + i + 2] + u2i[i] * vecRe[out + i + 2];
                    }
                    vecRe[out + i] = sumR * v0r[i] - sumI * v0i[i];
                    vecIm[out + i] = sumR * v0i[i] + sumI * v0r[i];
                    xnorm += cabs1(vecRe[out + i], vecIm[out + i]);
                }
                converged = Double.isFinite(xnorm) && xnorm >= growto;
                if (converged) {
                    double inv = 1 / xnorm;
                    for (int i = 0; i < n; i++) {
                        vecRe[out + i] *= inv;
                        vecIm[out + i] *= inv;
                    }
                }
            }
            if (!converged) {
                // left to repair(), on K itself
                if (!suspect(k)) {
                    return false;
                }
                Arrays.fill(vecRe, out, out + n, 1);
                Arrays.fill(vecIm, out, out + n, 0);
            }
        }
        backTransform();
        for (int c = 0; c < chosenCount; c++) {
            int out = chosen[c] * n;
            for (int i = 0; i < n; i++) {
                vecRe[out + i] *= scale[i];
                vecIm[out + i] *= scale[i];
            }
            ComplexEigen.normalise(vecRe, vecIm, out, n);
        }
        return true;
    }

    // (qR, qI) = xᵀ T x / xᵀ x for the vector at row `out`; false if xᵀx nearly vanishes
    private boolean rayleigh(int out) {
        double numR = 0;
        double numI = 0;
        double denR = 0;
        double denI = 0;
        double size = 0;
        for (int i = 0; i < n; i++) {
            double xr = vecRe[out + i];
            double xi = vecIm[out + i];
            // a_i x_i² (+ 2 b_i x_i x_{i+1})
            double sqR = xr * xr - xi * xi;
            double sqI = 2 * xr * xi;
            numR += ar[i] * sqR - ai[i] * sqI;
            numI += ar[i] * sqI + ai[i] * sqR;
            denR += sqR;
            denI += sqI;
            size += xr * xr + xi * xi;
            if (i + 1 < n) {
                double yr = vecRe[out + i + 1];
                double yi = vecIm[out + i + 1];
                double pR = xr * yr - xi * yi;
                double pI = xr * yi + xi * yr;
                numR += 2 * (br[i] * pR - bi[i] * pI);
                numI += 2 * (br[i] * pI + bi[i] * pR);
            }
        }
        if (!(Math.hypot(denR, denI) > ROTATION_BREAKDOWN * size)) {
            return false;
        }
        quotient(numR, numI, denR, denI);
        return Double.isFinite(qR) && Double.isFinite(qI);
    }

    // U of T − λI = P L U (partial pivoting; LAPACK zgttrf), multipliers dropped: the solves use U only; pivots
    // smaller than eps3 become eps3, as in LAPACK's zlaein, so that the solves cannot overflow
    private void factor(double lr, double li, double eps3) {
        for (int i = 0; i < n; i++) {
            u0r[i] = ar[i] - lr;
            u0i[i] = ai[i] - li;
            u1r[i] = br[i];
            u1i[i] = bi[i];
            u2r[i] = 0;
            u2i[i] = 0;
        }
        // the sub-diagonal equals the super-diagonal (T symmetric); row i+1 is (b_i, u0_{i+1}, u1_{i+1})
        for (int i = 0; i < n - 1; i++) {
            double lowR = br[i];
            double lowI = bi[i];
            if (cabs1(lowR, lowI) > cabs1(u0r[i], u0i[i])) {
                // swap rows i and i+1: row i becomes (b_i, u0_{i+1}, u1_{i+1}), row i+1 the old row i's tail
                double oldDr = u0r[i];
                double oldDi = u0i[i];
                double oldUr = u1r[i];
                double oldUi = u1i[i];
                u0r[i] = lowR;
                u0i[i] = lowI;
                u1r[i] = u0r[i + 1];
                u1i[i] = u0i[i + 1];
                u2r[i] = i + 2 <= n - 1 ? u1r[i + 1] : 0;
                u2i[i] = i + 2 <= n - 1 ? u1i[i + 1] : 0;
                reciprocal(lowR, lowI);
                v0r[i] = qR;
                v0i[i] = qI;
                double fR = oldDr * qR - oldDi * qI;
                double fI = oldDr * qI + oldDi * qR;
                // new row i+1 = old row i − f · new row i
                u0r[i + 1] = oldUr - (fR * u1r[i] - fI * u1i[i]);
                u0i[i + 1] = oldUi - (fR * u1i[i] + fI * u1r[i]);
                u1r[i + 1] = -(fR * u2r[i] - fI * u2i[i]);
                u1i[i + 1] = -(fR * u2i[i] + fI * u2r[i]);
            } else {
                if (cabs1(u0r[i], u0i[i]) < eps3) {
                    u0r[i] = eps3;
                    u0i[i] = 0;
                }
                reciprocal(u0r[i], u0i[i]);
                v0r[i] = qR;
                v0i[i] = qI;
                double fR = lowR * qR - lowI * qI;
                double fI = lowR * qI + lowI * qR;
                u0r[i + 1] -= fR * u1r[i] - fI * u1i[i];
                u0i[i + 1] -= fR * u1i[i] + fI * u1r[i];
            }
        }
        if (cabs1(u0r[n - 1], u0i[n - 1]) < eps3) {
            u0r[n - 1] = eps3;
            u0i[n - 1] = 0;
        }
        reciprocal(u0r[n - 1], u0i[n - 1]);
        v0r[n - 1] = qR;
        v0i[n - 1] = qI;
    }

    // every chosen vector v ← P_0 P_1 ⋯ P_{n−3} v, on the transpose (row i holds entry i of every chosen vector) so
    // that each reflector is applied with vector operations as long as the number of chosen vectors
    private void backTransform() {
        int m = chosenCount;
        for (int c = 0; c < m; c++) {
            int k = chosen[c];
            for (int i = 0; i < n; i++) {
                sr[i * m + c] = vecRe[k * n + i];
                si[i * m + c] = vecIm[k * n + i];
            }
        }
        for (int p = n - 3; p >= 0; p--) {
            double bR = betaR[p];
            double bI = betaI[p];
            if (bR == 0 && bI == 0) {
                continue;
            }
            int base = p * n;
            Arrays.fill(pr, 0, m, 0);
            Arrays.fill(pi, 0, m, 0);
            for (int i = p + 1; i < n; i++) {
                // t = wᵀ Y
                ComplexVectors.subtractScaled(pr, pi, 0, sr, si, i * m, m, -refR[base + i], -refI[base + i], false);
            }
            for (int i = p + 1; i < n; i++) {
                double wR = refR[base + i];
                double wI = refI[base + i];
                ComplexVectors.subtractScaled(sr, si, i * m, pr, pi, 0, m, bR * wR - bI * wI, bR * wI + bI * wR,
                        false);
            }
        }
        for (int c = 0; c < m; c++) {
            int k = chosen[c];
            for (int i = 0; i < n; i++) {
                vecRe[k * n + original(i)] = sr[i * m + c];
                vecIm[k * n + original(i)] = si[i * m + c];
            }
        }
    }

    /**
     * The a-posteriori check. To first order an eigenvector's error is its residual ‖K v_k − λ_k v_k‖ over the gap
     * to the nearest other eigenvalue. With R = K V − V Λ and a fixed complex Gaussian probe z, E‖R z‖² = ‖R‖_F²
     * bounds every residual at once in O(n²); only for the modes whose gap is too small for that bound is the
     * residual computed exactly (O(n²) each; a few modes per matrix on SGM Laplacians).
     */
    private boolean accurate(double[] d) {
        // y = V z, u = V Λ z
        double[] yr = u0r;
        double[] yi = u0i;
        double[] ur = u1r;
        double[] ui = u1i;
        Arrays.fill(yr, 0);
        Arrays.fill(yi, 0);
        Arrays.fill(ur, 0);
        Arrays.fill(ui, 0);
        for (int c = 0; c < chosenCount; c++) {
            int k = chosen[c];
            if (suspects[k]) {
                continue;
            }
            double lzR = valRe[k] * zr[k] - valIm[k] * zi[k];
            double lzI = valRe[k] * zi[k] + valIm[k] * zr[k];
            ComplexVectors.subtractScaled(yr, yi, 0, vecRe, vecIm, k * n, n, -zr[k], -zi[k], false);
            ComplexVectors.subtractScaled(ur, ui, 0, vecRe, vecIm, k * n, n, -lzR, -lzI, false);
        }
        double bound = Math.sqrt(residual2(yr, yi, ur, ui));
        errorEstimate = 0;
        for (int c = 0; c < chosenCount; c++) {
            int k = chosen[c];
            if (suspects[k]) {
                continue;
            }
            double e = bound / gap(k);
            if (e > MAX_VECTOR_ERROR) {
                e = modeError(k);
            }
            if (!(e <= MAX_VECTOR_ERROR)) {
                if (!suspect(k)) {
                    return false;
                }
                continue;
            }
            errorEstimate = Math.max(errorEstimate, e);
        }
        for (int c = 0; c < chosenCount; c++) {
            int k = chosen[c];
            if (suspects[k]) {
                double e = repair(k, d);
                if (!(e <= MAX_VECTOR_ERROR)) {
                    return false;
                }
                errorEstimate = Math.max(errorEstimate, e);
            }
        }
        return true;
    }

    // marks mode k for repair; false if that would make too many
    private boolean suspect(int k) {
        if (suspectCount >= MAX_REPAIRS) {
            return false;
        }
        suspects[k] = true;
        suspectCount++;
        return true;
    }

    // the distance from eigenvalue k to the nearest other one (1 for a 1 × 1 matrix)
    private double gap(int k) {
        double gap2 = Double.MAX_VALUE;
        for (int j = 0; j < n; j++) {
            double gr = valRe[k] - valRe[j];
            double gi = valIm[k] - valIm[j];
            if (j != k) {
                gap2 = Math.min(gap2, gr * gr + gi * gi);
            }
        }
        return n > 1 ? Math.sqrt(gap2) : 1;
    }

    // mode k's own residual ‖K v_k − λ_k v_k‖ over its gap
    private double modeError(int k) {
        int row = k * n;
        double[] yr = u0r;
        double[] yi = u0i;
        double[] ur = u1r;
        double[] ui = u1i;
        for (int i = 0; i < n; i++) {
            ur[i] = valRe[k] * vecRe[row + i] - valIm[k] * vecIm[row + i];
            ui[i] = valRe[k] * vecIm[row + i] + valIm[k] * vecRe[row + i];
        }
        System.arraycopy(vecRe, row, yr, 0, n);
        System.arraycopy(vecIm, row, yi, 0, n);
        return Math.sqrt(residual2(yr, yi, ur, ui)) / gap(k);
    }

    /**
     * Recomputes mode k on K itself, as the unitary path would: two steps of inverse iteration with the dense LU
     * (partial pivoting) of K − λI from the current vector, then the eigenvalue from the two-sided Rayleigh
     * quotient (K's left eigenvector is diag(1/d)·v), accurate to second order. Returns the mode's error estimate.
     */
    private double repair(int k, double[] d) {
        double[] lr = sr;
        double[] li = si;
        double knorm = 0;
        for (int p = 0; p < n * n; p++) {
            knorm = Math.max(knorm, cabs1(kRe[p], kIm[p]));
        }
        System.arraycopy(kRe, 0, lr, 0, n * n);
        System.arraycopy(kIm, 0, li, 0, n * n);
        for (int i = 0; i < n; i++) {
            lr[i * n + i] -= valRe[k];
            li[i * n + i] -= valIm[k];
        }
        double tiny = Math.max(knorm * n * EPS, SAFE_MIN);
        int[] piv = pivots;
        for (int c = 0; c < n; c++) {
            int best = c;
            for (int r = c + 1; r < n; r++) {
                if (cabs1(lr[r * n + c], li[r * n + c]) > cabs1(lr[best * n + c], li[best * n + c])) {
                    best = r;
                }
            }
            piv[c] = best;
            if (best != c) {
                for (int j = 0; j < n; j++) {
                    double t = lr[c * n + j];
                    lr[c * n + j] = lr[best * n + j];
                    lr[best * n + j] = t;
                    t = li[c * n + j];
                    li[c * n + j] = li[best * n + j];
                    li[best * n + j] = t;
                }
            }
            if (cabs1(lr[c * n + c], li[c * n + c]) < tiny) {
                lr[c * n + c] = tiny;
                li[c * n + c] = 0;
            }
            reciprocal(lr[c * n + c], li[c * n + c]);
            double pr0 = qR;
            double pi0 = qI;
            for (int r = c + 1; r < n; r++) {
                double fR = lr[r * n + c] * pr0 - li[r * n + c] * pi0;
                double fI = lr[r * n + c] * pi0 + li[r * n + c] * pr0;
                lr[r * n + c] = fR;
                li[r * n + c] = fI;
                if (fR != 0 || fI != 0) {
                    ComplexVectors.subtractScaled(lr, li, r * n + c + 1, lr, li, c * n + c + 1, n - c - 1, fR, fI,
                            false);
                }
            }
        }
        int out = k * n;
        double[] xr = vecRe;
        double[] xi = vecIm;
        for (int step = 0; step < 2; step++) {
            // P L U x' = x, in place
            for (int c = 0; c < n; c++) {
                int p = piv[c];
                if (p != c) {
                    double t = xr[out + c];
                    xr[out + c] = xr[out + p];
                    xr[out + p] = t;
                    t = xi[out + c];
                    xi[out + c] = xi[out + p];
                    xi[out + p] = t;
                }
            }
            for (int r = 1; r < n; r++) {
                ComplexVectors.dot(lr, li, r * n, xr, xi, out, r, dot);
                xr[out + r] -= dot[0];
                xi[out + r] -= dot[1];
            }
            double big = 0;
            for (int r = n - 1; r >= 0; r--) {
                ComplexVectors.dot(lr, li, r * n + r + 1, xr, xi, out + r + 1, n - r - 1, dot);
                quotient(xr[out + r] - dot[0], xi[out + r] - dot[1], lr[r * n + r], li[r * n + r]);
                xr[out + r] = qR;
                xi[out + r] = qI;
                big = Math.max(big, cabs1(qR, qI));
            }
            if (!(big > 0) || !Double.isFinite(big)) {
                return Double.NaN;
            }
            for (int r = 0; r < n; r++) {
                xr[out + r] /= big;
                xi[out + r] /= big;
            }
        }
        // λ = wᵀ K v / wᵀ v with w = v / d
        double numR = 0;
        double numI = 0;
        double denR = 0;
        double denI = 0;
        for (int i = 0; i < n; i++) {
            ComplexVectors.dot(kRe, kIm, i * n, xr, xi, out, n, dot);
            double wr = xr[out + i] / d[i];
            double wi = xi[out + i] / d[i];
            numR += wr * dot[0] - wi * dot[1];
            numI += wr * dot[1] + wi * dot[0];
            denR += wr * xr[out + i] - wi * xi[out + i];
            denI += wr * xi[out + i] + wi * xr[out + i];
        }
        quotient(numR, numI, denR, denI);
        if (!Double.isFinite(qR) || !Double.isFinite(qI)) {
            return Double.NaN;
        }
        valRe[k] = qR;
        valIm[k] = qI;
        ComplexEigen.normalise(vecRe, vecIm, out, n);
        return modeError(k);
    }

    // ‖K y − u‖²
    private double residual2(double[] yr, double[] yi, double[] ur, double[] ui) {
        double res = 0;
        for (int i = 0; i < n; i++) {
            ComplexVectors.dot(kRe, kIm, i * n, yr, yi, 0, n, dot);
            double eR = dot[0] - ur[i];
            double eI = dot[1] - ui[i];
            res += eR * eR + eI * eI;
        }
        return res;
    }

    private static double gaussian(java.util.SplittableRandom r) {
        // Box–Muller; the probe only needs to be fixed and roughly Gaussian
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    // the principal square root
    private static double[] sqrt(double re, double im) {
        double m = Math.sqrt(re * re + im * im);
        if (Double.isInfinite(m) || m < SAFE_MIN) {
            m = Math.hypot(re, im);
        }
        if (m == 0) {
            return new double[] {0, 0};
        }
        double t = Math.sqrt(0.5 * (m + Math.abs(re)));
        return re >= 0 ? new double[] {t, im / (2 * t)} : new double[] {Math.abs(im) / (2 * t), Math.copySign(t, im)};
    }

    // (qR, qI) = 1 / b: conj(b) / |b|² with one division where |b|² is a normal number, else Smith's algorithm
    private void reciprocal(double bR, double bI) {
        double m2 = bR * bR + bI * bI;
        if (m2 >= Double.MIN_NORMAL && m2 <= Double.MAX_VALUE) {
            double t = 1 / m2;
            qR = bR * t;
            qI = -bI * t;
        } else if (Math.abs(bR) >= Math.abs(bI)) {
            double r = bI / bR;
            double t = 1 / (bR + bI * r);
            qR = t;
            qI = -r * t;
        } else {
            double r = bR / bI;
            double t = 1 / (bI + bR * r);
            qR = r * t;
            qI = -t;
        }
    }

    // (qR, qI) = a / b by Smith's algorithm
    private void quotient(double aR, double aI, double bR, double bI) {
        if (Math.abs(bR) >= Math.abs(bI)) {
            double r = bI / bR;
            double den = bR + bI * r;
            qR = (aR + aI * r) / den;
            qI = (aI - aR * r) / den;
        } else {
            double r = bR / bI;
            double den = bI + bR * r;
            qR = (aR * r + aI) / den;
            qI = (aI * r - aR) / den;
        }
    }
}
