package org.neuroinfer.param;

import org.apache.commons.rng.UniformRandomProvider;

/** A one-dimensional prior distribution of a model parameter. */
public interface Prior {

    /** Draws one value using {@code rng}. */
    double sample(UniformRandomProvider rng, double lower, double upper);

    /** The inverse CDF: the value below which a fraction {@code u} in (0, 1) of the prior lies. */
    double quantile(double u, double lower, double upper);

    /** The CDF: the fraction of the prior at or below {@code x} (0 below the support, 1 above). */
    double cdf(double x, double lower, double upper);

    /** The log density at {@code x} (−∞ outside the support). */
    double logDensity(double x, double lower, double upper);

    /** The standard normal quantile of {@code u} in (0, 1). */
    static double probit(double u) {
        return Gaussian.STANDARD.inverseCumulativeProbability(u);
    }

    /** The standard normal CDF. */
    static double normalCdf(double z) {
        return Gaussian.STANDARD.cumulativeProbability(z);
    }

    /** The standard normal log density. */
    static double normalLogDensity(double z) {
        return -0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
    }

    /** Short identifier of the family, as accepted by {@link #named(String)}. */
    String name();

    /**
     * Whether draws can fall outside the parameter's bounds (the seed benchmark's untruncated normal does).
     */
    default boolean mayLeaveBounds() {
        return false;
    }

    /** Uniform on the bounds. */
    Prior UNIFORM = new Prior() {
        @Override
        public double sample(UniformRandomProvider rng, double lower, double upper) {
            return lower + (upper - lower) * rng.nextDouble();
        }

        @Override
        public double quantile(double u, double lower, double upper) {
            return lower + (upper - lower) * u;
        }

        @Override
        public double cdf(double x, double lower, double upper) {
            return Math.min(1, Math.max(0, (x - lower) / (upper - lower)));
        }

        @Override
        public double logDensity(double x, double lower, double upper) {
            return x >= lower && x <= upper ? -Math.log(upper - lower) : Double.NEGATIVE_INFINITY;
        }

        @Override
        public String name() {
            return "uniform";
        }
    };

    /** Log-uniform on the bounds (both bounds must be positive). */
    Prior LOG_UNIFORM = new Prior() {
        @Override
        public double sample(UniformRandomProvider rng, double lower, double upper) {
            if (!(lower > 0)) {
                throw new IllegalArgumentException("log-uniform prior needs a positive lower bound, got " + lower);
            }
            return quantile(rng.nextDouble(), lower, upper);
        }

        @Override
        public double quantile(double u, double lower, double upper) {
            if (!(lower > 0)) {
                throw new IllegalArgumentException("log-uniform prior needs a positive lower bound, got " + lower);
            }
            return Math.exp(Math.log(lower) + (Math.log(upper) - Math.log(lower)) * u);
        }

        @Override
        public double cdf(double x, double lower, double upper) {
            return x <= lower ? 0 : Math.min(1, Math.log(x / lower) / Math.log(upper / lower));
        }

        @Override
        public double logDensity(double x, double lower, double upper) {
            return x >= lower && x <= upper ? -Math.log(x) - Math.log(Math.log(upper / lower))
                    : Double.NEGATIVE_INFINITY;
        }

        @Override
        public String name() {
            return "log-uniform";
        }
    };

    /**
     * The seed benchmark's prior ({@code method='normal'} in deepjr): N((lo+hi)/2, ((hi-lo)/4)^2), not truncated,
     * so draws leave the bounds in 4.6 % of cases per parameter (Tilwani &amp; O'Reilly, arXiv 2406.05002).
     */
    Prior SEED_NORMAL = new Prior() {
        @Override
        public double sample(UniformRandomProvider rng, double lower, double upper) {
            return (lower + upper) / 2 + (upper - lower) / 4 * Gaussian.standard(rng);
        }

        @Override
        public double quantile(double u, double lower, double upper) {
            return (lower + upper) / 2 + (upper - lower) / 4 * Gaussian.STANDARD.inverseCumulativeProbability(u);
        }

        @Override
        public double cdf(double x, double lower, double upper) {
            return normalCdf((x - (lower + upper) / 2) / ((upper - lower) / 4));
        }

        @Override
        public double logDensity(double x, double lower, double upper) {
            double s = (upper - lower) / 4;
            return normalLogDensity((x - (lower + upper) / 2) / s) - Math.log(s);
        }

        @Override
        public String name() {
            return "seed-normal";
        }

        @Override
        public boolean mayLeaveBounds() {
            return true;
        }
    };

