package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.pipeline.Generation;

/**
 * The single jar made for {@code spark-submit} (run after {@code package}, by failsafe): put first on a class path
 * beside Spark's jars, as {@code spark-submit} puts it, it runs {@code generate} and makes the bytes this JVM's
 * one-machine run makes. Inside that jar the libraries' own jar manifests are gone, which once changed every shard
 * (the HDF5 writer stamped its version as "null").
 */
class SubmitJarIT {
    @TempDir
    Path dir;

    @Test
    void theSubmitJarMakesTheBytesOfOneMachine() throws Exception {
        Path target = Path.of("target");
        Path jar = target.resolve("neuroinfer-spark-submit.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is made by package");
        Path yaml = dir.resolve("small.yaml");
        Files.writeString(yaml, "recordings_per_condition: 12\nshard_size: 8\nduration: 3.5\n"
                + "noise_factors: [0.0, 0.5]\nseed: 7\n");
        Path one = dir.resolve("one");
        Generation.run(new Generation.Spec(GenerationConfig.read(yaml), one, false, 1), n -> { });

        // the submit jar first, then Spark and the rest of target/lib (never the program's own module jars)
        List<String> cp = new ArrayList<>(List.of(jar.toString()));
        try (Stream<Path> libs = Files.list(target.resolve("lib"))) {
            libs.filter(p -> !p.getFileName().toString().startsWith("neuroinfer-")).sorted()
                    .forEach(p -> cp.add(p.toString()));
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of(Files.readString(target.resolve("jvm.options")).trim().split("\\s+")));
        Path spark = dir.resolve("spark");
        command.addAll(List.of("-cp", String.join(File.pathSeparator, cp), "org.neuroinfer.spark.SparkMain",
                "generate", yaml.toString(), "--out", spark.toString(), "--spark", "local[1]"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);

        List<Path> files = SparkGenerationTest.files(one);
        assertEquals(5, files.size(), "the manifest and four shards: " + files);
        SparkGenerationTest.assertSameFiles(one, spark);
    }
}
