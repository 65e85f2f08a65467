package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.pipeline.Generation;

/**
 * A real cluster: a Spark standalone master and two workers of one core each, started as separate JVMs on this
 * machine from the Maven class path (no Spark distribution), run a generation to the bytes of one machine; and when
 * a worker and its executor are killed in the middle of the job, Spark re-runs their tasks on the other worker and
 * the bytes are still the same, nothing lost or duplicated.
 */
class StandaloneClusterTest {
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopCluster() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        System.clearProperty("spark.executor.extraClassPath");
    }

    static GenerationConfig config() {
        return GenerationConfig.of(Map.of("recordings_per_condition", 60, "shard_size", 12, "duration", 12.0,
                "noise_factors", List.of(0.0, 0.5), "seed", 11));
    }

    @Test
    void aClusterOfTwoWorkersMakesTheBytesOfOneMachineEvenWhenOneDies() throws Exception {
        Path one = dir.resolve("one");
        Generation.run(new Generation.Spec(config(), one, false, 2), n -> { });
        String master = startCluster();
        // the executors the workers start need the program's classes, as spark-submit would ship them
        System.setProperty("spark.executor.extraClassPath", classPath());

        Path whole = dir.resolve("whole");
        Generation.onCluster(new Generation.Spec(config(), whole, false, 1), new SparkCluster(), master, n -> { });
        assertEquals(tree(one), tree(whole), "a standalone cluster of two workers");

        Path killed = dir.resolve("killed");
        CompletableFuture<Generation.Result> job = CompletableFuture.supplyAsync(() -> {
            try {
                return Generation.onCluster(new Generation.Spec(config(), killed, false, 1), new SparkCluster(),
                        master, n -> { });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // once the first shard is sealed, the first worker and its executor die
        long t0 = System.nanoTime();
        while (sealed(killed) == 0 && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(3)) {
            Thread.sleep(50);
        }
        assertTrue(sealed(killed) > 0, "no shard was made within 3 minutes");
        assertTrue(!job.isDone() && sealed(killed) < 10, "the job must still be running when the worker dies");
        Process worker = processes.get(1);
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
        job.get(5, TimeUnit.MINUTES);
        assertEquals(tree(one), tree(killed), "a worker killed in the middle of the job");
    }

    /** Starts a master and two workers; returns the master's URL once both workers have registered. */
    private String startCluster() throws Exception {
        int port = freePort();
        int ui = freePort();
        String url = "spark://127.0.0.1:" + port;
        processes.add(start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(ui)));
        for (int w = 1; w <= 2; w++) {
            processes.add(start("worker" + w, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "1g", "--webui-port", String.valueOf(freePort()), "--work-dir",
                    dir.resolve("work" + w).toString()));
        }
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(90)) {
            String json = get("http://127.0.0.1:" + ui + "/json/");
            if (json != null && json.contains("\"aliveworkers\" : 2")) {
                return url;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the standalone cluster did not come up; see " + dir + "/*.log");
    }

    private Process start(String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(Files.readString(Path.of("target/jvm.options")).trim().split("\\s+")));
        cmd.addAll(List.of("-Xmx1g", "-cp", classPath(), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        // without a Spark distribution, a worker builds its executors' class path from the application's
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_HOME", dir.toString());
        return pb.start();
    }

    /** The test's full class path (Surefire's, not its booter jar). */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
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

    static long sealed(Path out) throws IOException {
        Path shards = out.resolve("shards");
        if (!Files.isDirectory(shards)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(shards)) {
            return s.filter(f -> f.toString().endsWith(".sha256")).count();
        }
    }

    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(f).toString(), Checksums.sha256(f));
            }
        }
        return m;
    }
}
