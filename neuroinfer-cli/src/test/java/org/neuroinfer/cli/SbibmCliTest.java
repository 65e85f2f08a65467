package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;

/**
 * {@code sbibm run} writes posterior samples a C2ST can score; bad input (an unknown task, an observation of the
 * wrong dimension, a budget below 100, samples of another dimension, NaN) is refused with exit 2, naming it, and
 * nothing is written.
 */
class SbibmCliTest {
    static final Path SBIBM = SharedFolder.require().resolve("reference/sbibm");

    @TempDir
    Path dir;

    @Test
    void aRunWritesSamplesThatC2stScores() throws Exception {
        Path cfg = dir.resolve("npe.yaml");
        Files.writeString(cfg, "estimator: {kind: mdn, components: 4, hidden: 32}\ninput: {decimate: 1}\n"
                + "training: {epochs: 30, seed: 0}\n");
        Path out = dir.resolve("tm.npy");
        CliTest.Run r = CliTest.run("sbibm", "run", "--task", "two_moons", "--observation-file",
                SBIBM.resolve("two_moons/observation_1.npy").toString(), "--simulations", "500", "--samples", "2000",
                "--config", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        NpyArray s = Npy.load(out);
        assertEquals(2000, s.shape()[0]);
        assertEquals(2, s.shape()[1]);
        r = CliTest.run("sbibm", "c2st", out.toString(), SBIBM.resolve("two_moons/reference_posterior_1.npy")
                .toString());
        assertEquals(0, r.code(), r.err());
        double c = Double.parseDouble(r.out().split("\\s+")[1]);
        assertTrue(c > 0.5 && c < 1, r.out());
        // the prior scores far worse than a trained posterior
        assertTrue(r.out().startsWith("C2ST "), r.out());
        // sequential rounds (sbi's SNPE by default: atomic proposals, warm-started) say where they simulated
        r = CliTest.run("sbibm", "run", "--task", "two_moons", "--observation-file",
                SBIBM.resolve("two_moons/observation_1.npy").toString(), "--simulations", "400", "--rounds", "2",
                "--samples", "500", "--config", cfg.toString(), "--out", dir.resolve("tm2.npy").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("round 1: 200 simulations from 1.00 of the prior's mass (200 prior draws)")
                && r.out().contains("round 2: 200 simulations from the round-1 posterior")
                && r.out().contains("(atomic proposals, warm-started)"), r.out());
    }

    @Test
    void badInputIsRefusedNamingIt() throws Exception {
        Path obs = SBIBM.resolve("two_moons/observation_1.npy");
        Path out = dir.resolve("x.npy");
        CliTest.Run r = CliTest.run("sbibm", "run", "--task", "two_moon", "--observation-file", obs.toString(),
                "--simulations", "1000", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("lotka_volterra") && r.err().contains("two_moons"), r.err());
        r = CliTest.run("sbibm", "run", "--task", "slcp", "--observation-file", obs.toString(), "--simulations",
                "1000", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("2 values") && r.err().contains("8"), r.err());
        r = CliTest.run("sbibm", "run", "--task", "two_moons", "--observation-file", obs.toString(),
                "--simulations", "99", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--simulations must be >= 100"), r.err());
        r = CliTest.run("sbibm", "run", "--task", "two_moons", "--observation-file", obs.toString(),
                "--simulations", "1000", "--rounds", "2", "--proposal", "atom", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("proposal must be truncated or atomic, got 'atom'"), r.err());
        assertFalse(Files.exists(out), "nothing written");
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Npy.save(a, new NpyArray(new int[] {20, 2}, new double[40]), false);
        Npy.save(b, new NpyArray(new int[] {20, 3}, new double[60]), false);
        r = CliTest.run("sbibm", "c2st", a.toString(), b.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("2 dimensions") && r.err().contains("3"), r.err());
        double[] nan = new double[40];
        nan[7] = Double.NaN;
        Path c = dir.resolve("c.npy");
        Npy.save(c, new NpyArray(new int[] {20, 2}, nan), false);
        r = CliTest.run("sbibm", "c2st", c.toString(), a.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("NaN"), r.err());
    }

    @Test
    void aBenchmarkShowsItsEpochsAndKeepsItsCells() throws Exception {
        Path cfg = dir.resolve("npe.yaml");
        Files.writeString(cfg, "estimator: {kind: mdn, components: 3, hidden: 16}\ninput: {decimate: 1}\n"
                + "training: {epochs: 4, seed: 0}\n");
        Path out = dir.resolve("grid");
        String[] args = {"sbibm", "benchmark", "--tasks", "gaussian_mixture", "--simulations", "200",
            "--observations", "1", "--samples", "300", "--config", cfg.toString(), "--out", out.toString(),
            "--threads", "1"};
        CliTest.Run r = CliTest.run(args);
        assertEquals(0, r.code(), r.err());
        // the running cell's epochs on stderr (a cell at 10^5 trains for up to an hour), the table on stdout
        assertTrue(r.err().contains("gaussian_mixture, 200 simulations, observation 1:")
                && r.err().contains("epoch   4/4"), r.err());
        assertFalse(r.out().contains("epoch"), r.out());
        assertTrue(r.out().matches("(?s)gaussian_mixture\\s+200\\s+obs  1\\s+C2ST 0\\.\\d{4}.*"), r.out());
        assertTrue(Files.exists(out.resolve("summary.csv")) && Files.exists(out.resolve("c2st.png")));
        String score = Files.readString(out.resolve("gaussian_mixture/n200/obs1/c2st.json"));
        // again: the cell is kept, nothing trains
        r = CliTest.run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(kept)") && !r.err().contains("epoch"), r.out() + r.err());
        assertEquals(score, Files.readString(out.resolve("gaussian_mixture/n200/obs1/c2st.json")));
    }
}
