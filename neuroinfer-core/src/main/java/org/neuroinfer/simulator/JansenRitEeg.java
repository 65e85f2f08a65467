package org.neuroinfer.simulator;

import org.neuroinfer.dataset.DatasetGenerator;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.param.Design;
import org.neuroinfer.param.ParameterSpace;

/**
 * The benchmark's simulator: Jansen-Rit through the stimulation protocol, projected to EEG and observed at one
 * noise condition (a noise factor, or a target SNR), exactly as recordings of a data set generated from the same
 * configuration: θ drawn from the configuration's prior, x the evoked EEG [channels × times] in V.
 */
public final class JansenRitEeg implements Simulator {
    private final GenerationConfig config;
    private final DatasetGenerator generator;
    private final Double noiseFactor;
    private final Double snrDb;
    private final String id;

    private JansenRitEeg(GenerationConfig config, Double noiseFactor, Double snrDb, int threads) {
        this.config = config.withDefaults();
        this.generator = new DatasetGenerator(config, threads);
        this.noiseFactor = noiseFactor;
        this.snrDb = snrDb;
        this.id = this.config.hash() + (snrDb == null ? ":noise=" + noiseFactor : ":snr_db=" + snrDb);
    }

    /** Recordings of {@code config} at noise factor {@code factor} (≥ 0; 0 is noise-free). */
    public static JansenRitEeg atNoiseFactor(GenerationConfig config, double factor, int threads) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("noise factor must be a finite number >= 0, got " + factor);
        }
        return new JansenRitEeg(config, factor, null, threads);
    }

    /** Recordings of {@code config} whose sensor noise is solved, per recording, for an SNR of {@code snrDb}. */
    public static JansenRitEeg atSnr(GenerationConfig config, double snrDb, int threads) {
        if (!Double.isFinite(snrDb)) {
            throw new IllegalArgumentException("SNR must be finite, got " + snrDb);
        }
        return new JansenRitEeg(config, null, snrDb, threads);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ParameterSpace parameters() {
        return config.parameterSpace();
    }

    @Override
    public int[] shape() {
        return new int[] {generator.channels(), generator.samples()};
    }

    @Override
    public double noiseLevel() {
        return snrDb == null ? noiseFactor : snrDb;
    }

    /** The configuration's random design: draw j is recording {@code first + j} of the configuration's seed. */
    @Override
    public double[][] drawPrior(int n, long first) {
        return Design.RANDOM.draw(config.parameterSpace(), config.seed(), first, 0, n);
    }

    @Override
    public float[][] simulate(double[][] theta, long first) {
        float[][][] x = generator.simulate(theta, noiseFactor, snrDb, first).x();
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            int ch = x[i].length;
            int t = x[i][0].length;
            out[i] = new float[ch * t];
            for (int c = 0; c < ch; c++) {
                System.arraycopy(x[i][c], 0, out[i], c * t, t);
            }
        }
        return out;
    }

    /** What each recording's axes mean (channels, rate, window start, volts). */
    public org.neuroinfer.recording.RecordingLayout layout() {
        return generator.layout();
    }

    /** The data-set configuration behind it. */
    public GenerationConfig config() {
        return config;
    }
}
