package org.neuroinfer.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Products and quotients of an array and a number that survive to the backward pass. DJL's {@code mul(Number)} and
 * {@code div(Number)} make the number a tensor on a Java direct buffer and close it as soon as the product is made;
 * autograd keeps that tensor for the gradient, and once the collector frees the buffer the backward pass reads
 * whatever the memory then holds (a training gave other losses, or a NaN, in 5 of 12 runs of the same seed, and in
 * 3 of 3 with a collection forced between the forward and the backward pass). Here the number lives in libtorch's
 * own memory, which autograd's reference keeps alive. Use these wherever a gradient flows.
 */
public final class Scalars {
    private Scalars() {
    }

    /** x · s, with the same bits as {@code x.mul(s)}. */
    public static NDArray times(NDArray x, double s) {
        try (NDArray c = scalar(x, s)) {
            return x.mul(c);
        }
    }

    /** x / s, with the same bits as {@code x.div(s)}. */
    public static NDArray over(NDArray x, double s) {
        try (NDArray c = scalar(x, s)) {
            return x.div(c);
        }
    }

    /** s as a 0-d array of x's type on x's device, in libtorch's memory. */
    private static NDArray scalar(NDArray x, double s) {
        return x.getManager().full(new Shape(), (float) s, x.getDataType(), x.getDevice());
    }
}
