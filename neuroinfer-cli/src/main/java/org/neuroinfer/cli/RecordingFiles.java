package org.neuroinfer.cli;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.store.ModelCard;
import picocli.CommandLine.Option;

/** The {@code --input} and {@code --dataset} options of the commands that read recordings: .npy or .h5. */
final class RecordingFiles {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = ".npy or .h5 recordings.")
    Path input;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "X",
            description = "Dataset inside an .h5 input (default: ${DEFAULT-VALUE}).")
    String dataset;

    /** The recordings of {@code --input}. */
    float[][][] read(ModelCard.InputSpec in) throws IOException {
        return read(input, dataset, in);
    }

    /**
     * Reads recordings [n][channels][samples] from a .npy of shape [n, C, T] or [C, T], or from dataset
     * {@code dataset} of an .h5 file.
     *
     * @throws IllegalArgumentException naming the file for a missing file, a wrong shape or type
     */
    static float[][][] read(Path input, String dataset, ModelCard.InputSpec in) throws IOException {
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("--input: " + input + " does not exist");
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            NpyArray a = Npy.load(input);
            int[] s = a.shape();
            int n = s.length == 3 ? s[0] : 1;
            if (s.length < 2 || s.length > 3) {
                throw new IllegalArgumentException("--input: " + input + " has shape " + java.util.Arrays.toString(s)
                        + "; expected [n, " + in.channels() + ", " + in.rawTimes() + "] or [" + in.channels() + ", "
                        + in.rawTimes() + "]");
            }
            int c = s[s.length - 2];
            int t = s[s.length - 1];
            float[][][] x = new float[n][c][t];
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int k = 0; k < t; k++) {
                        x[i][ch][k] = (float) a.data()[(i * c + ch) * t + k];
                    }
                }
            }
            return x;
        }
        if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            return org.neuroinfer.io.HdfFiles.read(input, h -> {
                Object d;
                try {
                    d = org.neuroinfer.io.HdfFiles.data(h, input, dataset);
                } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
                    throw new IllegalArgumentException("--input: " + input + " has no dataset '" + dataset + "'");
                }
                if (d instanceof float[][][] f) {
                    return f;
                }
                if (d instanceof float[][] f) {
                    return new float[][][]{f};
                }
                if (d instanceof double[][][] dd) {
                    float[][][] f = new float[dd.length][][];
                    for (int i = 0; i < dd.length; i++) {
                        f[i] = new float[dd[i].length][];
                        for (int c = 0; c < dd[i].length; c++) {
                            f[i][c] = new float[dd[i][c].length];
                            for (int k = 0; k < f[i][c].length; k++) {
                                f[i][c][k] = (float) dd[i][c][k];
                            }
                        }
                    }
                    return f;
                }
                throw new IllegalArgumentException("--input: dataset '" + dataset + "' of " + input
                        + " is not a float array [n, channels, samples]");
            });
        }
        throw new IllegalArgumentException("--input: " + input + " is neither .npy nor .h5");
    }
}
