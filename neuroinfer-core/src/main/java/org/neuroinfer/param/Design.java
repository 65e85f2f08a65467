package org.neuroinfer.param;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.hipparchus.random.SobolSequenceGenerator;
import org.neuroinfer.random.RandomStreams;

/**
 * How the parameter sets of a run are placed in the prior: independent random draws, a Latin hypercube (every
 * parameter's prior split into n equal-probability strata, one point in each; McKay et al. 1979), or the Sobol
 * low-discrepancy sequence (Sobol 1967; Joe &amp; Kuo direction numbers, via Hipparchus). The two designs map unit
 * coordinates through each parameter's prior quantile.
 */
public enum Design {
    /** Independent draws: set i comes from the random stream (seed, first + i). */
    RANDOM("random"),
    /** A Latin hypercube of the n sets, seeded by (seed, block). */
    LATIN_HYPERCUBE("latin-hypercube"),
    /** Points first + 1 .. first + n of the Sobol sequence (the all-zero point 0 is skipped). */
    SOBOL("sobol");

    /** Purpose of the random streams of Latin hypercubes. */
    private static final long DESIGN = 3;
    private final String id;

    Design(String id) {
        this.id = id;
    }

    /** Identifier as written in configuration files. */
    public String id() {
        return id;
    }

    /** The design called {@code id}. */
    public static Design of(String id) {
        for (Design d : values()) {
            if (d.id.equals(id.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown design '" + id + "'; valid: random, latin-hypercube, sobol");
    }

    /**
     * The n parameter sets of one block of a run.
     *
     * @param first index of the block's first set in the run (random and Sobol)
     * @param block the block's number (the Latin hypercube's stream)
     */
    public double[][] draw(ParameterSpace space, long seed, long first, long block, int n) {
        int p = space.size();
        double[][] x = new double[n][];
        switch (this) {
            case RANDOM -> {
                for (int i = 0; i < n; i++) {
                    x[i] = space.sample(RandomStreams.stream(seed, first + i));
                }
            }
            case LATIN_HYPERCUBE -> {
                UniformRandomProvider rng = RandomStreams.stream(seed, block, DESIGN);
                double[][] u = new double[n][p];
                for (int k = 0; k < p; k++) {
                    int[] perm = RandomStreams.permutation(n, rng);
                    for (int i = 0; i < n; i++) {
                        u[i][k] = (perm[i] + rng.nextDouble()) / n;
                    }
                }
                for (int i = 0; i < n; i++) {
                    x[i] = map(space, u[i]);
                }
            }
            case SOBOL -> {
                SobolSequenceGenerator g = new SobolSequenceGenerator(p);
                if (first + 1 > Integer.MAX_VALUE - n) {
                    throw new IllegalArgumentException("Sobol design limited to 2^31 points");
                }
                // skipTo returns point first + 1 itself; nextVector continues after it
                double[] v = g.skipTo((int) (first + 1));
                for (int i = 0; i < n; i++) {
                    x[i] = map(space, v);
                    if (i + 1 < n) {
                        v = g.nextVector();
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
        return x;
    }

    /** Unit coordinates (strictly inside (0, 1) after clamping) through each parameter's prior quantile. */
    private static double[] map(ParameterSpace space, double[] u) {
        double[] v = new double[u.length];
        for (int k = 0; k < u.length; k++) {
            Parameter q = space.get(k);
            double uk = Math.min(Math.max(u[k], 1e-12), 1 - 1e-12);
            v[k] = q.prior().quantile(uk, q.lower(), q.upper());
        }
        return v;
    }
}
