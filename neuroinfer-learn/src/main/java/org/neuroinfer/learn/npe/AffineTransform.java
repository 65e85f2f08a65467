package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/**
 * The affine map of a masked autoregressive flow (Papamakarios et al. 2017): z = s u + m with parameters (m, r) and
 * s = softplus(r + log(e - 1)) + 10⁻³ (nflows' positive scale, which sbi builds on, shifted so that a fresh flow
 * starts near the identity).
 */
final class AffineTransform implements ElementwiseTransform {
    private static final double SOFTPLUS_ONE = Math.log(Math.E - 1);

    @Override
    public int parameters() {
        return 2;
    }

    @Override
    public NDList forward(NDArray u, NDArray p) {
        NDArray s = Activation.softPlus(p.get(":, :, 1").add(SOFTPLUS_ONE)).add(1e-3);
        return new NDList(u.mul(s).add(p.get(":, :, 0")), s.log());
    }

    @Override
    public double inverse(double z, float[] p) {
        double s = ElementwiseTransform.softplus(p[1] + SOFTPLUS_ONE) + 1e-3;
        return (z - p[0]) / s;
    }
}
