package org.neuroinfer.observe;

import org.neuroinfer.integrate.Recorder;
import org.neuroinfer.model.BatchModel;

/**
 * Records the continuous model output (e.g. y1 - y2) or all states of every simulation at every output sample.
 * Output: {@code signals()[sim][sample]}; states: {@code states()[sim][sample * dim + i]}.
 */
public final class SignalRecorder implements Recorder {
    private final BatchModel model;
    private final boolean allStates;
    private final int nSamples;
    private final double[][] data;

    private SignalRecorder(BatchModel model, int nSims, int nSamples, boolean allStates) {
        this.model = model;
        this.allStates = allStates;
        this.nSamples = nSamples;
        long per = (long) nSamples * (allStates ? model.stateDimension() : 1);
        if (per > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a recording of " + per + " values exceeds the array limit; shorten "
                    + "the duration or record the evoked response instead");
        }
        this.data = new double[nSims][];
    }

    /** A recorder of the model output of {@code nSims} simulations over {@code nSamples} samples. */
    public static SignalRecorder output(BatchModel model, int nSims, int nSamples) {
        return new SignalRecorder(model, nSims, nSamples, false);
    }

    /** A recorder of all states, row-major [sample][state] per simulation. */
    public static SignalRecorder states(BatchModel model, int nSims, int nSamples) {
        return new SignalRecorder(model, nSims, nSamples, true);
    }

    /** The recordings, one array per simulation. */
    public double[][] data() {
        return data;
    }

    @Override
    public Block open(int first, int count, int lanes) {
        int dim = model.stateDimension();
        for (int j = 0; j < count; j++) {
            data[first + j] = new double[allStates ? nSamples * dim : nSamples];
        }
        double[] out = new double[lanes];
        return (sample, y) -> {
            if (allStates) {
                for (int j = 0; j < count; j++) {
                    double[] d = data[first + j];
                    for (int i = 0; i < dim; i++) {
                        d[sample * dim + i] = y[i * lanes + j];
                    }
                }
            } else {
                model.output(y, out, lanes);
                for (int j = 0; j < count; j++) {
                    data[first + j][sample] = out[j];
                }
            }
        };
    }
}
