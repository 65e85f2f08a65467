package org.neuroinfer.model.sgm;

import java.util.Arrays;
import org.hipparchus.complex.Complex;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.numeric.ComplexSymmetricEigen;
import org.neuroinfer.numeric.ComplexVectors;
import org.neuroinfer.numeric.Modulus;

/**
 * The spectral graph model of regional MEG power spectra (Raj et al. 2020, Hum. Brain Mapp. 41:2980; M-SGM:
 * Verma, Nagarajan &amp; Raj 2022, NeuroImage 249:118919; Jin et al. 2023) on a prepared connectome and a frequency
 * grid: for each frequency, the eigen-decomposition of the complex Laplacian, the local transfer functions and the
 * per-mode responses, summed to one complex (2020) or real (M-SGM) value per region. Equations, conventions and
 * the variants follow {@code shared/reference/sgm/README.md} §4–7.
 *
 * <p>Immutable and thread-safe; {@link #modes(double)} allocates its own work space.
 */
public final class SpectralGraphModel {
    private static final double DELAY_MM_TO_M = 0.001;
    private static final double CLAMP = 0.05;
    private static final double LOCAL_MIX = 0.5;

    private final int n;
    private final double[] freqs;
    private final SgmVariant variant;
    private final double[] weights;
    private final double[] lengths;
    private final double[] normaliser;
    private final int modeCount;

