package org.neuroinfer.learn.npe;

import java.util.List;

/**
 * The bijection between a box-bounded parameter vector θ and the unbounded space a density estimator learns in:
 * per parameter, u = logit((θ − lo) / (hi − lo)) when bounded on both sides, log(θ − lo) or −log(hi − θ) when
 * bounded on one, θ itself when open. Learning u instead of θ puts no density outside the prior's support, so a
 * uniform or truncated prior's sharp edges need not be learned and no draw is rejected; the density of θ is that
 * of u times |du/dθ| (change of variables). With {@code reject} every parameter is left as it is (sbi's default
 * for NPE: draws outside the support are rejected).
 */
public final class BoundsTransform {
    /** Fraction of a two-sided range kept clear of each bound, so that a draw exactly on it maps to a finite u. */
    private static final double EDGE = 1e-12;
    private final double[] lo;
    private final double[] hi;
    private final boolean[] lower;
    private final boolean[] upper;

    private BoundsTransform(double[] lo, double[] hi, boolean[] lower, boolean[] upper) {
        this.lo = lo;
        this.hi = hi;
        this.lower = lower;
        this.upper = upper;
    }

    /** The transform of {@code support} for {@code bounds} ({@link EstimatorSpec#BOUNDS}). */
    public static BoundsTransform of(PosteriorCard.Support support, String bounds) {
        boolean on = EstimatorSpec.TRANSFORM.equals(bounds);
        int d = support.lower().size();
        double[] lo = new double[d];
        double[] hi = new double[d];
        boolean[] l = new boolean[d];
        boolean[] u = new boolean[d];
        for (int j = 0; j < d; j++) {
            Double a = support.lower().get(j);
            Double b = support.upper().get(j);
            l[j] = on && a != null;
            u[j] = on && b != null;
            lo[j] = a == null ? Double.NEGATIVE_INFINITY : a;
            hi[j] = b == null ? Double.POSITIVE_INFINITY : b;
        }
        return new BoundsTransform(lo, hi, l, u);
    }

    /** Whether every parameter is left as it is. */
    public boolean identity() {
        for (int j = 0; j < lo.length; j++) {
            if (lower[j] || upper[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * u for θ; a transformed parameter outside its bounds gives NaN (one exactly on a bound of a two-sided range
     * is moved inside by 10⁻¹² of the range).
     */
    public double[] forward(double[] theta) {
        double[] u = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            double t = theta[j];
            if (lower[j] && upper[j]) {
                double p = (t - lo[j]) / (hi[j] - lo[j]);
                if (!(p >= 0 && p <= 1)) {
                    u[j] = Double.NaN;
                    continue;
                }
                p = Math.min(1 - EDGE, Math.max(EDGE, p));
                u[j] = Math.log(p) - Math.log1p(-p);
            } else if (lower[j]) {
                u[j] = t > lo[j] ? Math.log(t - lo[j]) : Double.NaN;
            } else if (upper[j]) {
                u[j] = t < hi[j] ? -Math.log(hi[j] - t) : Double.NaN;
            } else {
                u[j] = t;
            }
        }
        return u;
    }

    /** θ for u (in place), always inside the transformed parameters' bounds. */
    public double[] inverse(double[] u) {
        for (int j = 0; j < u.length; j++) {
            if (lower[j] && upper[j]) {
                double p = u[j] >= 0 ? 1 / (1 + Math.exp(-u[j])) : Math.exp(u[j]) / (1 + Math.exp(u[j]));
                u[j] = Math.min(hi[j], Math.max(lo[j], lo[j] + p * (hi[j] - lo[j])));
            } else if (lower[j]) {
                u[j] = lo[j] + Math.exp(u[j]);
            } else if (upper[j]) {
                u[j] = hi[j] - Math.exp(-u[j]);
            }
        }
        return u;
    }

    /**
     * log |det du/dθ| at θ, which is added to log q(u) to give log q(θ); −∞ outside the transformed parameters'
     * bounds.
     */
    public double logAbsDetJacobian(double[] theta) {
        double s = 0;
        for (int j = 0; j < theta.length; j++) {
            double t = theta[j];
            if (lower[j] && upper[j]) {
                double w = hi[j] - lo[j];
                double p = (t - lo[j]) / w;
                if (!(p >= 0 && p <= 1)) {
                    return Double.NEGATIVE_INFINITY;
                }
                p = Math.min(1 - EDGE, Math.max(EDGE, p));
                s -= Math.log(w) + Math.log(p) + Math.log1p(-p);
            } else if (lower[j]) {
                s -= t > lo[j] ? Math.log(t - lo[j]) : Double.POSITIVE_INFINITY;
            } else if (upper[j]) {
                s -= t < hi[j] ? Math.log(hi[j] - t) : Double.POSITIVE_INFINITY;
            }
        }
        return s;
    }

    /**
     * The rows of {@code y} (columns in the order of the support) transformed; refuses a row outside a transformed
     * parameter's bounds, naming it.
     *
     * @param names parameter names, for the message
     */
    public double[][] forwardAll(double[][] y, List<String> names) {
        double[][] out = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            out[i] = forward(y[i]);
            for (int j = 0; j < out[i].length; j++) {
                if (Double.isNaN(out[i][j]) && !Double.isNaN(y[i][j])) {
                    throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "simulation %d: %s = %g "
                            + "lies outside the prior's support [%s, %s]; the estimator learns within it "
                            + "(estimator.bounds: %s); use estimator.bounds: %s to learn the parameters as they are",
                            i, names.get(j), y[i][j], lo[j], hi[j], EstimatorSpec.TRANSFORM, EstimatorSpec.REJECT));
                }
            }
        }
        return out;
    }
}
