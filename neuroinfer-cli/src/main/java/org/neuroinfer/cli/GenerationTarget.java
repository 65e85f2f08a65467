package org.neuroinfer.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every data-set generating command shares: the folder, replacing, threads, a simulated kill. */
final class GenerationTarget {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Data-set folder.")
    Path out;

    @Option(names = "--force", description = "Replace a data set of another configuration in DIR.")
    boolean force;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--stop-after-shards", hidden = true, defaultValue = "-1",
            description = "Stop after making N shards (simulates a kill; for tests).")
    int stopAfter;
}
