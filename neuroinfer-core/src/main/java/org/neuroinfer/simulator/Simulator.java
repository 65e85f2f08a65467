package org.neuroinfer.simulator;

import org.neuroinfer.param.ParameterSpace;

/**
 * A model and its measurement seen as one stochastic function, the object simulation-based inference works on
 * (Cranmer, Brehmer &amp; Louppe 2020, PNAS 117:30055): a prior p(θ) over named parameters and simulate(θ) → x, one
 * observation per parameter set. Every estimator and diagnostic takes this contract, whatever the model behind it
 * (Jansen-Rit EEG, network FC, SGM spectra, benchmark tasks).
 *
 * <p>Both draws are keyed: prior draw j and simulation k use the random streams of index {@code first + j} and
 * {@code first + k}, so a batch gives the same values as its rows one at a time, on any number of threads.
 */
public interface Simulator {
    /** What the observations depend on besides θ (model, settings, measurement), as a short stable text. */
    String id();

    /** The parameters θ: names, units, ranges and the prior over them. */
    ParameterSpace parameters();

    /** The shape of one observation, e.g. {@code {channels, times}} or {@code {features}}. */
    int[] shape();

    /** Floats in one observation: the product of {@link #shape()}. */
    default int length() {
        int n = 1;
        for (int s : shape()) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /**
     * The noise condition the observations are made at, as data sets label it: a noise factor, or a target SNR in
     * dB; 0 for a simulator without such a setting.
     */
    default double noiseLevel() {
        return 0;
    }

    /** {@code n} independent draws from the prior, draw j from random stream {@code first + j}. */
    double[][] drawPrior(int n, long first);

    /**
     * log p(θ) of the prior {@link #drawPrior} draws from (−∞ outside its support); by default the product of
     * the parameters' priors, which a simulator whose prior is not a product (a correlated Gaussian) overrides.
     */
    default double logPrior(double[] theta) {
        return parameters().logDensity(theta);
    }

    /**
     * The observations of the parameter sets {@code theta} (rows in the order of {@link #parameters()}), each
     * flattened row-major in {@link #shape()}; simulation k uses random stream {@code first + k}. A simulation that
     * diverged gives a row of NaN.
     */
    float[][] simulate(double[][] theta, long first);
}
