package org.neuroinfer.learn.npe;

import java.util.List;
import org.neuroinfer.param.Prior;

/**
 * The bijection between a box-bounded parameter vector θ and the unbounded space a density estimator learns in.
 * A parameter bounded on both sides is mapped through its prior's CDF F and the standard normal quantile,
 * u = Φ⁻¹(F(θ)), so that u is standard normal under the prior (uniform where the family is unknown: a probit of
 * the box); one bounded on one side becomes log(θ − lo) or −log(hi − θ); an open one stays as it is. Learning u
 * puts no density outside the prior's support, so its edges need not be learned and no draw is rejected, and a
 * parameter the data do not inform has a standard normal posterior in u, which a flow's Gaussian base represents
 * exactly. The density of θ is that of u times |du/dθ| = f(θ) / φ(u) (change of variables). With {@code reject}
 * every parameter is left as it is (sbi's default for NPE: draws outside the support are rejected).
 */
public final class BoundsTransform {
    /** Probability kept clear of each end of a two-sided prior, so that a draw on a bound maps to a finite u. */
    private static final double EDGE = 1e-12;
    private final double[] lo;
    private final double[] hi;
    private final boolean[] lower;
    private final boolean[] upper;
    private final Prior[] prior;

    private BoundsTransform(double[] lo, double[] hi, boolean[] lower, boolean[] upper, Prior[] prior) {
        this.lo = lo;
        this.hi = hi;
        this.lower = lower;
        this.upper = upper;
        this.prior = prior;
    }

    /** The transform of {@code support} for {@code bounds} ({@link EstimatorSpec#BOUNDS}). */
    public static BoundsTransform of(PosteriorCard.Support support, String bounds) {
        boolean on = EstimatorSpec.TRANSFORM.equals(bounds);
        int d = support.lower().size();
        double[] lo = new double[d];
        double[] hi = new double[d];
        boolean[] l = new boolean[d];
        boolean[] u = new boolean[d];
        Prior[] f = new Prior[d];
        for (int j = 0; j < d; j++) {
            Double a = support.lower().get(j);
            Double b = support.upper().get(j);
            l[j] = on && a != null;
            u[j] = on && b != null;
            lo[j] = a == null ? Double.NEGATIVE_INFINITY : a;
            hi[j] = b == null ? Double.POSITIVE_INFINITY : b;
            String name = support.prior() == null ? null : support.prior().get(j);
            f[j] = name == null ? Prior.UNIFORM : Prior.named(name);
        }
        return new BoundsTransform(lo, hi, l, u, f);
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
     * u for θ; a transformed parameter outside its bounds gives NaN (one on a bound of a two-sided range maps to
     * a finite u, Φ⁻¹(10⁻¹²) = −7.03 at most).
     */
    public double[] forward(double[] theta) {
        double[] u = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            double t = theta[j];
            if (lower[j] && upper[j]) {
                u[j] = t >= lo[j] && t <= hi[j] ? Prior.probit(clear(prior[j].cdf(t, lo[j], hi[j]))) : Double.NaN;
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

    private static double clear(double p) {
        return Math.min(1 - EDGE, Math.max(EDGE, p));
    }

    /** θ for u (in place), always inside the transformed parameters' bounds. */
    public double[] inverse(double[] u) {
        for (int j = 0; j < u.length; j++) {
            if (lower[j] && upper[j]) {
                double t = prior[j].quantile(clear(Prior.normalCdf(u[j])), lo[j], hi[j]);
                u[j] = Math.min(hi[j], Math.max(lo[j], t));
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
        return logAbsDetJacobian(theta, forward(theta));
    }

    /** As {@link #logAbsDetJacobian(double[])} with u = {@link #forward}(θ) already at hand. */
    public double logAbsDetJacobian(double[] theta, double[] u) {
        double s = 0;
        for (int j = 0; j < theta.length; j++) {
            if (Double.isNaN(u[j]) && (lower[j] || upper[j])) {
                return Double.NEGATIVE_INFINITY;
            }
            if (lower[j] && upper[j]) {
                s += prior[j].logDensity(theta[j], lo[j], hi[j]) - Prior.normalLogDensity(u[j]);
            } else if (lower[j]) {
                s -= u[j]; // u = log(θ − lo)
            } else if (upper[j]) {
                s += u[j]; // u = −log(hi − θ)
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
