package org.neuroinfer.spark;

/**
 * The neuroinfer command-line program with Spark on the class path, for {@code spark-submit --class
 * org.neuroinfer.spark.SparkMain neuroinfer-spark.jar generate CONFIG.yaml --out DIR --spark MASTER} and for the
 * {@code ./neuroinfer-spark} launcher: the same commands, and {@code --spark} finds {@link SparkCluster}; and
 * {@code cluster-scaling} ({@link ClusterScaling}), which measures a generation over 1, 2, ... local workers.
 */
public final class SparkMain {
    private SparkMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cluster-scaling")) {
            try {
                ClusterScaling.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (IllegalArgumentException e) { // a usage error, not a crash
                System.err.println("cluster-scaling: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        org.neuroinfer.cli.Main.main(args);
    }
}
