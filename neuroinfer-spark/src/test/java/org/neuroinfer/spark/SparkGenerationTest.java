package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.pipeline.Cluster;
import org.neuroinfer.pipeline.Generation;

/** A data set made through Spark (local mode, two executor threads) is the one a single machine makes, byte for byte. */
class SparkGenerationTest {
    @TempDir
    Path dir;

    static GenerationConfig config() {
        return GenerationConfig.of(Map.of("recordings_per_condition", 40, "shard_size", 16, "duration", 3.5,
                "noise_factors", List.of(0.0, 0.5), "seed", 7));
    }

    @Test
    void sparkMakesTheBytesOfOneMachine() throws Exception {
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        Generation.run(new Generation.Spec(config(), one, false, 2), n -> { });
        Cluster cluster = Cluster.find();
        assertInstanceOf(SparkCluster.class, cluster);
        Generation.Result r = Generation.onCluster(new Generation.Spec(config(), spark, false, 2), cluster, "local[2]",
                n -> { });
        assertEquals(6, r.made(), "two conditions of 40 in shards of 16: 3 + 3 shards, all made by Spark tasks");
        assertSameFiles(one, spark);
    }

    @Test
    void aSealedShardDamagedSinceIsMadeAgainByItsPart() throws Exception {
        // a folder a killed run left: every shard made and sealed by a part, one of them damaged since; the driver
        // writes the manifest from the seals, which it may only because each part checked its own
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        Generation.run(new Generation.Spec(config(), one, false, 2), n -> { });
        Generation.Spec s = new Generation.Spec(config(), spark, false, 1);
        for (int k = 0; k < 6; k++) {
            Generation.run(new Generation.Spec(config(), spark, false, 1, new org.neuroinfer.io.Part(k, 6)), n -> { });
        }
        Path shard = spark.resolve("shards/c01_s0001.h5");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length - 1));
        Generation.onCluster(s, Cluster.find(), "local[2]", n -> { });
        assertSameFiles(one, spark);
    }

    /** The two folders hold the same files (by relative path), byte for byte. */
    static void assertSameFiles(Path one, Path other) throws Exception {
        List<Path> files = files(one);
        assertEquals(files, files(other));
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(other.resolve(f)), f.toString());
        }
    }

    /** The regular files under {@code root}, relative to it, sorted. */
    static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
