package org.neuroinfer.model;

import org.neuroinfer.param.ParameterSpace;

/**
 * A neural mass model whose right-hand side advances many parameter sets ("lanes") at once.
 *
 * <p>Arrays are in structure-of-arrays layout: element {@code [i * lanes + l]} holds component {@code i} of lane
 * {@code l}; {@code lanes} is always a multiple of {@link org.neuroinfer.numeric.VectorMath#SPECIES}'s length.
 * Implementations allocate nothing per call.
 */
public interface BatchModel {

    /** Short identifier, e.g. {@code jansen-rit}. */
    String name();

    /** Names of the state variables in order. */
    String[] stateNames();

    /** Units of the state variables in order. */
    String[] stateUnits();

    /** Unit of {@link #output}. */
    String outputUnit();

    /** Number of state variables. */
    default int stateDimension() {
        return stateNames().length;
    }

    /** The model's parameters with defaults, bounds and priors. */
    ParameterSpace parameterSpace();

    /** Number of per-lane coefficients {@link #coefficients} derives from a parameter vector. */
    int coefficientCount();

    /**
     * Derives the per-lane coefficients of one lane from its parameter vector (in {@link #parameterSpace()} order).
     */
    void coefficients(double[] params, double[] coeffs, int lane, int lanes);

    /**
     * Right-hand side dy/dt for every lane.
     *
     * @param t      time in seconds
     * @param y      states [stateDimension x lanes]
     * @param coeffs coefficients [coefficientCount x lanes]
     * @param input  the stimulus value, shared by all lanes, held constant over the sample interval
     * @param dydt   output [stateDimension x lanes]
     */
    void derivatives(double t, double[] y, double[] coeffs, double input, double[] dydt, int lanes);

    /**
     * One forward-Euler (Euler-Maruyama with {@code noise}) step in place: y = y + h f(y) (+ noise). Models may
     * fuse it into their right-hand side; the result must be bit-identical to this default.
     *
     * @param work  scratch of [stateDimension x lanes]
     * @param noise increments g dW per state and lane, or null
     */
    default void eulerStep(double t, double h, double[] y, double[] coeffs, double input, double[] noise,
                           double[] work, int lanes) {
        derivatives(t, y, coeffs, input, work, lanes);
        int n = stateDimension() * lanes;
        if (noise == null) {
            for (int i = 0; i < n; i++) {
                y[i] = y[i] + h * work[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                y[i] = y[i] + h * work[i] + noise[i];
            }
        }
    }

    /** The observed signal of every lane (e.g. the EEG source signal y1 - y2), out[lane]. */
    void output(double[] y, double[] out, int lanes);

    /** The state rows {@link #output} reads, or null when it may read any (the default). */
    default int[] outputRows() {
        return null;
    }

    /**
     * Additive white-noise intensity per state and lane, g[i * lanes + l] (state unit per sqrt(s)), for the
     * stochastic schemes: dy = f dt + g dW. Returns false, leaving {@code g} untouched, when the model has no noise.
     */
    default boolean diffusion(double[] coeffs, double[] g, int lanes) {
        return false;
    }
}
