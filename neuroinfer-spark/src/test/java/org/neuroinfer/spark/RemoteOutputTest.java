package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Part;
import org.neuroinfer.pipeline.Cluster;
import org.neuroinfer.pipeline.Generation;
import org.neuroinfer.pipeline.RemoteFolder;

/**
 * Data sets written through Spark into a folder on a file system only Hadoop reaches (here {@link MountedFileSystem},
 * standing in for hdfs:// or s3a://) are the bytes one machine writes locally; a killed run resumes, a damaged shard
 * is made again, and a URI no file system serves is refused naming it.
 */
class RemoteOutputTest {
    @TempDir
    Path dir;

    private static String uri(Path p) {
        return "mounted://" + p.toAbsolutePath();
    }

    @Test
    void aDataSetOnAClusterFileSystemIsTheLocalOneAndResumes() throws Exception {
        Path one = dir.resolve("one");
        Generation.run(new Generation.Spec(SparkGenerationTest.config(), one, false, 2), n -> { });
        Cluster cluster = Cluster.find();
        Path far = dir.resolve("far");
        RemoteFolder remote = cluster.folder(uri(far));
        Generation.Result r = Generation.onCluster(new Generation.Spec(SparkGenerationTest.config(), null, false, 1),
                remote, cluster, "local[2]");
        assertEquals(6, r.made(), "two conditions of 40 in shards of 16: 3 + 3 shards, all made by Spark tasks");
        assertEquals(StandaloneClusterTest.tree(one), StandaloneClusterTest.tree(far));

        // a run killed before its manifest: two shards sealed, one sealed but damaged since, a temporary left over
        Path again = dir.resolve("again");
        Files.createDirectories(again.resolve("shards"));
        String hash = SparkGenerationTest.config().withDefaults().hash();
        for (String s : new String[] {"c00_s0000.h5", "c01_s0002.h5", "c01_s0000.h5"}) {
            Files.copy(one.resolve("shards").resolve(s), again.resolve("shards").resolve(s));
            Part.seal(again.resolve("shards").resolve(s), hash);
        }
        Files.write(again.resolve("shards/c01_s0000.h5"), new byte[] {1, 2, 3});
        Files.write(again.resolve("shards/.c00_s0001.h5.tmp-0"), new byte[] {4});
        r = Generation.onCluster(new Generation.Spec(SparkGenerationTest.config(), null, false, 1),
                cluster.folder(uri(again)), cluster, "local[2]");
        assertEquals(3, r.made(), "the three shards without a checksum file (the damaged one is made again too)");
        assertEquals(StandaloneClusterTest.tree(one), StandaloneClusterTest.tree(again),
                "the bytes of one machine, no checksum file or temporary left");

        // run again: nothing to make, each shard checked against the manifest
        r = Generation.onCluster(new Generation.Spec(SparkGenerationTest.config(), null, false, 1),
                cluster.folder(uri(again)), cluster, "local[2]");
        assertEquals(0, r.made());
        assertEquals(StandaloneClusterTest.tree(one), StandaloneClusterTest.tree(again));
    }

    @Test
    void aSpectraSetOnAClusterFileSystemFromTheCommandLine() throws Exception {
        Path far = dir.resolve("far");
        SparkStagesTest.spectraSetIsOneMachines(dir, uri(far), far, "made 6 shards on Spark (local[2]); the data set "
                + "is in " + uri(far));
    }

    @Test
    void aDataSetOfAnotherConfigurationIsRefusedNamingTheUriThenReplacedWithForce() throws Exception {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0]\nrecordings_per_condition: 4\n");
        Path far = dir.resolve("far");
        String[] r = SparkStagesTest.run("generate", cfg.toString(), "--out", uri(far), "--spark", "local[1]");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("made 1 of 1 shards"), r[1]);
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0]\nrecordings_per_condition: 5\n");
        r = SparkStagesTest.run("generate", cfg.toString(), "--out", uri(far), "--spark", "local[1]");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains(uri(far) + ": it holds a data set of another configuration"), r[2]);
        r = SparkStagesTest.run("generate", cfg.toString(), "--out", uri(far), "--spark", "local[1]", "--force");
        assertEquals("0", r[0], r[2]);
        Path local = dir.resolve("local");
        assertEquals("0", SparkStagesTest.run("generate", cfg.toString(), "--out", local.toString())[0]);
        assertEquals(StandaloneClusterTest.tree(local), StandaloneClusterTest.tree(far));
    }

    @Test
    void aUriNoFileSystemServesOrOneWithoutSparkIsRefused() throws Exception {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0]\nrecordings_per_condition: 4\n");
        String[] r = SparkStagesTest.run("generate", cfg.toString(), "--out", "nosuchfs://host/data", "--spark",
                "local[1]");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--out nosuchfs://host/data: no file system for nosuchfs:// on the class path"), r[2]);
        // an HDFS name node nobody answers at: refused at once, not after the client's minute of retries
        r = SparkStagesTest.run("generate", cfg.toString(), "--out", "hdfs://127.0.0.1:1/data", "--spark", "local[1]");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--out hdfs://127.0.0.1:1/data: cannot reach its file system"), r[2]);
        r = SparkStagesTest.run("generate", cfg.toString(), "--out", uri(dir.resolve("x")));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("is written by the executors of a Spark job: add --spark MASTER"), r[2]);
        r = SparkStagesTest.run("train", cfg.toString(), "--data", uri(dir.resolve("x")), "--out", "m");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("mounted:// is not a file system neuroinfer can read or write here"), r[2]);
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
