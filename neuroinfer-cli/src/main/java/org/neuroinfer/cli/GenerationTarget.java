package org.neuroinfer.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every data-set generating command shares: the folder, replacing, threads, a part of a split run, a
 * simulated kill.
 */
final class GenerationTarget {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Data-set folder: a path, or with "
            + "--spark a folder on a file system the executors share (hdfs://NAMENODE/PATH, s3a://BUCKET/PATH when "
            + "its client is on the class path).")
    String out;

    /** The data-set folder on this machine. */
    Path out() {
        return Main.path(out);
    }

    /**
     * The data-set folder on a cluster's file system, or null when {@code --out} is a local folder.
     *
     * @throws IllegalArgumentException when it is one and there is no cluster to write it
     */
    org.neuroinfer.pipeline.RemoteFolder remote(org.neuroinfer.pipeline.Cluster cluster) {
        return Main.remoteFolder("--out", out, cluster);
    }

    @Option(names = "--force", description = "Replace a data set of another configuration in DIR.")
    boolean force;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--part", paramLabel = "K/N", description = "Make only part K of N (0 <= K < N): the shards "
            + "whose place in the plan is K mod N, one job of a SLURM array each. When every part is done, run the "
            + "same command without --part: it checks their shards, makes any missing and writes the manifest.")
    String part;

    /** The part of {@code --part}, or null. */
    org.neuroinfer.io.Part part() {
        return part == null ? null : org.neuroinfer.io.Part.parse(part);
    }

    /** Tells {@code o} what a part did and what comes next; false when this was not a part. */
    boolean reportPart(java.io.PrintWriter o, int made, int shards) {
        if (part == null) {
            return false;
        }
        o.printf(java.util.Locale.ROOT, "part %s: made %d of its %d shards (the others were there already); when "
                + "every part is done, run the same command without --part to check them and write the manifest%n",
                part().index() + "/" + part().count(), made, shards);
        o.flush();
        return true;
    }

    @Option(names = "--stop-after-shards", hidden = true, defaultValue = "-1",
            description = "Stop after making N shards (simulates a kill; for tests).")
    int stopAfter;
}
