package org.neuroinfer.param;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** Standard normal draws from any uniform provider. */
final class Gaussian {
    /** N(0, 1) for quantiles and probabilities. */
    static final org.hipparchus.distribution.continuous.NormalDistribution STANDARD =
            new org.hipparchus.distribution.continuous.NormalDistribution(0, 1);

    private Gaussian() {
    }

    static double standard(UniformRandomProvider rng) {
        return ZigguratSampler.NormalizedGaussian.of(rng).sample();
    }
}
