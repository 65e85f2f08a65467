package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertTrue(r[2].contains("is read and written by the executors of a Spark job: add --spark MASTER"), r[2]);
        r = SparkStagesTest.run("train", cfg.toString(), "--data", uri(dir.resolve("x")), "--out", "m");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("mounted:// is not a file system neuroinfer can read or write here"), r[2]);
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void aDataSetOnAClusterFileSystemIsScoredAndPredictedAsALocalOne() throws Exception {
        Path cfg = dir.resolve("data.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0, 1]\nrecordings_per_condition: 30\nshard_size: 12\n");
        Path data = dir.resolve("data");
        assertEquals("0", SparkStagesTest.run("generate", cfg.toString(), "--out", data.toString())[0]);
        Path far = dir.resolve("far");
        String[] r = SparkStagesTest.run("generate", cfg.toString(), "--out", uri(far), "--spark", "local[2]");
        assertEquals("0", r[0], r[2]);
        Path train = dir.resolve("train.yaml");
        Files.writeString(train, "network: {kind: lstm, hidden: 8}\ninput: {decimate: 20}\n"
                + "training: {epochs: 1, batch_size: 8}\n");
        Path model = dir.resolve("model");
        r = SparkStagesTest.run("train", train.toString(), "--data", data.toString(), "--out", model.toString());
        assertEquals("0", r[0], r[2]);

        // the model's own data set (its test split, placed by a round of tasks counting kept rows), on one machine
        // and from the cluster's file system into a report there
        Path here = dir.resolve("report");
        r = SparkStagesTest.run("evaluate", model.toString(), "--data", data.toString(), "--out", here.toString());
        assertEquals("0", r[0], r[2]);
        // (the model itself read from there too)
        r = SparkStagesTest.run("evaluate", uri(model), "--data", uri(far), "--out", uri(dir.resolve("rf")),
                "--spark", "local[2]");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("held-out (test split)"), r[1]);
        assertTrue(r[1].contains("wrote " + uri(dir.resolve("rf")) + ": metrics.csv"), r[1]);
        for (String f : new String[] {"metrics.csv", "predictions.npz"}) {
            assertEquals(-1L, Files.mismatch(here.resolve(f), dir.resolve("rf").resolve(f)), f);
        }
        assertEquals(StandaloneClusterTest.tree(here).keySet(), StandaloneClusterTest.tree(dir.resolve("rf")).keySet(),
                "the same files, no part file left");
        // the data set there, the report here (a folder every worker reaches)
        r = SparkStagesTest.run("evaluate", model.toString(), "--data", uri(far), "--out",
                dir.resolve("r2").toString(), "--spark", "local[2]");
        assertEquals("0", r[0], r[2]);
        assertEquals(-1L, Files.mismatch(here.resolve("predictions.npz"), dir.resolve("r2/predictions.npz")));
        // a report there is not replaced without --force
        r = SparkStagesTest.run("evaluate", model.toString(), "--data", uri(far), "--out", uri(dir.resolve("rf")),
                "--spark", "local[2]");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--out " + uri(dir.resolve("rf")) + " holds a report (metrics.csv); add --force"),
                r[2]);

        // every recording predicted, from and to the cluster's file system
        Path table = dir.resolve("p.csv");
        r = SparkStagesTest.run("infer", model.toString(), "--input", data.toString(), "--out", table.toString());
        assertEquals("0", r[0], r[2]);
        r = SparkStagesTest.run("infer", uri(model), "--input", uri(far), "--out", uri(dir.resolve("t/p.csv")),
                "--spark", "local[2]");
        assertEquals("0", r[0], r[2]);
        assertEquals(-1L, Files.mismatch(table, dir.resolve("t/p.csv")));
        assertEquals(List.of("p.csv"), StandaloneClusterTest.tree(dir.resolve("t")).keySet().stream().toList());

        // refused, naming what: no data set there; a cluster's file system without --spark
        r = SparkStagesTest.run("evaluate", model.toString(), "--data", uri(dir.resolve("none")), "--out",
                uri(dir.resolve("r3")), "--spark", "local[1]");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains(uri(dir.resolve("none")) + " is not a neuroinfer data set (no manifest.json)"), r[2]);
        r = SparkStagesTest.run("infer", model.toString(), "--input", uri(far), "--out", table.toString(), "--force");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--input " + uri(far) + ": a folder on mounted:// is read and written by the "
                + "executors of a Spark job: add --spark MASTER"), r[2]);
        assertFalse(Files.exists(dir.resolve("r3")));
        r = SparkStagesTest.run("evaluate", uri(data), "--data", uri(far), "--out", uri(dir.resolve("r4")),
                "--spark", "local[1]");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("MODEL_DIR " + uri(data) + " is not a model folder (no model.json)"), r[2]);
        r = SparkStagesTest.run("infer", uri(model), "--input", data.toString(), "--out", table.toString(), "--force");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("MODEL_DIR " + uri(model) + ": a folder on mounted:// is read and written by the "
                + "executors of a Spark job: add --spark MASTER"), r[2]);
        assertFalse(Files.exists(dir.resolve("r4")));
    }
}
