package org.neuroinfer.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.recording.LabelledRecordings;
import picocli.CommandLine.Option;

/** The {@code --input}, {@code --dataset} and {@code --assume-layout} options of the commands that read recordings. */
final class RecordingFiles {
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Recordings: an evoked file (.h5/.npz from evoked), a data-set shard (.h5), a simulate "
                    + ".npz, or a bare .npy [n, channels, samples] with --assume-layout.")
    String input;

    /**
     * The file or folder of {@code --input} on this machine.
     *
     * @throws IllegalArgumentException for a URI of a cluster's file system
     */
    Path input() {
        return Main.local("--input", input, "only infer reads from a cluster's file system (a data-set folder, "
                + "with --spark); give a local file");
    }

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "X",
            description = "Dataset inside an .h5 input (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--assume-layout", description = "Read an input that does not say its channel names, rate or "
            + "unit (a bare .npy) as already in the model's layout: its channels in the model's order, its rate and "
            + "window, volts.")
    boolean assumeLayout;

    /** The parameters behind each recording of {@code --input} in the order of {@code names}, or null if unknown. */
    double[][] truth(java.util.List<String> names) throws IOException {
        return LabelledRecordings.parameters(input(), names);
    }

    /** The recordings of {@code --input}, as the model reads them (see {@link ModelCard.InputSpec#conform}). */
    float[][][] read(ModelCard.InputSpec in) throws IOException {
        return in.conform(LabelledRecordings.read(input(), dataset), input, assumeLayout);
    }
}
