package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.neuroinfer.learn.nn.Scalars;

/**
 * The monotone rational-quadratic spline of neural spline flows (Durkan et al. 2019, eqs. 4–6; the inverse from
 * their appendix A.3) on [-B, B] with K bins and the identity outside ("linear tails"), as sbi's default NPE
 * estimator uses it (K = 10, B = 3 on standardised θ). Each variable's P = 3K - 1 parameters are K unnormalised bin
 * widths, K heights (both divided by √width of the MADE, as nflows does, and passed through a softmax with a
 * minimum of 10⁻³ per bin) and the K - 1 inner knot derivatives (softplus + 10⁻³; the two end derivatives are 1, so
 * the spline joins its linear tails smoothly).
 * <p>
 * Inside bin k, with ξ = (u - x_k)/w_k, s_k = h_k/w_k and knot derivatives δ_k, δ_{k+1}:
 * <pre>  z = y_k + h_k (s_k ξ² + δ_k ξ(1-ξ)) / (s_k + (δ_{k+1} + δ_k - 2 s_k) ξ(1-ξ))
 *  dz/du = s_k² (δ_{k+1} ξ² + 2 s_k ξ(1-ξ) + δ_k (1-ξ)²) / (s_k + (δ_{k+1} + δ_k - 2 s_k) ξ(1-ξ))²</pre>
 */
final class RationalQuadraticSpline implements ElementwiseTransform {
    static final double MIN_BIN = 1e-3;
    static final double MIN_DERIVATIVE = 1e-3;
    /** The unnormalised end derivative that softplus maps to 1 - 10⁻³, so the end derivatives are exactly 1. */
    private static final double END = Math.log(Math.expm1(1 - MIN_DERIVATIVE));
    private final int bins;
    private final double bound;
    private final double norm;

    /** K = {@code bins} bins on [-{@code bound}, {@code bound}], parameters from a MADE of {@code width} units. */
    RationalQuadraticSpline(int bins, double bound, int width) {
        this.bins = bins;
        this.bound = bound;
        this.norm = 1 / Math.sqrt(width);
    }

    @Override
    public int parameters() {
        return 3 * bins - 1;
    }

    @Override
    public NDList forward(NDArray u, NDArray p) {
        int k = bins;
        Shape s = p.getShape();
        long rows = s.get(0);
        long dims = s.get(1);
        NDArray inside = u.abs().lt(bound);
        // positions measured from -B: x in [0, 2B]; bin sizes [B, D, 2, K] (widths in row 0, heights in row 1),
        // their right knots by a running sum and their left knots one size back
        NDArray x = u.clip(-bound, bound).add(bound).expandDims(2);
        NDArray logits = Scalars.times(p.get(":, :, 0:" + 2 * k).reshape(rows, dims, 2, k), norm);
        NDArray size = Scalars.times(Scalars.times(logits.softmax(3), 1 - MIN_BIN * k).add(MIN_BIN), 2 * bound);
        NDArray right = size.cumSum(3);
        NDArray left = right.sub(size);
        NDArray d = derivatives(p.get(":, :, " + 2 * k + ":"));
        // the bin: j = how many inner knots lie at or below x (bin j holds x_j <= x < x_{j+1}); its x_k, y_k, w_k,
        // h_k, δ_k, δ_{k+1} gathered at once and split, each [B, D, 1]
        NDArray j = x.gte(right.get(":, :, 0, 0:" + (k - 1))).toType(DataType.INT64, false).sum(new int[]{2});
        NDArray values = NDArrays.concat(new NDList(left, size, d.get(":, :, 0:" + k).expandDims(2),
                d.get(":, :, 1:").expandDims(2)), 2);
        NDList picked = values.gather(j.reshape(rows, dims, 1, 1).broadcast(new Shape(rows, dims, 6, 1)), 3)
                .squeeze(3).split(6, 2);
        NDArray xk = picked.get(0);
        NDArray yk = picked.get(1);
        NDArray wk = picked.get(2);
        NDArray hk = picked.get(3);
        NDArray dk = picked.get(4);
        NDArray dk1 = picked.get(5);
        NDArray sk = hk.div(wk);
        NDArray twoSk = sk.add(sk);
        // ξ within [0, 1] also where rounding puts x a hair past its bin's edge (the last knot is 2B only to within
        // an ulp) and for the clipped tails, whose values are discarded: a denominator that crossed 0 there would
        // give a NaN gradient through the discarded branch
        NDArray xi = x.sub(xk).div(wk).clip(0, 1);
        NDArray rest = xi.neg().add(1);
        NDArray xi1 = xi.mul(rest);
        NDArray xi2 = xi.square();
        NDArray den = sk.add(dk1.add(dk).sub(twoSk).mul(xi1));
        NDArray z = yk.add(hk.mul(sk.mul(xi2).add(dk.mul(xi1))).div(den)).sub(bound).squeeze(2);
        NDArray slope = sk.square().mul(dk1.mul(xi2).add(twoSk.mul(xi1)).add(dk.mul(rest.square())));
        NDArray logDet = slope.div(den.square()).log().squeeze(2);
        return new NDList(NDArrays.where(inside, z, u), NDArrays.where(inside, logDet, logDet.zerosLike()));
    }

    /** The K + 1 knot derivatives [.., K+1], from the K - 1 unnormalised inner ones. */
    private static NDArray derivatives(NDArray raw) {
        Shape s = raw.getShape();
        NDArray end = raw.getManager().full(new Shape(s.get(0), s.get(1), 1), (float) END, raw.getDataType(),
                raw.getDevice());
        return Activation.softPlus(NDArrays.concat(new NDList(end, raw, end), 2)).add(MIN_DERIVATIVE);
    }

    @Override
    public double inverse(double z, float[] p) {
        if (Math.abs(z) >= bound) {
            return z;
        }
        int k = bins;
        double[] xs = knots(p, 0);
        double[] ys = knots(p, k);
        int j = 0;
        while (j < k - 1 && z >= ys[j + 1]) {
            j++;
        }
        double wk = xs[j + 1] - xs[j];
        double hk = ys[j + 1] - ys[j];
        double sk = hk / wk;
        double dk = derivative(p, j);
        double dk1 = derivative(p, j + 1);
        double dy = z - ys[j];
        double c2 = dk1 + dk - 2 * sk;
        double a = dy * c2 + hk * (sk - dk);
        double b = hk * dk - dy * c2;
        double c = -sk * dy;
        double disc = Math.max(0, b * b - 4 * a * c);
        double xi = Math.min(1, Math.max(0, 2 * c / (-b - Math.sqrt(disc))));
        return xs[j] + xi * wk;
    }

    /** Knots from -B to B of the K sizes at {@code from} in p, as the forward pass computes them (in double). */
    private double[] knots(float[] p, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < bins; j++) {
            max = Math.max(max, p[from + j] * norm);
        }
        double[] e = new double[bins];
        double sum = 0;
        for (int j = 0; j < bins; j++) {
            e[j] = Math.exp(p[from + j] * norm - max);
            sum += e[j];
        }
        double[] at = new double[bins + 1];
        double cum = 0;
        at[0] = -bound;
        for (int j = 0; j < bins; j++) {
            cum += (MIN_BIN + (1 - MIN_BIN * bins) * e[j] / sum) * 2 * bound; // bin sizes summed, as forward does
            at[j + 1] = cum - bound;
        }
        return at;
    }

    /** Knot derivative j of K + 1. */
    private double derivative(float[] p, int j) {
        return ElementwiseTransform.softplus(j == 0 || j == bins ? END : p[2 * bins + j - 1]) + MIN_DERIVATIVE;
    }
}
