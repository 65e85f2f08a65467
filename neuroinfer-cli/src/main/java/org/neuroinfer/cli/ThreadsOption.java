package org.neuroinfer.cli;

import org.neuroinfer.learn.torch.TorchRuntime;
import picocli.CommandLine.Option;

/** The {@code --threads} option shared by the commands that simulate, train or infer; results never depend on it. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores for "
            + "simulation; for training and inference, the cores other processes leave free when the engine starts, "
            + "at least 1). Results do not depend on it.")
    Integer threads;

    /** The thread count for simulation: as given, else every core. */
    int get() {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        return threads;
    }

    /** The deep-learning engine's intra-op threads: as given, else {@link TorchRuntime#defaultThreads()}. */
    int forEngine() {
        return threads == null ? TorchRuntime.defaultThreads() : get();
    }
}