    /**
     * @param prepared a prepared connectome ({@link SgmConnectome#read}); symmetric, non-negative
     * @param freqsHz  the frequency grid (Hz), positive
     * @param variant  the formulation
     */
    public SpectralGraphModel(Connectome prepared, double[] freqsHz, SgmVariant variant) {
        SgmConnectome.requireSymmetric(prepared, "for the SGM");
        if (freqsHz.length == 0) {
            throw new IllegalArgumentException("SGM frequency grid is empty");
        }
        for (double f : freqsHz) {
            if (!(f > 0) || !Double.isFinite(f)) {
                throw new IllegalArgumentException("SGM frequency " + f + " Hz; valid: finite values > 0");
            }
        }
        this.n = prepared.size();
        this.freqs = freqsHz.clone();
        this.variant = variant;
        this.weights = new double[n * n];
        this.lengths = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(prepared.weights()[i], 0, weights, i * n, n);
            System.arraycopy(prepared.lengths()[i], 0, lengths, i * n, n);
        }
        this.normaliser = SgmConnectome.rowNormaliser(prepared, variant.percentileNormaliser());
        // the 2020 papers keep sorted modes 1 .. round(2n/3) − 1 (README §7)
        this.modeCount = (int) Math.rint(2.0 * n / 3);
    }

    /** The grid of Raj et al. 2020: 40 frequencies from 2 to 45 Hz, as {@code numpy.linspace(2, 45, 40)}. */
    public static double[] standardFrequencies() {
        int count = 40;
        double start = 2;
        double stop = 45;
        double step = (stop - start) / (count - 1);
        double[] f = new double[count];
        for (int i = 0; i < count; i++) {
            f[i] = i * step + start;
        }
        f[count - 1] = stop;
        return f;
    }

    /** Regions. */
    public int regions() {
        return n;
    }

    /** The frequency grid (Hz). */
    public double[] frequencies() {
        return freqs.clone();
    }

    /** The formulation. */
    public SgmVariant variant() {
        return variant;
    }

    /** The eigen-decompositions at transmission speed {@code speed} (m/s), one per frequency, on this thread. */
    public LaplacianModes modes(double speed) {
        return modes(speed, 1);
    }

    /**
     * As {@link #modes(double)} with the frequencies shared among {@code threads} threads; the result does not
     * depend on the thread count.
     */
    public LaplacianModes modes(double speed, int threads) {
        return modes(speed, threads, Double.NaN);
    }

    /**
     * The modes at {@code speed}, with eigenvectors only where the 2020 family's sum uses them at coupling
     * {@code alpha} (NaN: all of them).
     */
    private LaplacianModes modes(double speed, int threads, double alpha) {
        if (!(speed > 0) || !Double.isFinite(speed)) {
            throw new IllegalArgumentException("SGM parameter speed = " + speed + " m/s; valid: a finite value > 0");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        LaplacianModes m = new LaplacianModes(speed, alpha, n, freqs.length);
        double[][][] c = coupling(speed);
        if (threads == 1) {
            ComplexSymmetricEigen eig = new ComplexSymmetricEigen(n);
            for (int f = 0; f < freqs.length; f++) {
                decompose(m, f, eig, c[0][f], c[1][f]);
            }
            return m;
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        try {
            pool.submit(() -> java.util.stream.IntStream.range(0, freqs.length).parallel()
                    .forEach(f -> decompose(m, f, new ComplexSymmetricEigen(n), c[0][f], c[1][f]))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        return m;
    }

    /**
     * M(ω) = C ∘ exp(−iω·0.001·D/v) at every frequency, [re/im][frequency][i * n + j], upper triangle only (C and D
     * are symmetric). On a uniform grid (the standard one) the phasors advance from one frequency to the next by one
     * complex multiplication, exp(−i(ω + Δω)τ) = exp(−iωτ)·exp(−iΔωτ), instead of a sine and a cosine each (the
     * rounding drift over 40 steps is ~1e-14); otherwise each is computed directly. Built on the calling thread, so
     * the result does not depend on the thread count.
     */
    double[][][] coupling(double speed) {
        int nf = freqs.length;
        double[][][] c = new double[2][nf][n * n];
        double step = nf > 1 ? (freqs[nf - 1] - freqs[0]) / (nf - 1) : 0;
        boolean uniform = nf > 2;
        for (int f = 0; f < nf && uniform; f++) {
            uniform = Math.abs(freqs[f] - (freqs[0] + f * step)) <= 1e-13 * freqs[nf - 1];
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                int p = i * n + j;
                double tau = DELAY_MM_TO_M * lengths[p] / speed;
                double w = weights[p];
                if (!uniform) {
                    for (int f = 0; f < nf; f++) {
                        double phase = 2 * Math.PI * freqs[f] * tau;
                        c[0][f][p] = w * Math.cos(phase);
                        c[1][f][p] = -w * Math.sin(phase);
                    }
                    continue;
                }
                double er = Math.cos(2 * Math.PI * freqs[0] * tau);
                double ei = -Math.sin(2 * Math.PI * freqs[0] * tau);
                double sr = Math.cos(2 * Math.PI * step * tau);
                double si = -Math.sin(2 * Math.PI * step * tau);
                for (int f = 0; f < nf; f++) {
                    c[0][f][p] = w * er;
                    c[1][f][p] = w * ei;
                    double t = er * sr - ei * si;
                    ei = er * si + ei * sr;
                    er = t;
                }
            }
        }
        return c;
    }

    // K(ω) = diag(n)·M(ω) at frequency f, decomposed into m
    private void decompose(LaplacianModes m, int f, ComplexSymmetricEigen eig, double[] mr, double[] mi) {
        double alpha = m.alpha();
        eig.decompose(mr, mi, normaliser, Double.isNaN(alpha) ? null : (re, im, wanted) -> {
            // the modes sumOfModes takes at this α, and any within 1e-9 of the ends of that range (the eigenvalues
            // may still move by rounding when their vectors are computed)
            double[] abs = new double[n];
            Integer[] order = new Integer[n];
            sortByLaplacianModulus(alpha, re, im, abs, order);
            double lo = abs[order[1]] * (1 - 1e-9);
            double hi = abs[order[modeCount - 1]] * (1 + 1e-9);
            for (int k = 0; k < n; k++) {
                wanted[k] = abs[k] >= lo && abs[k] <= hi;
            }
        });
        m.muRe[f] = eig.valuesRe().clone();
        m.muIm[f] = eig.valuesIm().clone();
        m.vecRe[f] = eig.vectorsRe().clone();
        m.vecIm[f] = eig.vectorsIm().clone();
    }

    /**
     * The spectrum's magnitude, [region][frequency]: |x| for the 2020 family, row norms of M for M-SGM. For the
     * 2020 family only the eigenvectors the sum uses at p's α are computed.
     */
    public double[][] magnitude(SgmParameters p) {
        return magnitude(p, 1);
    }

    /** As {@link #magnitude(SgmParameters)}, the eigen-decompositions on {@code threads} threads. */
    public double[][] magnitude(SgmParameters p, int threads) {
        return magnitude(p, modes(p.speed(), threads, variant.sumsEigenvectors() ? p.alpha() : Double.NaN));
    }

    /** As {@link #magnitude(SgmParameters)} with modes computed before for the same speed. */
    public double[][] magnitude(SgmParameters p, LaplacianModes modes) {
        if (modes.speed() != p.speed() || modes.regions() != n || modes.frequencies() != freqs.length) {
            throw new IllegalArgumentException("modes computed for speed " + modes.speed() + " m/s used with speed "
                    + p.speed() + " m/s");
        }
        if (!Double.isNaN(modes.alpha()) && modes.alpha() != p.alpha()) {
            throw new IllegalArgumentException("modes computed for alpha " + modes.alpha() + " used with alpha "
                    + p.alpha());
        }
        double[][] out = new double[n][freqs.length];
        Work w = new Work(n);
        for (int f = 0; f < freqs.length; f++) {
            respond(p, modes, f, w);
            if (variant.sumsEigenvectors()) {
                sumOfModes(modes, f, w);
                for (int j = 0; j < n; j++) {
                    out[j][f] = Modulus.of(w.xr[j], w.xi[j]);
                }
            } else {
                rowNorms(modes, f, w);
                for (int j = 0; j < n; j++) {
                    out[j][f] = w.xr[j];
                }
            }
        }
        return out;
    }

    /** 20·log10 of a magnitude spectrum (spectrome's {@code mag2db}). */
    public static double[][] decibels(double[][] magnitude) {
        double[][] out = new double[magnitude.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[magnitude[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = 20 * Math.log10(magnitude[i][j]);
            }
        }
        return out;
    }

    /**
     * The 2020 fitting pipeline's smoothing along frequency: {@code numpy.convolve(x, [1, 2, 5, 2, 1] / 11,
     * "same")} per region, zero-padded at both ends.
     */
    public static double[][] smooth(double[][] magnitude) {
        double[] k = {1 / 11.0, 2 / 11.0, 5 / 11.0, 2 / 11.0, 1 / 11.0};
        double[][] out = new double[magnitude.length][];
        for (int i = 0; i < out.length; i++) {
            double[] x = magnitude[i];
            out[i] = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                double s = 0;
                for (int t = -2; t <= 2; t++) {
                    if (j + t >= 0 && j + t < x.length) {
                        s += k[t + 2] * x[j + t];
                    }
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    /** Per-frequency scratch: mode order, mode responses and the output vector. */
    static final class Work {
        final double[] absLambda;
        final Integer[] order;
        final double[] rr;
        final double[] ri;
        final double[] xr;
        final double[] xi;
        final double[] ar;
        final double[] ai;
        final double[] qmod;

        Work(int n) {
            absLambda = new double[n];
            order = new Integer[n];
            rr = new double[n];
            ri = new double[n];
            xr = new double[n];
            xi = new double[n];
            ar = new double[n];
            ai = new double[n];
            qmod = new double[n];
        }
    }

    private static Complex transfer(double tau, Complex iw) {
        Complex d = iw.add(1 / tau);
        return d.multiply(d).reciprocal().multiply(1 / (tau * tau));
    }

    /** The local transfer function H_local(ω) of README §6. */
    Complex localResponse(SgmParameters p, double omega) {
        Complex iw = new Complex(0, omega);
        return localResponse(p, iw, transfer(p.tauE(), iw));
    }

    // H_local at iω, with Fe = F(τe, ω) computed by the caller
    private Complex localResponse(SgmParameters p, Complex iw, Complex fe) {
        if (variant.family() == SgmVariant.Family.SGM2020) {
            double gain = variant == SgmVariant.SGM2020_LA ? p.alpha() : 1;
            Complex fi = transfer(p.tauI(), iw).multiply(p.gii());
            Complex he = iw.add(fe.multiply(gain / p.tauE())).reciprocal().multiply(gain / p.tauE());
            Complex hi = iw.add(fi.multiply(gain / p.tauI())).reciprocal().multiply(gain / p.tauI());
            Complex fefi = fe.multiply(fi).multiply(p.gei());
            Complex hei = fefi.divide(fefi.add(1));
            double rest = (1 - LOCAL_MIX) / 2;
            return he.multiply(LOCAL_MIX).add(hi.multiply(rest)).add(hei.multiply(rest));
        }
        double gee = 1;
        Complex fi = transfer(p.tauI(), iw);
        Complex fefig = fe.multiply(fi).multiply(p.gei());
        Complex x = fefig.multiply(fefig).divide(p.tauE() * p.tauI());
        Complex ie = iw.add(fe.multiply(gee / p.tauE()));
        Complex ii = iw.add(fi.multiply(p.gii() / p.tauI()));
        Complex he = fefig.divide(ii.multiply(p.tauE())).add(1).divide(ie.add(x.divide(ii)));
        Complex hi = Complex.ONE.subtract(fefig.divide(ie.multiply(p.tauI()))).divide(ii.add(x.divide(ie)));
        return he.add(hi);
    }

    // mode responses r_k = H_local / q_k (clamped) at frequency index f, unsorted; for the 2020 family also the order
    private void respond(SgmParameters p, LaplacianModes m, int f, Work w) {
        Complex iw = new Complex(0, 2 * Math.PI * freqs[f]);
        Complex fe = transfer(p.tauE(), iw);
        Complex h = localResponse(p, iw, fe);
        // q_k = a + b·λ_k (README §7)
        Complex a;
        Complex b;
        switch (variant.family()) {
            case SGM2020 -> {
                double gain = variant == SgmVariant.SGM2020_LA ? p.alpha() : 1;
                // (1/ℓ)·τC·(iω + (ℓ/τC)·Fe·λ) = (τC/ℓ)·iω + Fe·λ
                a = iw.multiply(p.tauC() / gain);
                b = fe;
            }
            case MSGM2022 -> {
                a = iw;
                b = fe.multiply(1 / p.tauC());
            }
            default -> {
                a = iw;
                b = transfer(p.tauC(), iw).multiply(1 / p.tauC());
            }
        }
        double[] mr = m.muRe[f];
        double[] mi = m.muIm[f];
        double max = 0;
        for (int k = 0; k < n; k++) {
            double lr = 1 - p.alpha() * mr[k];
            double li = -p.alpha() * mi[k];
            double qr = a.getReal() + b.getReal() * lr - b.getImaginary() * li;
            double qi = a.getImaginary() + b.getReal() * li + b.getImaginary() * lr;
            w.ar[k] = qr;
            w.ai[k] = qi;
            w.qmod[k] = Modulus.of(qr, qi);
            max = Math.max(max, w.qmod[k]);
        }
        double floor = CLAMP * max;
        double hr = h.getReal();
        double hiPart = h.getImaginary();
        for (int k = 0; k < n; k++) {
            double qr = w.ar[k];
            double qi = w.ai[k];
            double mod = w.qmod[k];
            if (mod < floor) {
                qr *= floor / mod;
                qi *= floor / mod;
            }
            double den = qr * qr + qi * qi;
            w.rr[k] = (hr * qr + hiPart * qi) / den;
            w.ri[k] = (hiPart * qr - hr * qi) / den;
        }
        if (variant.sumsEigenvectors()) {
            sortByLaplacianModulus(p.alpha(), mr, mi, w.absLambda, w.order);
        }
    }

    // abs[k] = |1 − α·μ_k|, order = the modes by increasing abs
    private static void sortByLaplacianModulus(double alpha, double[] muRe, double[] muIm, double[] abs,
                                               Integer[] order) {
        for (int k = 0; k < abs.length; k++) {
            abs[k] = Modulus.of(1 - alpha * muRe[k], -alpha * muIm[k]);
            order[k] = k;
        }
        Arrays.sort(order, (x, y) -> Double.compare(abs[x], abs[y]));
    }

    // 2020: x = Σ_{sorted k = 1}^{round(2n/3) − 1} r_k u_k
    private void sumOfModes(LaplacianModes m, int f, Work w) {
        Arrays.fill(w.xr, 0);
        Arrays.fill(w.xi, 0);
        double[] ur = m.vecRe[f];
        double[] ui = m.vecIm[f];
        for (int s = 1; s < modeCount; s++) {
            int k = w.order[s];
            if (Double.isNaN(ur[k * n])) {
                // an α-specific decomposition left this mode out: the selection's margin was not enough
                throw new IllegalStateException("SGM mode " + k + " at " + freqs[f] + " Hz has no eigenvector for "
                        + "alpha " + m.alpha());
            }
            double rr = w.rr[k];
            double ri = w.ri[k];
            // x += r_k·u_k
            ComplexVectors.subtractScaled(w.xr, w.xi, 0, ur, ui, k * n, n, -rr, -ri, false);
        }
    }

    // M-SGM: output_j = ‖row j of Σ_k r_k u_k u_kᴴ‖₂, into w.xr
    private void rowNorms(LaplacianModes m, int f, Work w) {
        double[] ur = m.vecRe[f];
        double[] ui = m.vecIm[f];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++) {
                double vr = ur[k * n + j];
                double vi = ui[k * n + j];
                w.ar[k] = vr * w.rr[k] - vi * w.ri[k];
                w.ai[k] = vr * w.ri[k] + vi * w.rr[k];
            }
            double ss = 0;
            for (int l = 0; l < n; l++) {
                double sr = 0;
                double si = 0;
                for (int k = 0; k < n; k++) {
                    // a_k · conj(u_lk)
                    double vr = ur[k * n + l];
                    double vi = ui[k * n + l];
                    sr += w.ar[k] * vr + w.ai[k] * vi;
                    si += w.ai[k] * vr - w.ar[k] * vi;
                }
                ss += sr * sr + si * si;
            }
            w.xr[j] = Math.sqrt(ss);
        }
    }
}
