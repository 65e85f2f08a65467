package org.neuroinfer.observe;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.observe.head.SphericalHead;

/**
 * Projects a single source's evoked response to the EEG channels and adds sensor noise as the benchmark does
 * (Tilwani &amp; O'Reilly, arXiv 2406.05002): X[c, t] = scale (P g)[c] evoked(t) + the epoch-averaged noise, where g
 * is the source's lead field, P the average reference, and the noise white per channel with its variance scaled by
 * the noise factor, added to the continuous recording before epoching (sampled exactly by {@link EvokedNoise}).
 *
 * @param channels    channel names
 * @param topography  scale (P g)[c]: volts per output unit
 * @param noise       sensor noise at the chosen factor
 */
public record EegProjection(String[] channels, double[] topography, SensorNoise noise) {

    /** The benchmark's source scaling: 1e-6 A·m of dipole moment per unit of model output. */
    public static final double BENCHMARK_SCALE = 1e-6;

    /**
     * The benchmark's observation: its source through the built-in head, average reference, the given scaling
     * (A·m per output unit) and MNE's ad-hoc EEG noise with its variance times {@code noiseFactor}.
     */
    public static EegProjection benchmark(double scale, double noiseFactor) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("source scale must be a positive finite number of A*m per output "
                    + "unit, got " + scale);
        }
        SphericalHead head = SphericalHead.fourShell();
        double[][] src = {LeadField.benchmarkSource()};
        LeadField lf = LeadField.fixed(head, Montage.biosemi64(), src, LeadField.radial(head, src))
                .averageReferenced();
        double[] g = lf.column(0);
        for (int c = 0; c < g.length; c++) {
            g[c] *= scale;
        }
        return new EegProjection(lf.channels(), g, SensorNoise.adHocEeg(g.length).scaled(noiseFactor));
    }

    /**
     * A user's observation: the summed {@code columns} of {@code leadField} (one region's sources) times
     * {@code scale}, optionally average-referenced, with {@code noise} (its channel count must match).
     */
    public static EegProjection of(LeadField leadField, int[] columns, boolean averageReference, double scale,
                                   SensorNoise noise) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("source scale must be a positive finite number of A*m per output "
                    + "unit, got " + scale);
        }
        LeadField lf = averageReference ? leadField.averageReferenced() : leadField;
        double[] g = lf.sum(columns);
        if (noise.size() != g.length) {
            throw new IllegalArgumentException("noise covariance has " + noise.size() + " channels but the lead "
                    + "field has " + g.length);
        }
        for (int c = 0; c < g.length; c++) {
            g[c] *= scale;
        }
        return new EegProjection(lf.channels(), g, noise);
    }

    /** The same projection with its noise variance multiplied by {@code factor}. */
    public EegProjection scaled(double factor) {
        return new EegProjection(channels, topography, noise.scaled(factor));
    }

    /**
     * The global field power of an EEG [channels x times] (row-major): at each time the standard deviation over
     * the channels.
     */
    public static double[] globalFieldPower(double[] x, int channels) {
        int len = x.length / channels;
        double[] gfp = new double[len];
        for (int t = 0; t < len; t++) {
            double m = 0;
            for (int k = 0; k < channels; k++) {
                m += x[k * len + t] / channels;
            }
            double v = 0;
            for (int k = 0; k < channels; k++) {
                v += (x[k * len + t] - m) * (x[k * len + t] - m);
            }
            gfp[t] = Math.sqrt(v / channels);
        }
        return gfp;
    }

    /** Number of channels. */
    public int size() {
        return channels.length;
    }

    /** The noiseless EEG evoked response [channels x times], row-major. */
    public double[] clean(double[] evoked) {
        return cleanInto(evoked, new double[topography.length * evoked.length]);
    }

    /** {@link #clean} into {@code x} [channels x times], row-major; returns {@code x}. */
    private double[] cleanInto(double[] evoked, double[] x) {
        for (int c = 0; c < topography.length; c++) {
            for (int t = 0; t < evoked.length; t++) {
                x[c * evoked.length + t] = topography[c] * evoked[t];
            }
        }
        return x;
    }

    /**
     * The EEG evoked response with noise: the clean projection plus epoch-averaged sensor noise drawn from
     * {@code rng} (nothing is drawn when the noise is zero).
     */
    public double[] observe(double[] evoked, EvokedNoise sampler, UniformRandomProvider rng) {
        return observeInto(evoked, sampler, rng, new double[topography.length * evoked.length]);
    }

    private double[] observeInto(double[] evoked, EvokedNoise sampler, UniformRandomProvider rng, double[] x) {
        cleanInto(evoked, x);
        if (noise.power() > 0) {
            sampler.addTo(x, noise, ZigguratSampler.NormalizedGaussian.of(rng));
        }
        return x;
    }

    /**
     * One recording observed at a noise condition.
     *
     * @param x           EEG [channels x times] in V, row-major
     * @param noiseFactor the factor this projection's noise was scaled by
     * @param snrDb       the recording's SNR by {@link #snrDb(double, double)}
     */
    public record Observed(double[] x, double noiseFactor, double snrDb) {
    }

    /**
     * The output {@code source} observed through this projection (of unit noise factor) at noise factor
     * {@code noiseFactor}, or, when {@code snrDb} is not null, at the factor that gives this recording that SNR.
     *
     * @param outputMeanSquare the output's mean square over the whole recording (sets the SNR)
     * @param sampler          epoch-averaged noise of an evoked response; null when {@code source} is the
     *                         continuous recording, which gets white sensor noise on every sample
     * @param otherNoisePower  noise added besides the sensors' (V², e.g. background EEG), counted in the SNR
     */
    public Observed observeAt(double[] source, double outputMeanSquare, Double noiseFactor, Double snrDb,
                              EvokedNoise sampler, UniformRandomProvider rng, double otherNoisePower) {
        return observeAt(source, outputMeanSquare, noiseFactor, snrDb, sampler, rng, otherNoisePower,
                new double[topography.length * source.length]);
    }

    /**
     * {@link #observeAt(double[], double, Double, Double, EvokedNoise, UniformRandomProvider, double)} into
     * {@code into} [channels x times] (every value overwritten), which the result's x is.
     */
    public Observed observeAt(double[] source, double outputMeanSquare, Double noiseFactor, Double snrDb,
                              EvokedNoise sampler, UniformRandomProvider rng, double otherNoisePower, double[] into) {
        if (into.length != topography.length * source.length) {
            throw new IllegalArgumentException("into holds " + into.length + " values, not " + topography.length
                    + " channels x " + source.length + " times");
        }
        double f = factorAt(outputMeanSquare, noiseFactor, snrDb);
        EegProjection p = scaled(f);
        double[] x;
        if (sampler != null) {
            x = p.observeInto(source, sampler, rng, into);
        } else {
            x = p.cleanInto(source, into);
            if (p.noise.power() > 0) {
                p.noise.addTo(x, source.length, rng);
            }
        }
        return new Observed(x, f, p.snrDb(outputMeanSquare, otherNoisePower));
    }

    /**
     * The noise factor a recording whose output has mean square {@code outputMeanSquare} is observed at:
     * {@code noiseFactor}, or, when {@code snrDb} is not null, the factor that gives it that SNR.
     */
    public double factorAt(double outputMeanSquare, Double noiseFactor, Double snrDb) {
        return snrDb == null ? noiseFactor : noiseFactorFor(outputMeanSquare, snrDb);
    }

    /**
     * The factor by which this projection's noise variance must be multiplied for a recording whose output has
     * mean square {@code outputMeanSquare} to reach {@code snrDb} by {@link #snrDb}'s formula.
     */
    public double noiseFactorFor(double outputMeanSquare, double snrDb) {
        double g2 = 0;
        for (double v : topography) {
            g2 += v * v;
        }
        return g2 / topography.length * outputMeanSquare / (noise.power() * Math.pow(10, snrDb / 10));
    }

    /**
     * The benchmark's SNR in dB: mean square of the clean continuous EEG (from the output's mean square over the
     * whole recording) over the expected noise power; +Inf without noise.
     */
    public double snrDb(double outputMeanSquare) {
        return snrDb(outputMeanSquare, 0);
    }

    /** The same SNR with {@code otherNoisePower} (V^2, e.g. background EEG) counted as noise too. */
    public double snrDb(double outputMeanSquare, double otherNoisePower) {
        double g2 = 0;
        for (double v : topography) {
            g2 += v * v;
        }
        return 10 * Math.log10(g2 / topography.length * outputMeanSquare / (noise.power() + otherNoisePower));
    }
}
