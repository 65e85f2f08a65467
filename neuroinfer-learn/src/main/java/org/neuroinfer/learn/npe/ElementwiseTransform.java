package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The monotone map of one variable inside an autoregressive transform of a {@link MaskedAutoregressiveFlow}:
 * z_i = f(u_i; p_i), with the P parameters p_i of variable i from the transform's MADE. Its forward pass is
 * differentiable (training); its inverse works on one value at a time (sampling).
 */
interface ElementwiseTransform {
    /** P, parameters per variable. */
    int parameters();

    /** Forward: u [B, D] and p [B, D, P] → (z [B, D], log |dz/du| [B, D]). */
    NDList forward(NDArray u, NDArray p);

    /** Inverse of one variable: u with f(u; p) = z, p the P parameters. */
    double inverse(double z, float[] p);

    /** log(1 + e^r), as the forward pass's softplus, for the inverses. */
    static double softplus(double r) {
        return r > 20 ? r : Math.log1p(Math.exp(r));
    }
}