    /** The seed's normal truncated to the bounds by rejection (how the reference's random cases were drawn). */
    Prior TRUNCATED_NORMAL = new Prior() {
        @Override
        public double sample(UniformRandomProvider rng, double lower, double upper) {
            while (true) {
                double v = SEED_NORMAL.sample(rng, lower, upper);
                if (v >= lower && v <= upper) {
                    return v;
                }
            }
        }

        @Override
        public double quantile(double u, double lower, double upper) {
            // the normal's quantile restricted to its mass inside [lower, upper]: bounds at -2 and +2 sd
            double a = Gaussian.STANDARD.cumulativeProbability(-2);
            double b = Gaussian.STANDARD.cumulativeProbability(2);
            return (lower + upper) / 2 + (upper - lower) / 4
                    * Gaussian.STANDARD.inverseCumulativeProbability(a + u * (b - a));
        }

        @Override
        public double cdf(double x, double lower, double upper) {
            double a = normalCdf(-2);
            double z = (x - (lower + upper) / 2) / ((upper - lower) / 4);
            return Math.min(1, Math.max(0, (normalCdf(z) - a) / (normalCdf(2) - a)));
        }

        @Override
        public double logDensity(double x, double lower, double upper) {
            if (!(x >= lower && x <= upper)) {
                return Double.NEGATIVE_INFINITY;
            }
            double s = (upper - lower) / 4;
            return normalLogDensity((x - (lower + upper) / 2) / s) - Math.log(s)
                    - Math.log(normalCdf(2) - normalCdf(-2));
        }

        @Override
        public String name() {
            return "truncated-normal";
        }
    };

    /**
     * A log-normal over (0, ∞): log θ ~ N(m, s²) with m the middle of the log bounds and s a quarter of their
     * width, so the bounds are exp(m ± 2s), as {@link #SEED_NORMAL} is in θ (sbibm's SIR and Lotka-Volterra
     * priors); draws leave the bounds but never zero.
     */
    Prior LOG_NORMAL = new Prior() {
        @Override
        public double sample(UniformRandomProvider rng, double lower, double upper) {
            return Math.exp(SEED_NORMAL.sample(rng, Math.log(lower), Math.log(upper)));
        }

        @Override
        public double quantile(double u, double lower, double upper) {
            return Math.exp(SEED_NORMAL.quantile(u, Math.log(lower), Math.log(upper)));
        }

        @Override
        public double cdf(double x, double lower, double upper) {
            return x <= 0 ? 0 : SEED_NORMAL.cdf(Math.log(x), Math.log(lower), Math.log(upper));
        }

        @Override
        public double logDensity(double x, double lower, double upper) {
            return x <= 0 ? Double.NEGATIVE_INFINITY
                    : SEED_NORMAL.logDensity(Math.log(x), Math.log(lower), Math.log(upper)) - Math.log(x);
        }

        @Override
        public String name() {
            return "log-normal";
        }

        @Override
        public boolean mayLeaveBounds() {
            return true;
        }

        @Override
        public double supportLower() {
            return 0;
        }
    };

    /** The lowest value the prior can draw when it may leave its bounds (−∞, or 0 for a log-normal). */
    default double supportLower() {
        return Double.NEGATIVE_INFINITY;
    }

    /** The prior family of that name: uniform, log-uniform, seed-normal, truncated-normal or log-normal. */
    static Prior named(String name) {
        for (Prior p : new Prior[] {UNIFORM, LOG_UNIFORM, SEED_NORMAL, TRUNCATED_NORMAL, LOG_NORMAL}) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown prior '" + name + "'; valid: uniform, log-uniform, seed-normal, truncated-normal, log-normal");
    }
}
