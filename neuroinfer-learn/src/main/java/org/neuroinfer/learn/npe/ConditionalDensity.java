package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A conditional density q(θ | c) over standardised parameters θ ∈ R^D given a context vector c (the embedding of
 * an observation): it evaluates the log density (differentiably, for training) and draws samples. As a
 * {@link Block} it maps the inputs (context [B, E], θ [B, D]) to log q [B].
 */
public interface ConditionalDensity extends Block {
    /** Dimension D of θ. */
    int dimension();

    /** log q(θ_b | c_b) for each row b: context [B, E], θ [B, D] → [B]. */
    NDArray logProb(ParameterStore store, NDArray context, NDArray theta, boolean training);

    /**
     * {@code n} draws of θ given one context [1, E], as rows of D values; the standard normal variates come from
     * {@code rng}, so a seed gives the same draws on every engine.
     */
    float[][] sample(ParameterStore store, NDArray context, int n, UniformRandomProvider rng);
}
