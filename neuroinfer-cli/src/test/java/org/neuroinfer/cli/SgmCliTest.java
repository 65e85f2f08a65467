package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.cli.CliTest.Run;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.SharedFolder;

/** {@code sgm simulate}: a reference case reproduced from the command line, parameter units, bad input. */
class SgmCliTest {
    static final Path REF = SharedFolder.require().resolve("reference/sgm");
    static final String RAW = REF.resolve("connectome/raw").toString();

    @TempDir
    Path dir;

    static double worst(double[] a, double[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(a[i] - b[i]));
        }
        return w;
    }

    @Test
    void aReferenceCaseIsReproducedInDecibels() throws Exception {
        Path out = dir.resolve("s.npy");
        Run r = CliTest.run("sgm", "simulate", "--variant", "msgm2023", "--connectome", RAW, "--params",
                REF.resolve("cases/random2022_0/case.json").toString(), "--out", out.toString(), "--db", "--plot",
                dir.resolve("s.png").toString());
        assertEquals(0, r.code(), r.err());
        var a = Npy.load(out);
        assertEquals(86, a.shape()[0]);
        assertEquals(40, a.shape()[1]);
        assertTrue(worst(a.data(), Npy.load(REF.resolve("cases/random2022_0/msgm2023_db.npy")).data()) < 1e-6);
        assertTrue(Files.size(dir.resolve("s.png")) > 10_000);
        // again without --force: refused, the file untouched
        r = CliTest.run("sgm", "simulate", "--connectome", RAW, "--out", out.toString());
        assertTrue(r.code() != 0 && r.err().contains("--force"), r.err());
    }

    @Test
    void timesInMillisecondsAreConverted() throws Exception {
        Path ms = dir.resolve("ms.json");
        Files.writeString(ms, "{\"parameters\": {\"tau_e\": {\"value\": 12, \"unit\": \"ms\"}, "
                + "\"tau_i\": {\"value\": 3, \"unit\": \"ms\"}, \"tauC\": {\"value\": 6, \"unit\": \"ms\"}}}");
        Run r = CliTest.run("sgm", "simulate", "--connectome", RAW, "--params", ms.toString(), "--out",
                dir.resolve("d.npy").toString(), "--db", "--smooth");
        assertEquals(0, r.code(), r.err());
        // the defaults case (alpha = 1: sgm2020 = sgm2020_la), smoothed as the 2020 pipeline
        assertTrue(worst(Npy.load(dir.resolve("d.npy")).data(),
                Npy.load(REF.resolve("cases/defaults/sgm2020_db_smoothed.npy")).data()) < 1e-6);
    }

    @Test
    void badInputIsNamed() throws Exception {
        Run r = CliTest.run("sgm", "simulate", "--variant", "sgm2019", "--connectome", RAW, "--out",
                dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("sgm2020_la") && r.err().contains("sgm2019"), r.err());
        Path p = dir.resolve("p.json");
        Files.writeString(p, "{\"tau_e\": -0.01}");
        r = CliTest.run("sgm", "simulate", "--connectome", RAW, "--params", p.toString(), "--out",
                dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("tau_e") && r.err().contains("> 0"), r.err());
        Files.writeString(p, "{\"tau_x\": 0.01}");
        r = CliTest.run("sgm", "simulate", "--connectome", RAW, "--params", p.toString(), "--out",
                dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("tau_x") && r.err().contains("tauC"), r.err());
        Files.writeString(p, "{\"parameters\": {\"speed\": {\"value\": 5, \"unit\": \"Hz\"}}}");
        r = CliTest.run("sgm", "simulate", "--connectome", RAW, "--params", p.toString(), "--out",
                dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("speed") && r.err().contains("m/s"), r.err());
        // an asymmetric connectome
        Path c = dir.resolve("c");
        Files.createDirectories(c);
        Files.writeString(c.resolve("weights.csv"), "0,1,2\n1,0,1\n3,1,0\n");
        Files.writeString(c.resolve("lengths.csv"), "0,10,20\n10,0,10\n20,10,0\n");
        r = CliTest.run("sgm", "simulate", "--connectome", c.toString(), "--out", dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("not symmetric") && r.err().contains("[0][2]"), r.err());
        Files.writeString(c.resolve("weights.csv"), "0,1,-2\n1,0,1\n-2,1,0\n");
        r = CliTest.run("sgm", "simulate", "--connectome", c.toString(), "--out", dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("negative"), r.err());
        Files.writeString(c.resolve("weights.csv"), "0,1,NaN\n1,0,1\nNaN,1,0\n");
        r = CliTest.run("sgm", "simulate", "--connectome", c.toString(), "--out", dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("NaN") && r.err().contains("finite"), r.err());
        Files.writeString(c.resolve("weights.csv"), "0,1\n1,0\n");
        r = CliTest.run("sgm", "simulate", "--connectome", c.toString(), "--out", dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("same size"), r.err());
        Files.writeString(c.resolve("weights.csv"), "0,1,2\n1,0\n2,1,0\n");
        r = CliTest.run("sgm", "simulate", "--connectome", c.toString(), "--out", dir.resolve("x.npy").toString());
        assertTrue(r.err().contains("line 2"), r.err());
        assertTrue(!Files.exists(dir.resolve("x.npy")));
    }

    /**
     * The README's route on the quick example: generate 3,200 spectra, train Spectrome-AI's network for 40 epochs,
     * evaluate (R² per parameter on the held-out split), infer one subject with re-simulation, fit it by CMA-ES.
     */
    @Test
    void generateTrainEvaluateInferAndFit() throws Exception {
        Path data = dir.resolve("data");
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/sgm-quick.yaml");
        Run r = CliTest.run("sgm", "generate", example.toString(), "--out", data.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3200/3200"), r.out());
        Path model = dir.resolve("model");
        r = CliTest.run("sgm", "train", "--data", data.toString(), "--out", model.toString(), "--epochs", "40");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("batch norm"), r.out());
        r = CliTest.run("sgm", "evaluate", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("eval").toString());
        assertEquals(0, r.code(), r.err());
        java.util.Map<String, Double> r2 = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("eval/metrics.csv")).subList(1, 6)) {
            String[] f = line.split(",");
            r2.put(f[1], Double.parseDouble(f[6]));
        }
        for (String p : new String[] {"tau_e", "alpha", "speed", "tauC"}) {
            assertTrue(r2.get(p) > 0.9, p + ": R2 " + r2);
        }
        assertTrue(r2.get("tau_i") > 0.8, "tau_i: R2 " + r2);

        Path params = dir.resolve("subject.json");
        Files.writeString(params, "{\"tau_e\": 0.010, \"tau_i\": 0.008, \"alpha\": 0.5, \"speed\": 12.0, "
                + "\"tauC\": 0.015}");
        Path subject = dir.resolve("subject.npy");
        assertEquals(0, CliTest.run("sgm", "simulate", "--connectome", RAW, "--params", params.toString(), "--out",
                subject.toString(), "--db").code());
        Path inf = dir.resolve("infer");
        r = CliTest.run("sgm", "infer", model.toString(), "--input", subject.toString(), "--resimulate", "--data",
                data.toString(), "--out", inf.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ms per subject") && r.out().contains("per-region Pearson r"), r.out());
        double speed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(inf.resolve("params.json")
                .toFile()).get("params").get("speed").asDouble();
        assertEquals(12.0, speed, 1.5, "estimated speed");
        double meanR = Files.readAllLines(inf.resolve("region_r.csv")).stream().skip(1)
                .mapToDouble(l -> Double.parseDouble(l.split(",")[1])).average().orElse(0);
        assertTrue(meanR > 0.9, "re-simulated spectra correlate with the input: mean r " + meanR);
        assertTrue(Files.size(inf.resolve("resimulation.png")) > 10_000);

        r = CliTest.run("sgm", "fit", "--input", subject.toString(), "--data", data.toString(), "--evaluations", "12",
                "--out", dir.resolve("fit").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(dir.resolve("fit/evaluations.csv")).size() == 13);

        // a spectrum of the wrong shape, a dB file read as magnitudes
        Path small = dir.resolve("small.npy");
        Npy.save(small, org.neuroinfer.io.NpyArray.of(new double[10][40]), false);
        r = CliTest.run("sgm", "infer", model.toString(), "--input", small.toString());
        assertTrue(r.err().contains("10 x 40") && r.err().contains("86 regions"), r.err());
        r = CliTest.run("sgm", "infer", model.toString(), "--input", subject.toString(), "--units", "magnitude");
        assertTrue(r.err().contains("> 0") && r.err().contains("--units db"), r.err());

        // a model of the other kind is refused, naming the command that fits it
        r = CliTest.run("infer", model.toString(), "--input", subject.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("predicts SGM parameters") && r.err().contains("use 'sgm infer'"), r.err());
        Path eeg = Path.of("../neuroinfer-learn/src/test/resources/models/v1-bilstm");
        r = CliTest.run("sgm", "infer", eeg.toString(), "--input", subject.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("predicts neural mass parameters from EEG") && r.err().contains("use 'infer'"),
                r.err());
    }

    @Test
    void anEstimateOutsideTheTrainingPriorIsFlagged() {
        var config = new org.neuroinfer.dataset.SpectraConfig("sgm", null, RAW, null, null, null, null, null, null,
                null, null, null, null, null).withDefaults();
        String text = String.join("\n", org.neuroinfer.pipeline.SgmSubjectStudy.outsidePrior(
                java.util.Map.of("speed", 31.0, "alpha", 0.5), config));
        assertTrue(text.toString().contains("speed = 31.0000 is outside the training prior [5.0, 20.0]"), text.toString());
        assertTrue(!text.toString().contains("alpha"), text.toString());
    }

    @Test
    void spectraGenerationSplitIntoPartsGivesTheBytesOfOneRun() throws Exception {
        Path cfg = dir.resolve("parts.yaml");
        Files.writeString(cfg, "connectome: " + RAW + "\nspeeds: 3\nspectra_per_speed: 2\nnoise_db: [0, 1]\n"
                + "speeds_per_shard: 1\n");
        Path whole = dir.resolve("parts-whole");
        assertEquals(0, CliTest.run("sgm", "generate", cfg.toString(), "--out", whole.toString()).code());
        Path split = dir.resolve("parts-split");
        for (String part : new String[] {"0/2", "1/2"}) {
            Run r = CliTest.run("sgm", "generate", cfg.toString(), "--out", split.toString(), "--part", part);
            assertEquals(0, r.code(), r.err());
            // three blocks of strata, one shard per noise condition each: part 0 makes blocks 0 and 2, part 1 block 1
            assertTrue(r.out().contains("part " + part + ": made " + (part.equals("0/2") ? "4 of its 4" : "2 of its 2")
                    + " shards"), r.out());
        }
        Run r = CliTest.run("sgm", "generate", cfg.toString(), "--out", split.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("made 0 of 6 shards"), r.out());
        assertEquals(CliTest.tree(whole), CliTest.tree(split), "shards and manifest byte for byte");
    }

    @Test
    void spectraShardsOpenInPython() throws Exception {
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, "connectome: " + RAW + "\nspeeds: 2\nspectra_per_speed: 3\nnoise_db: [0, 1]\n");
        Path out = dir.resolve("tiny");
        Run r = CliTest.run("sgm", "generate", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        // h5py (Debian's python3-h5py, see scripts/install-python-checks.sh) opens the shards
        boolean h5py = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py").start().waitFor() == 0;
        org.junit.jupiter.api.Assumptions.assumeTrue(h5py, "h5py not installed: the Python check was skipped");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py,sys; f=h5py.File(sys.argv[1]); "
                + "print(f['X'].shape, f['X'].dtype, f['y'].shape, len(f['freqs_hz']), f.attrs['noise_db'], "
                + "f['channel_names'][0].decode(), f['param_names'][6].decode())",
                out.resolve("shards/c01_s0000.h5").toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), text);
        assertEquals("(6, 86, 40) float32 (6, 7) 40 1.0 ctx-lh-bankssts tauC", text.strip());
    }

    @Test
    void inferPreparesTheInputAsTheTrainingSpectraWere() throws Exception {
        Path cfg = dir.resolve("smooth.yaml");
        Files.writeString(cfg, "connectome: " + RAW + "\nspeeds: 2\nspectra_per_speed: 15\nsmooth: true\n");
        Path data = dir.resolve("smooth");
        assertEquals(0, CliTest.run("sgm", "generate", cfg.toString(), "--out", data.toString()).code());
        Path model = dir.resolve("m");
        Run r = CliTest.run("sgm", "train", "--data", data.toString(), "--out", model.toString(), "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        Path subject = dir.resolve("s.npy");
        assertEquals(0, CliTest.run("sgm", "simulate", "--connectome", RAW, "--out", subject.toString(), "--db")
                .code());
        r = CliTest.run("sgm", "infer", model.toString(), "--input", subject.toString(), "--data", data.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("training spectra were smoothed"), r.out());
        r = CliTest.run("sgm", "infer", model.toString(), "--input", subject.toString());
        assertTrue(!r.out().contains("smoothed"), r.out());
    }
}
