package org.neuroinfer.spark;

/**
 * The neuroinfer command-line program with Spark on the class path, for {@code spark-submit --class
 * org.neuroinfer.spark.SparkMain neuroinfer-spark.jar generate CONFIG.yaml --out DIR --spark MASTER} and for the
 * {@code ./neuroinfer-spark} launcher: the same commands, and {@code --spark} finds {@link SparkCluster}.
 */
public final class SparkMain {
    private SparkMain() {
    }

    public static void main(String[] args) {
        org.neuroinfer.cli.Main.main(args);
    }
}
