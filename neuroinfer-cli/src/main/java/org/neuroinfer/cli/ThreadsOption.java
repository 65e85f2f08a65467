package org.neuroinfer.cli;

import picocli.CommandLine.Option;

/** The {@code --threads} option shared by the commands that simulate; results never depend on it. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores; results do "
            + "not depend on it).")
    int threads = Runtime.getRuntime().availableProcessors();

    /** The thread count, checked. */
    int get() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        return threads;
    }
}
