package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.cli.CliTest.Run;

/** The benchmark end to end on a tiny data set: every stage, then a rerun that only redoes what changed. */
class BenchmarkCliTest {
    @TempDir
    Path dir;

    static final String GENERATE = "generate: {duration: 3.5, noise_factors: [0, 1.0], recordings_per_condition: 30,"
            + " shard_size: 30}\nsensitivity: {n: 3}\n";
    static final String LSTM = "  lstm: {network: {kind: lstm, hidden: 6}, input: {decimate: 20},"
            + " training: {epochs: 2, batch_size: 8}}\n";
    static final String NPE = "  npe: {estimator: {kind: mdn, components: 2, hidden: 8}, input: {decimate: 20},"
            + " training: {epochs: 2, batch_size: 8}}\n";

    @Test
    void aBadSensitivitySectionIsRefusedBeforeTheDataAreGenerated() throws Exception {
        Path out = dir.resolve("bad");
        for (String bad : new String[] {"sensitivity: {n: 3, parameters: [b_e, b_ee]}",
                "sensitivity: {n: 3, channel: Oz9}"}) {
            Path cfg = dir.resolve("bad.yaml");
            Files.writeString(cfg, GENERATE.replace("sensitivity: {n: 3}", bad) + "models:\n" + LSTM);
            Run r = CliTest.run("benchmark", cfg.toString(), "--out", out.toString(), "--threads", "1");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(bad.contains("b_ee") ? "b_ee" : "Oz9"), r.err());
            try (var files = Files.list(out)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("data-")),
                        "no data generated for " + bad);
            }
        }
    }

    @Test
    void runsEveryCellOnceAndKeepsWhatIsDone() throws Exception {
        Path cfg = dir.resolve("bench.yaml");
        Files.writeString(cfg, GENERATE + "draws: 20\nmodels:\n" + LSTM);
        Path out = dir.resolve("out");
        Run r = CliTest.run("benchmark", cfg.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("training lstm at 0.0") && r.out().contains("training lstm at 1.0"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 2 * 9, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("lstm,0.0,Infinity,A_e,3,"), csv.get(1)); // 10 % of 30 held out
        double snr = Double.parseDouble(csv.get(10).split(",")[2]);
        assertTrue(snr > -30 && snr < 30, "median SNR of the noisy condition " + snr);
        for (String f : new String[] {"figure4.png", "heatmap.png", "scatter-lstm.png", "r-vs-snr.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 10_000, f);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("id=\"sensitivity\"")
                && html.contains("Run times") && html.contains("recordings_per_condition: 30"), "report sections");
        assertEquals(13, html.split("<img ").length - 1, "heat map, figure 4, SNR, scatter + 9 sweeps");
        byte[] first = Files.readAllBytes(out.resolve("results.csv"));

        // the same file again: nothing is redone, the table is the same
        r = CliTest.run("benchmark", cfg.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(!r.out().contains("training"), r.out());
        assertTrue(r.out().contains("done earlier, kept"), r.out());
        assertEquals(new String(first), Files.readString(out.resolve("results.csv")));

        // a model added: only its cells are trained
        Files.writeString(cfg, GENERATE + "draws: 20\nmodels:\n" + LSTM + NPE);
        r = CliTest.run("benchmark", cfg.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(!r.out().contains("training lstm") && r.out().contains("training npe at 0.0"), r.out());
        csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 4 * 9, csv.size());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("npe,1.0,") && l.contains(",b_i,3,")), csv.toString());
        assertTrue(csv.stream().filter(l -> l.startsWith("npe")).allMatch(l -> !l.contains(",,")),
                "coverage filled for the posterior estimator");
        assertTrue(Files.readString(out.resolve("report.html")).contains("id=\"calibration\""));
        assertTrue(Files.size(out.resolve("calibration-npe.png")) > 10_000);
    }

    @Test
    void aBadModelIsNamed() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, GENERATE + "models:\n  mine: {network: {kind: resnet}}\n");
        Run r = CliTest.run("benchmark", cfg.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("models.mine") && r.err().contains("network.kind"), r.err());
    }
}
