package org.neuroinfer.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine: a master and workers of one core each, started as separate JVMs from
 * this program's class path (no Spark distribution needed), for tests and for measuring how the work scales over
 * workers. Closing it kills every JVM it started, executors included.
 */
public final class LocalCluster implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Path logs;
    private String master;

    private LocalCluster(Path logs) {
        this.logs = logs;
    }

    /**
     * Starts a master and {@code workers} workers of one core and {@code memory} (e.g. "1g") each, logging to
     * {@code logs}, and returns once every worker has registered (at most 90 s).
     *
     * @throws IllegalStateException if the cluster does not come up, naming the log folder
     */
    public static LocalCluster start(int workers, String memory, Path logs) throws IOException, InterruptedException {
        return start(workers, memory, logs, false);
    }

    /**
     * As {@link #start(int, String, Path)}; with {@code pin}, worker w and the executors it starts are bound to CPU
     * w - 1 with {@code taskset} (Linux), so a worker of one core uses one core, its JIT, collector and writer
     * threads included, and a measurement over workers counts cores.
     *
     * @throws IllegalArgumentException when pinning is asked for more workers than cores, or without taskset
     */
    public static LocalCluster start(int workers, String memory, Path logs, boolean pin)
            throws IOException, InterruptedException {
        if (pin && (workers > Runtime.getRuntime().availableProcessors()
                || !java.nio.file.Files.isExecutable(Path.of("/usr/bin/taskset")))) {
            throw new IllegalArgumentException("pinning " + workers + " workers needs as many cores (this machine has "
                    + Runtime.getRuntime().availableProcessors() + ") and /usr/bin/taskset");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers: " + workers + "; valid: >= 1");
        }
        LocalCluster c = new LocalCluster(logs);
        try {
            int port = freePort();
            int ui = freePort();
            String url = "spark://127.0.0.1:" + port;
            c.processes.add(c.jvm(-1, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--webui-port", String.valueOf(ui)));
            for (int w = 1; w <= workers; w++) {
                c.processes.add(c.jvm(pin ? w - 1 : -1, "worker" + w, "org.apache.spark.deploy.worker.Worker", url,
                        "--host",
                        "127.0.0.1", "--cores", "1", "--memory", memory, "--webui-port", String.valueOf(freePort()),
                        "--work-dir", logs.resolve("work" + w).toString()));
            }
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(90)) {
                String json = get("http://127.0.0.1:" + ui + "/json/");
                if (json != null && json.contains("\"aliveworkers\" : " + workers)) {
                    c.master = url;
                    return c;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("the standalone cluster did not come up within 90 s; see " + logs
                    + "/*.log");
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    public String master() {
        return master;
    }

    /** The JVM of worker {@code w} (1-based), to kill it in a fault test. */
    public Process worker(int w) {
        return processes.get(w);
    }

    /**
     * The class path the executors need: this program's, as {@code spark-submit} would ship it (set as
     * {@code spark.executor.extraClassPath} before the job starts).
     */
    public static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private Process jvm(int cpu, String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0) {
            cmd.addAll(List.of("/usr/bin/taskset", "-c", Integer.toString(cpu)));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the module flags Spark needs (target/jvm.options, which started this JVM too)
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("--add-modules")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx1g", "-cp", classPath(), main));
        cmd.addAll(List.of(args));
        java.nio.file.Files.createDirectories(logs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        // without a Spark distribution, a worker builds its executors' class path from the application's
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_HOME", logs.toString());
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
