package org.neuroinfer.param;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** Standard normal draws from any uniform provider. */
final class Gaussian {
    private Gaussian() {
    }

    static double standard(UniformRandomProvider rng) {
        return ZigguratSampler.NormalizedGaussian.of(rng).sample();
    }
}
