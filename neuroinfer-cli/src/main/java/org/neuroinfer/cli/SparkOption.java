package org.neuroinfer.cli;

import picocli.CommandLine.Option;

/** {@code --spark MASTER}: run a command's units as the tasks of an Apache Spark job. */
final class SparkOption {
    @Option(names = "--spark", paramLabel = "MASTER", description = "Run the units (shards, blocks, grid points, "
            + "scored shards, blocks of 64 network simulations, a fit's candidates, sbibm cells) on Apache Spark, one "
            + "task each: "
            + "local[N], spark://HOST:7077, yarn or k8s://...; the input files (lead field, connectome, study, "
            + "model) travel with the job; the output folder and the data set read by evaluate and infer must be at "
            + "the same path on every executor, or a URI of the cluster's file system (hdfs://..., s3a://...). "
            + "./neuroinfer adds Spark when this option is given; the bytes are those of one machine "
            + "(docs/scale.md).")
    String master;

    /** The cluster once found and its master checked: a command that asks again (infer with a model URI) reuses it. */
    private org.neuroinfer.pipeline.Cluster checked;

    /** The cluster to run on, after checking that {@code --part} was not given too; null without --spark. */
    org.neuroinfer.pipeline.Cluster cluster(boolean partGiven) {
        if (master == null) {
            return null;
        }
        if (partGiven) {
            throw new IllegalArgumentException("--spark runs every part itself; leave out --part");
        }
        if (checked == null) {
            org.neuroinfer.pipeline.Cluster c = org.neuroinfer.pipeline.Cluster.find();
            c.check(master); // before the command writes anything
            checked = c;
        }
        return checked;
    }
}
