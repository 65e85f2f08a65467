package org.neuroinfer.simulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.dataset.SpectraConfig;
import org.neuroinfer.dataset.SpectraGenerator;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;
import org.neuroinfer.random.RandomStreams;

/**
 * The spectral graph model observed as a training set records it (Raj et al. 2020; Spectrome-AI): θ the SGM
 * parameters a {@link SpectraConfig} draws, uniform over their ranges (the others held at their values); x the
 * regional spectra [regions × frequencies] in dB (or magnitude), smoothed when the configuration says so, with
 * Gaussian noise of the chosen sd in dB. A batch's spectra are computed in parallel (the result does not depend
 * on it).
 */
public final class SgmSpectra implements Simulator {
    private final SpectraGenerator generator;
    private final SpectraConfig config;
    private final double noiseDb;
    private final List<String> drawn = new ArrayList<>();
    private final double[] fixed;
    private final ParameterSpace parameters;

    /**
     * @param config  the training set's configuration (connectome, variant, frequencies, ranges, output)
     * @param noiseDb sd of the measurement noise in dB (≥ 0; 0 is noise-free)
     */
    public SgmSpectra(SpectraConfig config, double noiseDb) throws IOException {
        if (!(noiseDb >= 0) || Double.isInfinite(noiseDb)) {
            throw new IllegalArgumentException("noise_db must be a finite number >= 0, got " + noiseDb);
        }
        this.generator = new SpectraGenerator(config, 1);
        this.config = generator.config();
        this.noiseDb = noiseDb;
        fixed = new double[SgmParameters.NAMES.size()];
        for (int i = 0; i < fixed.length; i++) {
            String name = SgmParameters.NAMES.get(i);
            List<Double> range = this.config.parameters().get(name);
            if (this.config.drawn(name)) {
                drawn.add(name);
            } else {
                fixed[i] = range.get(0);
            }
        }
        if (drawn.isEmpty()) {
            throw new IllegalArgumentException("parameters: no range to infer; give [lower, upper] for at least one");
        }
        List<Parameter> ps = new ArrayList<>();
        for (String name : drawn) {
            List<Double> r = this.config.parameters().get(name);
            ps.add(new Parameter(name, SgmParameters.UNITS.get(SgmParameters.NAMES.indexOf(name)),
                    0.5 * (r.get(0) + r.get(1)), r.get(0), r.get(1), Prior.UNIFORM, "SGM parameter " + name));
        }
        parameters = new ParameterSpace(ps);
    }

    @Override
    public String id() {
        return config.hash() + ":noise_db=" + noiseDb;
    }

    @Override
    public ParameterSpace parameters() {
        return parameters;
    }

    @Override
    public int[] shape() {
        return new int[] {generator.regions(), config.freqCount()};
    }

    @Override
    public double noiseLevel() {
        return noiseDb;
    }

    /** Independent uniform draws over the ranges, draw j from stream (seed, first + j). */
    @Override
    public double[][] drawPrior(int n, long first) {
        double[][] theta = new double[n][];
        for (int j = 0; j < n; j++) {
            UniformRandomProvider rng = RandomStreams.stream(config.seed(), first + j, RandomStreams.PRIOR);
            theta[j] = parameters.sample(rng);
        }
        return theta;
    }

    @Override
    public float[][] simulate(double[][] theta, long first) {
        int regions = generator.regions();
        int freqs = config.freqCount();
        float[][] out = new float[theta.length][];
        IntStream.range(0, theta.length).parallel().forEach(k -> {
            double[] full = fixed.clone();
            for (int j = 0; j < drawn.size(); j++) {
                full[SgmParameters.NAMES.indexOf(drawn.get(j))] = theta[k][j];
            }
            ZigguratSampler.NormalizedGaussian normal = noiseDb > 0 ? ZigguratSampler.NormalizedGaussian.of(
                    RandomStreams.stream(config.seed(), first + k, RandomStreams.SGM_NOISE)) : null;
            float[][] x = new float[regions][freqs];
            boolean finite = generator.observe(generator.clean(full), noiseDb, normal, x);
            float[] row = new float[regions * freqs];
            for (int r = 0; r < regions; r++) {
                System.arraycopy(x[r], 0, row, r * freqs, freqs);
            }
            if (!finite) {
                java.util.Arrays.fill(row, Float.NaN);
            }
            out[k] = row;
        });
        return out;
    }
}
