package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed in the middle of a Spark generation loses nothing: the same command run again keeps the shards
 * the first run sealed, makes the rest and ends with the bytes of an uninterrupted run.
 */
class DriverKillTest {
    @TempDir
    Path dir;

    @Test
    void theCommandRunAgainResumesToTheSameBytes() throws Exception {
        Path cfg = dir.resolve("small.yaml");
        Files.writeString(cfg, "duration: 12\nnoise_factors: [0, 0.5]\nrecordings_per_condition: 60\n"
                + "shard_size: 12\nseed: 11\n");
        Path whole = dir.resolve("whole");
        assertEquals(0, generate(cfg, whole).waitFor());
        Path resumed = dir.resolve("resumed");
        Process first = generate(cfg, resumed);
        long t0 = System.nanoTime();
        while (StandaloneClusterTest.sealed(resumed) == 0 && first.isAlive() && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(2)) {
            Thread.sleep(20);
        }
        assertTrue(first.isAlive() && StandaloneClusterTest.sealed(resumed) > 0 && StandaloneClusterTest.sealed(resumed) < 10,
                "killed while running, after its first shard");
        first.descendants().forEach(ProcessHandle::destroyForcibly);
        first.destroyForcibly().waitFor();
        assertTrue(!Files.exists(resumed.resolve("manifest.json")));
        assertEquals(0, generate(cfg, resumed).waitFor());
        assertEquals(StandaloneClusterTest.tree(whole), StandaloneClusterTest.tree(resumed));
    }

    private Process generate(Path cfg, Path out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of(Files.readString(Path.of("target/jvm.options")).trim().split("\\s+")));
        cmd.addAll(List.of("-cp", LocalCluster.classPath(), SparkMain.class.getName(), "generate",
                cfg.toString(), "--out", out.toString(), "--spark", "local[2]"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(out.getFileName() + ".log").toFile());
        pb.environment().put("NEUROINFER_PROGRESS", "0");
        return pb.start();
    }
}
