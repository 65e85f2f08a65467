package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * the bytes are still the same, nothing lost or duplicated. The files an experiment names reach the executors'
 * JVMs with the job.
 */
class StandaloneClusterTest {
    @TempDir
    Path dir;

    private LocalCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
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
        cluster = LocalCluster.start(2, "1g", dir);
        String master = cluster.master();
        // the executors the workers start need the program's classes, as spark-submit would ship them
        System.setProperty("spark.executor.extraClassPath", LocalCluster.classPath());

        Path whole = dir.resolve("whole");
        Generation.onCluster(new Generation.Spec(config(), whole, false, 1), new SparkCluster(), master, n -> { });
        assertEquals(tree(one), tree(whole), "a standalone cluster of two workers");

        // a user's lead field and noise covariance travel with the job to the executors' JVMs, their folder out of
        // the executors' reach while the parts run
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        GenerationConfig user = GenerationConfig.read(InputShippingTest.userHead(inputs));
        Path userOne = dir.resolve("user-one");
        Generation.run(new Generation.Spec(user, userOne, false, 2), n -> { });
        HidingCluster hiding = new HidingCluster(inputs);
        Path shipped = dir.resolve("user-shipped");
        Generation.onCluster(new Generation.Spec(user, shipped, false, 1), hiding, master, n -> { });
        assertEquals(1, hiding.hiddenJobs());
        assertEquals(tree(userOne), tree(shipped), "inputs shipped to the workers");

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
        Process worker = cluster.worker(1);
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
        job.get(5, TimeUnit.MINUTES);
        assertEquals(tree(one), tree(killed), "a worker killed in the middle of the job");
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
