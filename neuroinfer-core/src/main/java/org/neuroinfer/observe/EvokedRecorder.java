package org.neuroinfer.observe;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.integrate.Recorder;
import org.neuroinfer.numeric.VectorMath;
import org.neuroinfer.model.BatchModel;
import org.neuroinfer.stimulus.Protocol;

/**
 * Reduces each simulation's output, while it is integrated, to its evoked response: the average over every complete
 * epoch of the baseline-corrected output. Since baseline correction and averaging are linear, the running sum
 * S(j) = sum_n x_n(j) gives evoked(j) = (S(j) - mean over baseline of S) / epochs.
 */
public final class EvokedRecorder implements Recorder {
    private static final VectorSpecies<Double> SP = VectorMath.SPECIES;
    private final BatchModel model;
    private final EpochWindow window;
    private final int[] onsets;
    private final double[][] evoked;
    private final double[] meanSquare;

    public EvokedRecorder(BatchModel model, Protocol protocol, EpochWindow window, int nSims) {
        this.model = model;
        this.window = window;
        this.onsets = window.completeEpochs(protocol.onsets(), protocol.nSamples());
        if (onsets.length == 0) {
            throw new IllegalArgumentException("no complete epoch [" + window.start() + ", " + window.end()
                    + "] samples around the stimuli fits into " + protocol.nSamples() + " samples; lengthen the "
                    + "duration");
        }
        this.evoked = new double[nSims][];
        this.meanSquare = new double[nSims];
    }

    /** Mean of the squared output over the whole recording, per simulation (for the benchmark's SNR). */
    public double[] meanSquare() {
        return meanSquare;
    }

    /** Number of epochs averaged. */
    public int epochs() {
        return onsets.length;
    }

    /** The evoked responses, [sim][window sample]. */
    public double[][] evoked() {
        return evoked;
    }

    /** The rows of the model's output. */
    @Override
    public int[] rows() {
        return model.outputRows();
    }

    /** The evoked response and the mean square need the output alone. */
    @Override
    public boolean outputOnly() {
        return true;
    }

    @Override
    public Block open(int first, int count, int lanes) {
        final int len = window.length();
        final double[] sum = new double[len * lanes];
        final double[] out = new double[lanes];
        final double[] squares = new double[lanes];
        return new Block() {
            private int next;
            private int samples;

            @Override
            public void record(int sample, double[] y) {
                model.output(y, out, lanes);
                recordOutput(sample, out);
            }

            @Override
            public void recordOutput(int sample, double[] out) {
                addSquares(squares, out, lanes);
                samples++;
                while (next < onsets.length && onsets[next] + window.end() < sample) {
                    next++;
                }
                for (int n = next; n < onsets.length && onsets[n] + window.start() <= sample; n++) {
                    int j = sample - onsets[n] - window.start();
                    VectorMath.axpy(1.0, out, 0, sum, j * lanes, lanes); // fma(1, x, y) is x + y, exactly
                }
            }

            @Override
            public void close() {
                for (int l = 0; l < count; l++) {
                    evoked[first + l] = finish(sum, lanes, l, window, onsets.length);
                    meanSquare[first + l] = squares[l] / samples;
                }
            }
        };
    }

    /**
     * squares[l] += out[l]^2 for every lane, as explicit vectors (the scalar loop was not vectorised); a product
     * then a sum, not {@link VectorMath#axpy}'s fused multiply-add, so the mean squares keep their bits.
     */
    private static void addSquares(double[] squares, double[] out, int lanes) {
        int l = 0;
        for (; l + SP.length() <= lanes; l += SP.length()) {
            DoubleVector o = DoubleVector.fromArray(SP, out, l);
            DoubleVector.fromArray(SP, squares, l).add(o.mul(o)).intoArray(squares, l);
        }
        for (; l < lanes; l++) {
            squares[l] += out[l] * out[l];
        }
    }

    /** The evoked response of one continuous recording, computed the same way. */
    public static double[] of(double[] signal, int[] onsets, EpochWindow window) {
        int[] ok = window.completeEpochs(onsets, signal.length);
        if (ok.length == 0) {
            throw new IllegalArgumentException("no complete epoch in a recording of " + signal.length + " samples");
        }
        int len = window.length();
        double[] sum = new double[len];
        for (int e : ok) {
            for (int j = 0; j < len; j++) {
                sum[j] += signal[e + window.start() + j];
            }
        }
        return finish(sum, 1, 0, window, ok.length);
    }

    /** Baseline-corrected average from the epoch sums of one lane: (S(j) - mean_baseline S) / epochs. */
    private static double[] finish(double[] sum, int lanes, int lane, EpochWindow window, int epochs) {
        int b0 = window.baseFrom() - window.start();
        int b1 = window.baseTo() - window.start();
        double base = 0;
        for (int j = b0; j <= b1; j++) {
            base += sum[j * lanes + lane];
        }
        base /= (b1 - b0 + 1);
        double[] out = new double[window.length()];
        for (int j = 0; j < out.length; j++) {
            out[j] = (sum[j * lanes + lane] - base) / epochs;
        }
        return out;
    }
}
