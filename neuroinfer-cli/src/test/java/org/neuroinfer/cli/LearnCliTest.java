package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.cli.CliTest.Run;

/** train, evaluate, infer and bench-infer end to end on a small generated data set, and their errors. */
class LearnCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static boolean numpy;

    @BeforeAll
    static void trainOnce() throws Exception {
        numpy = new ProcessBuilder("python3", "-c", "import numpy").start().waitFor() == 0;
        Path cfg = dir.resolve("small.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0]\nrecordings_per_condition: 40\nshard_size: 20\n");
        data = dir.resolve("data");
        Run r = CliTest.run("generate", cfg.toString(), "--out", data.toString());
        assertEquals(0, r.code(), r.err());
        Path train = dir.resolve("train.yaml");
        Files.writeString(train, "network: {kind: lstm, hidden: 8}\ninput: {decimate: 20}\n"
                + "training: {epochs: 2, batch_size: 8}\n");
        model = dir.resolve("model");
        r = CliTest.run("train", train.toString(), "--data", data.toString(), "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch   2/2") && r.out().contains("test split") && r.out().contains("saved"),
                r.out());
    }

    @Test
    void posteriorEstimationTrainsSamplesAndCalibrates() throws Exception {
        Path npe = dir.resolve("npe");
        Run r = trainSmallMaf(npe);
        assertTrue(r.out().contains("maf posterior estimator (2 transforms)") && r.out().contains("saved"), r.out());
        assertTrue(Files.readString(npe.resolve("model.json")).contains("\"neuroinfer-posterior\""));
        Path post = dir.resolve("post");
        r = CliTest.run("posterior", npe.toString(), "--input", data.resolve("shards/c00_s0000.h5").toString(),
                "--samples", "100", "--plots", "1", "--out", post.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("20 recordings x 100 draws"), r.out());
        assertEquals(1 + 20 * 9, Files.readAllLines(post.resolve("summary.csv")).size());
        assertTrue(Files.size(post.resolve("corner-0.png")) > 10_000);
        assertTrue(!Files.exists(post.resolve("corner-1.png")));
        assertEquals(List.of(20, 100, 9), shape(post.resolve("samples.npy")));
        float[][][] x;
        try (io.jhdf.HdfFile h = new io.jhdf.HdfFile(data.resolve("shards/c00_s0000.h5"))) {
            x = java.util.Arrays.copyOf((float[][][]) h.getDatasetByPath("X").getData(), 2);
        }
        for (float[][] rec : x) {
            for (float[] ch : rec) {
                for (int k = 0; k < ch.length; k++) {
                    ch[k] *= 1000; // a thousand times the amplitude of anything simulated
                }
            }
        }
        Path loud = dir.resolve("loud.npy");
        org.neuroinfer.io.Npy.save(loud, org.neuroinfer.io.NpyArray.of(x), true);
        r = CliTest.run("posterior", npe.toString(), "--input", loud.toString(), "--samples", "50", "--plots", "0",
                "--out", dir.resolve("loud").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("does not say its channel names, sampling rate, unit")
                && r.err().contains("--assume-layout") && r.err().contains("64 channels (Fp1 .. O2), 1000 Hz"), r.err());
        r = CliTest.run("posterior", npe.toString(), "--input", loud.toString(), "--assume-layout", "--samples", "50",
                "--plots", "0", "--out", dir.resolve("loud").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("recording 0 is") && r.err().contains("times as large as the data the model was "
                + "trained on") && r.err().contains("values in uV or mV read as V?"), r.err());
        assertTrue(!Files.exists(dir.resolve("loud")), "nothing written");
        Path cal = dir.resolve("cal");
        r = CliTest.run("calibrate", npe.toString(), "--data", data.toString(), "--samples", "50", "--out",
                cal.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 held-out simulations x 50 draws") && r.out().contains("SBC p"), r.out());
        assertEquals(13, Files.readAllLines(cal.resolve("coverage.csv")).size());
        assertEquals(10, Files.readAllLines(cal.resolve("calibration.csv")).size());
        for (String png : new String[]{"coverage.png", "ranks.png", "means.png"}) {
            assertTrue(Files.size(cal.resolve(png)) > 10_000, png);
        }
        Files.delete(cal.resolve("ranks.png"));
        r = CliTest.run("calibrate", npe.toString(), "--data", data.toString(), "--out", cal.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--force"), r.err());
        assertTrue(!Files.exists(cal.resolve("ranks.png")), "nothing written when outputs exist");
        r = CliTest.run("posterior", model.toString(), "--input", data.resolve("shards/c00_s0000.h5").toString(),
                "--out", post.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("not neuroinfer-posterior"), r.err());
    }

    @Test
    void aBdfRecordingAtKnownParametersPreparesToAPosteriorThatCoversThem() throws Exception {
        Path npe = dir.resolve("npe-bdf");
        Run r = trainSmallMaf(npe);
        // the continuous recording of the data set's settings at known parameters (the middle of each prior
        // range: a 3-epoch estimator on 40 recordings barely moves from the prior), upsampled to BioSemi's 2048 Hz
        var builder = org.neuroinfer.pipeline.Simulation.Spec.builder().duration(3.5).seed(11)
                .eeg(org.neuroinfer.pipeline.Simulation.Eeg.atNoiseFactor(0));
        for (var p : new org.neuroinfer.model.jansenrit.JansenRit(org.neuroinfer.model.jansenrit.Convention.of(
                "deepjr")).parameterSpace().parameters()) {
            builder.value(p.name(), (p.lower() + p.upper()) / 2);
        }
        var sim = org.neuroinfer.pipeline.Simulation.run(builder.recording(
                org.neuroinfer.pipeline.Simulation.Recording.OUTPUT).build(), n -> { });
        var direct = org.neuroinfer.pipeline.Simulation.run(builder.recording(
                org.neuroinfer.pipeline.Simulation.Recording.EVOKED).build(), n -> { });
        direct.save(dir.resolve("direct.npz"), false);
        int t = sim.time().length;
        int n = (int) Math.floor((t - 1) * 2.048) - 40;
        float[][] x = new float[65][n];
        var rs = new org.neuroinfer.recording.SincResampler(1000, 2048);
        double[] w = new double[rs.taps()];
        for (int k = 0; k < n; k++) {
            int at = rs.weights(k / 2.048, w);
            for (int c = 0; c < 64; c++) {
                double v = 0;
                for (int j = 0; j < w.length; j++) {
                    int q = Math.max(0, Math.min(t - 1, at + j));
                    v += w[j] * sim.data()[0][c * t + q];
                }
                x[c][k] = (float) v;
            }
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < 64; c++) {
            names.add((c < 32 ? "A" : "B") + (c % 32 + 1)); // BioSemi's own labels, in its order
        }
        names.add("EXG1");
        int[] onsets = java.util.Arrays.stream(sim.protocol().onsets()).map(o -> (int) Math.round(o * 2.048))
                .toArray();
        Path bdf = dir.resolve("subject.bdf");
        org.neuroinfer.recording.EdfFile.write(bdf, new org.neuroinfer.recording.ContinuousRecording(names, x, 2048,
                "V", new org.neuroinfer.recording.Events(onsets, onsets.clone()).withCodesOne(), "test"),
                org.neuroinfer.recording.EdfFile.Format.BDF, false);
        Path evoked = dir.resolve("subject-evoked.h5");
        r = CliTest.run("evoked", bdf.toString(), "--out", evoked.toString(), "--plot",
                dir.resolve("subject-evoked.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2048 Hz") && r.out().contains("BioSemi labels A1..B32")
                && r.out().contains("resampled from 2048 Hz") && r.out().contains("averaged 2 epochs")
                && r.out().contains("left out 1 channel(s)"), r.out());
        assertTrue(Files.size(dir.resolve("subject-evoked.png")) > 10_000);
        Path post = dir.resolve("post-bdf");
        r = CliTest.run("posterior", npe.toString(), "--input", evoked.toString(), "--samples", "400", "--plots", "1",
                "--out", post.toString());
        assertEquals(0, r.code(), r.err());
        java.util.Map<String, Double> truth = new java.util.HashMap<>();
        var space = sim.model().parameterSpace();
        for (int j = 0; j < space.names().length; j++) {
            truth.put(space.names()[j], sim.params()[0][j]);
        }
        r = CliTest.run("posterior", npe.toString(), "--input", dir.resolve("direct.npz").toString(), "--samples",
                "400", "--plots", "0", "--out", dir.resolve("post-direct").toString());
        assertEquals(0, r.code(), r.err());
        java.util.List<String> rows = Files.readAllLines(post.resolve("summary.csv"));
        java.util.List<String> same = Files.readAllLines(dir.resolve("post-direct/summary.csv"));
        assertEquals(10, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            String[] g = same.get(i).split(",");
            double lo = Double.parseDouble(f[6]);
            double hi = Double.parseDouble(f[7]);
            double v = truth.get(f[1]);
            assertTrue(lo <= v && v <= hi, f[1] + " = " + v + " outside its 95 % interval [" + lo + ", " + hi + "]");
            assertEquals(Double.parseDouble(g[3]), Double.parseDouble(f[3]), 0.02 * (hi - lo), f[1] + ": the "
                    + "posterior mean from the BDF is that of the evoked response simulated directly");
        }
        r = CliTest.run("evoked", dir.resolve("subject.fif").toString(), "--out", dir.resolve("e.h5").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
        Files.copy(bdf, dir.resolve("subject.fif"));
        r = CliTest.run("evoked", dir.resolve("subject.fif").toString(), "--out", dir.resolve("e.h5").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("FIF") && r.err().contains(".npz"), r.err());
        r = CliTest.run("evoked", bdf.toString(), "--out", dir.resolve("e.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out") && r.err().contains(".h5, .npz"), r.err());
        r = CliTest.run("evoked", bdf.toString(), "--event-code", "9", "--out", dir.resolve("e.h5").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--event-code [9] matches no event") && r.err().contains("1 (3)"), r.err());
        assertTrue(!Files.exists(dir.resolve("e.h5")));
    }

    @Test
    void multiRoundPosteriorEstimationSimulatesTrainsAndResumes() throws Exception {
        Path cfg = dir.resolve("snpe.yaml");
        Files.writeString(cfg, "estimator: {kind: mdn, components: 2, hidden: 8, embedding: {kind: fcnn, "
                + "layers: [16]}, features: 4}\ninput: {decimate: 20}\ntraining: {epochs: 3, batch_size: 8}\n");
        Path out = dir.resolve("snpe");
        String[] args = {"snpe", cfg.toString(), "--simulator", dir.resolve("small.yaml").toString(), "--input",
            data.resolve("shards/c00_s0001.h5").toString(), "--index", "3", "--rounds", "2", "--simulations", "40",
            "--samples", "200", "--out", out.toString()};
        Run r = CliTest.run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 rounds x 40 simulations at noise factor 0.0") && r.out().contains("round 2: 40 "
                + "simulations from"), r.out());
        List<String> rounds = Files.readAllLines(out.resolve("rounds.csv"));
        assertEquals(3, rounds.size());
        assertTrue(rounds.get(0).startsWith("round,simulations,trained_on,proposed,prior_mass"), rounds.get(0));
        assertTrue(rounds.get(2).startsWith("2,40,80,"), rounds.get(2));
        assertEquals(List.of(200, 9), shape(out.resolve("samples.npy")));
        assertEquals(10, Files.readAllLines(out.resolve("summary.csv")).size());
        assertTrue(Files.size(out.resolve("corner.png")) > 10_000);
        String before = org.neuroinfer.io.Checksums.sha256(out.resolve("round-2/weights.npz"));
        Files.delete(out.resolve("round-2/model.json")); // as if killed before round 2 was saved
        r = CliTest.run(args);
        assertEquals(0, r.code(), r.err());
        assertEquals(before, org.neuroinfer.io.Checksums.sha256(out.resolve("round-2/weights.npz")),
                "round 2 made again from its kept parameter sets gives the same weights");
        args[7] = "4";
        r = CliTest.run(args);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("holds the rounds of another run"), r.err());
        args[5] = data.resolve("shards/c00_s0000.h5").toString();
        args[7] = "30";
        r = CliTest.run(args);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--index") && r.err().contains("holds 20 recordings, got 30"), r.err());
    }

    /** A two-transform MAF trained for 3 epochs on the small data set, into {@code out}. */
    static Run trainSmallMaf(Path out) throws Exception {
        Path cfg = dir.resolve("npe.yaml");
        Files.writeString(cfg, "estimator: {kind: maf, transforms: 2, hidden: 8, embedding: {kind: fcnn, "
                + "layers: [16]}, features: 4}\ninput: {decimate: 20}\ntraining: {epochs: 3, batch_size: 8}\n");
        Run r = CliTest.run("train", cfg.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        return r;
    }

    /** The shape in a .npy header. */
    static List<Integer> shape(Path npy) throws java.io.IOException {
        return java.util.Arrays.stream(org.neuroinfer.io.Npy.load(npy).shape()).boxed().toList();
    }

    @Test
    void evaluateWritesMetricsAndPlots() throws Exception {
        Path rep = dir.resolve("report");
        Run r = CliTest.run("evaluate", model.toString(), "--data", data.toString(), "--out", rep.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("held-out"), r.out());
        List<String> csv = Files.readAllLines(rep.resolve("metrics.csv"));
        assertEquals(10, csv.size(), csv.toString()); // header + 9 parameters x 1 condition
        assertTrue(csv.get(1).startsWith("0.0,A_e,V,4,"), csv.get(1));
        assertTrue(Files.size(rep.resolve("scatter_noise_0.0.png")) > 10_000);
        assertTrue(Files.readString(rep.resolve("metrics.json")).contains("\"spearman\""));
    }

    @Test
    void inferReadsShardsAndNpy() throws Exception {
        Path shard = data.resolve("shards/c00_s0001.h5");
        Run r = CliTest.run("infer", model.toString(), "--input", shard.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(21, lines.size());
        assertTrue(lines.get(0).startsWith("recording,A_e [V],A_i [V],b_e [1/s]") || lines.get(0).contains("A_e [V]"),
                lines.get(0));
        Path out = dir.resolve("pred.csv");
        r = CliTest.run("infer", model.toString(), "--input", shard.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(r.out().isEmpty() ? -1 : 21, Files.readAllLines(out).size());
        r = CliTest.run("infer", model.toString(), "--input", dir.resolve("nothing.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
        r = CliTest.run("infer", model.toString(), "--input", shard.toString(), "--dataset", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no dataset 'nope'"), r.err());
        // a data-set folder: every kept recording, shard after shard, each as the shard's file alone predicts it
        Path table = dir.resolve("all.csv");
        r = CliTest.run("infer", model.toString(), "--input", data.toString(), "--out", table.toString());
        assertEquals(0, r.code(), r.err());
        List<String> all = Files.readAllLines(table);
        assertTrue(all.get(0).startsWith("recording,condition,A_e [V],") && all.get(0).contains(",true A_e [V],"),
                all.get(0));
        List<String> byShard = new java.util.ArrayList<>();
        try (var shards = Files.list(data.resolve("shards"))) {
            for (Path f : shards.filter(f -> f.toString().endsWith(".h5")).sorted().toList()) {
                Run one = CliTest.run("infer", model.toString(), "--input", f.toString());
                assertEquals(0, one.code(), one.err());
                byShard.addAll(one.out().lines().skip(1).toList());
            }
        }
        assertEquals(byShard.size() + 1, all.size(), "one row per kept recording");
        int params = all.get(0).split(",").length / 2 - 1;
        for (int i = 0; i < byShard.size(); i++) {
            String[] a = all.get(i + 1).split(",");
            String[] b = byShard.get(i).split(",");
            for (int j = 0; j < params; j++) {
                double x = Double.parseDouble(a[2 + j]);
                double y = Double.parseDouble(b[1 + j]);
                assertEquals(y, x, 2e-5 * Math.abs(y), "recording " + i + ", parameter " + j);
            }
        }
        r = CliTest.run("infer", model.toString(), "--input", shard.toString(), "--spark", "local[2]");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--spark predicts a data-set folder"), r.err());
    }

    @Test
    void weightsOpenInNumpy() throws Exception {
        Process p = new ProcessBuilder("python3", "-c", "import numpy as np,sys; d=np.load(sys.argv[1]); "
                + "print(len(d.files), d[d.files[0]].dtype)", model.resolve("weights.npz").toString())
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes()).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0 || !text.contains("No module"), text);
        assertEquals("6 float64", text); // lstm: 4 arrays, linear: 2
    }

    @Test
    void badConfigurationsNameTheField() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "network: {kind: resnet}\n");
        Run r = CliTest.run("train", bad.toString(), "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("network.kind") && r.err().contains("cnn-bilstm"), r.err());
        Files.writeString(bad, "network: {kind: bilstm, hidden: -4}\n");
        r = CliTest.run("train", bad.toString(), "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("network.hidden must be >= 1, got -4"), r.err());
        Files.writeString(bad, "input: {conditions: [0.7]}\n");
        r = CliTest.run("train", bad.toString(), "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("input.conditions") && r.err().contains("0.7"), r.err());
    }

    @Test
    void aModelRefusesDataOfAnotherMontage() throws Exception {
        Path cfg = dir.resolve("other.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0]\nrecordings_per_condition: 4\nmontage: '1020'\n");
        Path other = dir.resolve("other");
        assertEquals(0, CliTest.run("generate", cfg.toString(), "--out", other.toString()).code());
        Run r = CliTest.run("evaluate", model.toString(), "--data", other.toString(), "--out",
                dir.resolve("r2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the model reads 64 x 60"), r.err());
    }

    /** Every network kind of the registry, so a new kind is checked against the peer without editing this test. */
    static java.util.stream.Stream<String> networkKinds() {
        return org.neuroinfer.learn.nn.NetworkSpec.KINDS.stream();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("networkKinds")
    void everyNetworkAgreesWithItsNumpyReimplementation(String kind) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(numpy, "python3 with numpy not found: peer check skipped");
        Path train = dir.resolve(kind + ".yaml");
        Files.writeString(train, "network: {kind: " + kind + ", hidden: 6, conv_filters: 5, conv_kernel: 3, "
                + "d_model: 8, heads: 2, depth: 2, mlp: 12, patch: 6, layers: [16, 8]}\n"
                + "input: {decimate: 20}\ntraining: {epochs: 1, batch_size: 8}\n");
        Path m = dir.resolve("model-" + kind);
        Run r = CliTest.run("train", train.toString(), "--data", data.toString(), "--out", m.toString());
        assertEquals(0, r.code(), r.err());
        r = CliTest.run("bench-infer", m.toString(), "--calls", "10", "--peer");
        assertEquals(0, r.code(), r.err());
        java.util.regex.Matcher g = java.util.regex.Pattern.compile("agree to ([0-9.e+-]+) of").matcher(r.out());
        assertTrue(g.find(), r.out());
        assertTrue(Double.parseDouble(g.group(1)) < 1e-4, kind + ": " + r.out());
    }

    @Test
    void benchInferReportsLatencyAndAgreesWithTheNumpyPeer() {
        org.junit.jupiter.api.Assumptions.assumeTrue(numpy, "python3 with numpy not found: peer check skipped");
        Run r = CliTest.run("bench-infer", model.toString(), "--calls", "20", "--peer");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("batch of 1: median") && r.out().contains("recordings/s"), r.out());
        // the numpy peer is an independent implementation of the network: the predictions must agree
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("agree to ([0-9.e+-]+) of").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) < 1e-4, r.out());
        // a tolerance below float precision must fail the check, naming the parameter and the recording
        r = CliTest.run("bench-infer", model.toString(), "--calls", "10", "--peer", "--tolerance", "1e-15");
        assertEquals(Main.DISAGREES, r.code(), r.err());
        assertTrue(r.err().contains("the numpy peer disagrees") && r.err().contains("of recording "), r.err());
    }
}
