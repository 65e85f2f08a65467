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
import org.neuroinfer.io.AtomicFiles;
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
     * @param tasks        where the job's time went, from Spark's own task times
     */
    record Run(int workers, double startSeconds, double jobSeconds, double totalSeconds, long recordings,
               String digest, TaskTimes.Summary tasks) {
        double perWorker() {
            return recordings / jobSeconds / workers;
        }

        double perWorkerTotal() {
            return recordings / totalSeconds / workers;
        }
    }

    static final String USAGE = "usage: cluster-scaling CONFIG.yaml --out DIR [--workers 1,2] [--keep]";

    /** Runs the measurement; arguments as the class comment says. */
    public static void main(String[] args) throws Exception {
        Path config = null;
        Path out = null;
        List<Integer> counts = List.of(1, 2);
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    System.out.println(USAGE + "\n\nMakes the data set of CONFIG on a standalone cluster of 1, 2, ... "
                            + "one-core workers on this machine, each pinned to its own core, and reports the time, "
                            + "the throughput per worker, the efficiency against one worker and where the job's time "
                            + "went (Spark's task times). Each run makes the data set anew in DIR; the first is kept, the others "
                            + "are deleted once their bytes matched it (--keep: keep them all).");
                    return;
                }
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--workers" -> counts = workers(value(args, ++i, "--workers"));
                case "--keep" -> keep = true;
                default -> config = Path.of(args[i]);
            }
        }
        if (config == null || out == null) {
            throw new IllegalArgumentException(USAGE);
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " exists already; choose a new folder");
        }
        List<Run> runs = measure(GenerationConfig.read(config), out, counts, keep, System.out);
        Run one = runs.get(0);
        System.out.println("workers pinned to one core each; the driver shares the machine");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "%d worker%s: job %.1f s, %.1f recordings/s per worker, efficiency %.0f %%; "
                    + "with the manifest %.1f s, %.0f %% (cluster start %.1f s)%n", r.workers(), r.workers() > 1 ? "s"
                    : "", r.jobSeconds(), r.perWorker(), 100 * r.perWorker() / one.perWorker(), r.totalSeconds(),
                    100 * r.perWorkerTotal() / one.perWorkerTotal(), r.startSeconds());
            TaskTimes.Summary t = r.tasks();
            System.out.printf(Locale.ROOT, "  in the job: %.1f s before the last executor's first task, a first task "
                    + "of %.2f s per executor (a fresh JVM loads and compiles), then %.3f s per task (median; its "
                    + "own thread's CPU %.3f s): %.0f %% of one worker's pace%n", t.beforeFirst(), t.firstTask(),
                    t.laterTask(), t.laterTaskCpu(), 100 * one.tasks().laterTask() / t.laterTask());
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value; " + USAGE);
        }
        return args[i];
    }

    private static List<Integer> workers(String text) {
        try {
            List<Integer> counts = java.util.Arrays.stream(text.split(",")).map(String::trim).map(Integer::valueOf)
                    .toList();
            if (counts.stream().allMatch(c -> c >= 1)) {
                return counts;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--workers must be worker counts of at least 1, e.g. 1,2; got " + text);
    }

    /**
     * Each worker count in turn, run K into {@code out/runK-workers-W}; the bytes of every run must agree. The first
     * run's data set stays; a later one is deleted once it matched, unless {@code keep}.
     */
    static List<Run> measure(GenerationConfig config, Path out, List<Integer> counts, boolean keep, PrintStream log)
            throws IOException, InterruptedException {
        List<Run> runs = new ArrayList<>();
        for (int w : counts) {
            Path dir = out.resolve("run" + (runs.size() + 1) + "-workers-" + w);
            long t0 = System.nanoTime();
            try (LocalCluster cluster = LocalCluster.start(w, "2g", out.resolve("logs" + (runs.size() + 1)), true)) {
                System.setProperty("spark.executor.extraClassPath", LocalCluster.classPath());
                double start = (System.nanoTime() - t0) / 1e9;
                double[] job = new double[1];
                long[] jobStartMs = {0};
                int[] parts = {0};
                TaskTimes[] times = new TaskTimes[1];
                SparkCluster spark = new SparkCluster();
                Cluster timed = new Cluster() {
                    @Override
                    public Session open(String master, String name, java.util.Collection<Path> inputs)
                            throws IOException {
                        Session s = spark.open(master, name, inputs);
                        return new Session() {
                            @Override
                            public void runParts(String round, int count, PartWork work) throws IOException {
                                if (times[0] == null) {
                                    times[0] = TaskTimes.attach();
                                    jobStartMs[0] = System.currentTimeMillis();
                                }
                                parts[0] += count;
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
                TaskTimes.Summary tasks = TaskTimes.summarize(times[0].await(parts[0], 10_000), jobStartMs[0]);
                Run run = new Run(w, start, job[0], r.seconds(), r.recordings(), digest(dir), tasks);
                log.printf(Locale.ROOT, "%d worker%s: %d recordings, job %.1f s, %.1f s in all%n", w,
                        w > 1 ? "s" : "", r.recordings(), job[0], r.seconds());
                if (!runs.isEmpty() && !runs.get(0).digest().equals(run.digest())) {
                    throw new IllegalStateException("the data sets of " + runs.get(0).workers() + " and " + w
                            + " workers differ: " + out);
                }
                if (!runs.isEmpty() && !keep) {
                    AtomicFiles.deleteTree(dir);
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
