package org.neuroinfer.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.pipeline.Cluster;
import org.neuroinfer.pipeline.Generation;

/**
 * How a data set's generation scales over the workers of a Spark standalone cluster: for each worker count, a
 * {@link LocalCluster} of that many one-core workers on this machine, each pinned to its own core, makes the same
 * data set (whose bytes must agree
 * between the runs), timed from the job's start to the manifest (the cluster's start is reported apart); the
 * throughput per worker and the efficiency against one worker follow. A measurement, not a test:
 * {@code NEUROINFER_MODULE=spark ./neuroinfer cluster-scaling CONFIG.yaml --out DIR [--workers 1,2]}.
 */
public final class ClusterScaling {
    private ClusterScaling() {
    }

    /**
     * One run.
     *
     * @param startSeconds the cluster's start
     * @param jobSeconds   the Spark job: every shard made, where the workers are
     * @param totalSeconds from the plan to the manifest: the job, and the driver's manifest from the seals
     */
    record Run(int workers, double startSeconds, double jobSeconds, double totalSeconds, long recordings,
               String digest) {
        double perWorker() {
            return recordings / jobSeconds / workers;
        }

        double perWorkerTotal() {
            return recordings / totalSeconds / workers;
        }
    }

    /** Runs the measurement; arguments as the class comment says. */
    public static void main(String[] args) throws Exception {
        Path config = null;
        Path out = null;
        List<Integer> counts = List.of(1, 2);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--workers" -> counts = java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf)
                        .toList();
                default -> config = Path.of(args[i]);
            }
        }
        if (config == null || out == null) {
            throw new IllegalArgumentException("usage: cluster-scaling CONFIG.yaml --out DIR [--workers 1,2]");
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " exists already; choose a new folder");
        }
        List<Run> runs = measure(GenerationConfig.read(config), out, counts, System.out);
        Run one = runs.get(0);
        System.out.println("workers pinned to one core each; the driver shares the machine");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "%d worker%s: job %.1f s, %.1f recordings/s per worker, efficiency %.0f %%; "
                    + "with the manifest %.1f s, %.0f %% (cluster start %.1f s)%n", r.workers(), r.workers() > 1 ? "s"
                    : "", r.jobSeconds(), r.perWorker(), 100 * r.perWorker() / one.perWorker(), r.totalSeconds(),
                    100 * r.perWorkerTotal() / one.perWorkerTotal(), r.startSeconds());
        }
    }

    /** Each worker count in turn, run K into {@code out/runK-workers-W}; the bytes of every run must agree. */
    static List<Run> measure(GenerationConfig config, Path out, List<Integer> counts, PrintStream log)
            throws IOException, InterruptedException {
        List<Run> runs = new ArrayList<>();
        for (int w : counts) {
            Path dir = out.resolve("run" + (runs.size() + 1) + "-workers-" + w);
            long t0 = System.nanoTime();
            try (LocalCluster cluster = LocalCluster.start(w, "2g", out.resolve("logs" + (runs.size() + 1)), true)) {
                System.setProperty("spark.executor.extraClassPath", LocalCluster.classPath());
                double start = (System.nanoTime() - t0) / 1e9;
                double[] job = new double[1];
                SparkCluster spark = new SparkCluster();
                Cluster timed = new Cluster() {
                    @Override
                    public Session open(String master, String name, java.util.Collection<Path> inputs)
                            throws IOException {
                        Session s = spark.open(master, name, inputs);
                        return new Session() {
                            @Override
                            public void runParts(String round, int count, PartWork work) throws IOException {
                                long j0 = System.nanoTime();
                                s.runParts(round, count, work);
                                job[0] += (System.nanoTime() - j0) / 1e9;
                            }

                            @Override
                            public void close() throws IOException {
                                s.close();
                            }
                        };
                    }
                };
                Generation.Result r = Generation.onCluster(new Generation.Spec(config, dir, false, 1), timed,
                        cluster.master(), n -> { });
                Run run = new Run(w, start, job[0], r.seconds(), r.recordings(), digest(dir));
                log.printf(Locale.ROOT, "%d worker%s: %d recordings, job %.1f s, %.1f s in all%n", w,
                        w > 1 ? "s" : "", r.recordings(), job[0], r.seconds());
                if (!runs.isEmpty() && !runs.get(0).digest().equals(run.digest())) {
                    throw new IllegalStateException("the data sets of " + runs.get(0).workers() + " and " + w
                            + " workers differ: " + out);
                }
                runs.add(run);
            } finally {
                System.clearProperty("spark.executor.extraClassPath");
            }
        }
        return runs;
    }

    /** One checksum over every file of a data set, in path order. */
    private static String digest(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                sb.append(dir.relativize(f)).append(' ').append(Checksums.sha256(f)).append('\n');
            }
        }
        return sb.toString();
    }
}
