package org.neuroinfer.integrate;

import java.util.List;

/**
 * A fixed-step explicit Runge-Kutta scheme as data (its Butcher tableau). With additive noise the same tableau gives
 * the stochastic scheme: stage i sees {@code c_i g dW} and the step adds {@code g dW}, which is Euler-Maruyama for
 * {@link #EULER} and the stochastic Heun scheme (Rümelin 1982; TVB's HeunStochastic) for {@link #HEUN}.
 *
 * @param name          identifier used on the command line
 * @param a             stage coefficients (lower triangular, row i has i entries)
 * @param b             weights
 * @param c             nodes
 * @param order         deterministic order of accuracy
 * @param supportsNoise whether the scheme is a consistent integrator of additive-noise SDEs
 */
public record Scheme(String name, double[][] a, double[] b, double[] c, int order, boolean supportsNoise) {

    /** Forward Euler (the seed benchmark's scheme); Euler-Maruyama with noise. */
    public static final Scheme EULER = new Scheme("euler", new double[][] {{}}, new double[] {1}, new double[] {0},
            1, true);
    /** Heun's method (explicit trapezoid); stochastic Heun with noise. */
    public static final Scheme HEUN = new Scheme("heun", new double[][] {{}, {1}}, new double[] {0.5, 0.5},
            new double[] {0, 1}, 2, true);
    /** The classical fourth-order Runge-Kutta scheme (deterministic only). */
    public static final Scheme RK4 = new Scheme("rk4", new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}},
            new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, new double[] {0, 0.5, 0.5, 1}, 4, false);

    /** Every scheme, for contract tests and help texts. */
    public static List<Scheme> all() {
        return List.of(EULER, HEUN, RK4);
    }

    /** Number of stages. */
    public int stages() {
        return b.length;
    }

    /** The scheme called {@code name}. */
    public static Scheme of(String name) {
        for (Scheme s : all()) {
            if (s.name.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown integration method '" + name + "'; valid: euler, heun, rk4");
    }
}
