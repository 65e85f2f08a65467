package org.neuroinfer.model;

/**
 * A {@link BatchModel} that can also take forward-Euler steps in single precision: twice the lanes per SIMD vector
 * and a shorter {@code exp}, at the price of rounding errors near 1e-7 per step. Opt-in; double precision stays
 * the reference.
 *
 * <p>Arrays are laid out as in {@link BatchModel}, in {@code float}; {@code lanes} is a multiple of
 * {@link org.neuroinfer.numeric.FloatVectorMath#SPECIES}'s length, and {@code coeffs} holds
 * {@link BatchModel#coefficients} rounded to {@code float}.
 */
public interface SinglePrecisionEuler extends BatchModel {

    /**
     * y = y + h f(y), then + noise (the increments g dW, or null), in single precision.
     *
     * @return whether the new state may hold a NaN or an infinity: exactly
     *         {@link org.neuroinfer.numeric.FloatVectorMath#mayHoldNonFinite} of it, computed while it is written
     */
    boolean eulerStep(float h, float[] y, float[] coeffs, float input, float[] noise, int lanes);

    /**
     * The output of every lane from the single-precision state: exactly {@link #output(double[], double[], int)} of
     * the state widened to double.
     */
    void output(float[] y, double[] out, int lanes);
}
