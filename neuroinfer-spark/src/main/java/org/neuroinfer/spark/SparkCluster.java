package org.neuroinfer.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.InputFiles;
import org.neuroinfer.io.Part;
import org.neuroinfer.pipeline.Cluster;

/**
 * The parts of a split stage as the tasks of Spark jobs: part K of N is task K of N partitions, so Spark schedules
 * them over the executors, re-runs the tasks of a worker that died and stops the job when a task fails for good. A
 * session is one Spark application (a context made for {@code master}, or the one {@code spark-submit} set up),
 * stopped when the session closes; its inputs travel with it ({@link Shipment}).
 */
public final class SparkCluster implements Cluster {
    /** Attempts per part before the job fails (Spark's default is 4 on a cluster and 1 in local mode). */
    static final int ATTEMPTS = 4;

    @Override
    public void check(String master) {
        if (!new SparkConf().contains("spark.master")) { // spark-submit's own master needs no check
            requireReachable(master);
        }
    }

    @Override
    public Session open(String master, String name, Collection<Path> inputs) throws IOException {
        SparkConf conf = new SparkConf().setAppName(name);
        if (!conf.contains("spark.master")) {
            requireReachable(master);
            conf.setMaster(master);
        }
        conf.setIfMissing("spark.task.maxFailures", Integer.toString(ATTEMPTS));
        conf.setIfMissing("spark.ui.enabled", "false");
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared
            throw new IllegalArgumentException("--spark " + conf.get("spark.master") + ": cannot start a Spark job "
                    + "there (" + e.getMessage() + ")", e);
        }
        Path staging = null;
        try {
            staging = Files.createTempDirectory("neuroinfer-inputs");
            return new SparkSession(sc, Shipment.ship(sc, inputs, staging), staging);
        } catch (IOException | RuntimeException e) {
            sc.stop();
            if (staging != null) {
                AtomicFiles.deleteTree(staging);
            }
            throw e;
        }
    }

    @Override
    public org.neuroinfer.pipeline.RemoteFolder folder(String uri) {
        return HadoopFolder.open(uri);
    }

    /** Milliseconds to wait for a standalone master to accept a connection. */
    static final int CONNECT_MS = 5000;

    /**
     * Refuses a standalone master ({@code spark://HOST:PORT}, or several for a highly available one) none of whose
     * addresses accepts a connection: Spark itself would retry for a minute and then report only that its context
     * was shut down.
     */
    static void requireReachable(String master) {
        if (master == null || !master.startsWith("spark://")) {
            return;
        }
        List<String> tried = new ArrayList<>();
        for (String address : master.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            String host = colon < 0 ? address : address.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--spark " + master + ": '" + address + "' is not HOST:PORT");
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host, port), CONNECT_MS);
                return;
            } catch (IOException e) {
                tried.add(host + ":" + port + " (" + e.getMessage() + ")");
            }
        }
        throw new IllegalArgumentException("--spark " + master + ": no Spark master answers at " + String.join(", ",
                tried) + "; start the master, or check the address");
    }

    /** One Spark application: its rounds of parts are its jobs. */
    private static final class SparkSession implements Session {
        private final JavaSparkContext sc;
        private final Shipment shipment;
        private final Path staging;

        SparkSession(JavaSparkContext sc, Shipment shipment, Path staging) {
            this.sc = sc;
            this.shipment = shipment;
            this.staging = staging;
        }

        @Override
        public void runParts(String name, int count, PartWork work) {
            List<Integer> parts = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                parts.add(k);
            }
            Shipment shipped = shipment;
            sc.setJobDescription(name);
            try {
                sc.parallelize(parts, count).foreach(k -> {
                    try {
                        shipped.install();
                        work.run(new Part(k, count));
                    } catch (Exception e) {
                        throw new PartFailure("part " + k + " of " + count + ": " + (e.getMessage() == null
                                ? e.getClass().getSimpleName() : e.getMessage()), e);
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("the Spark job '" + name + "' failed: " + cause(e), e);
            }
        }

        @Override
        public void close() throws IOException {
            sc.stop();
            InputFiles.remove(shipment.named()); // this JVM's tasks (local mode) read them from copies
            AtomicFiles.deleteTree(staging);
        }
    }

    /** What a failed part says: its message (part, unit and cause), or the job's first line when none arrived. */
    private static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PartFailure) {
                return t.getMessage();
            }
        }
        String m = String.valueOf(e.getMessage());
        return m.lines().findFirst().orElse(m);
    }

    /** A part that failed, naming itself and the cause. */
    static final class PartFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PartFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
