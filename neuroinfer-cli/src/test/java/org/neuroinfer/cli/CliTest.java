package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;
import picocli.CommandLine;

/** The command line end to end, in process: outputs, formats, exit codes and messages. */
class CliTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static double relError(double[] a, double[] ref) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double m = 0;
        for (int i = 0; i < ref.length; i++) {
            lo = Math.min(lo, ref[i]);
            hi = Math.max(hi, ref[i]);
            m = Math.max(m, Math.abs(a[i] - ref[i]));
        }
        return m / (hi - lo);
    }

    @Test
    void aJvmWithoutTheVectorModuleIsToldHowToStartTheProgram() throws Exception {
        assertEquals(null, Main.missingModule(), "the tests' JVM has the module");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--help").redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes());
        assertEquals(Main.FAILURE, p.waitFor(), text);
        assertTrue(text.contains("without the module jdk.incubator.vector")
                && text.contains("java --add-modules jdk.incubator.vector -jar") && !text.contains("Exception"), text);
    }

    @Test
    void paramsPrintsTheTable() {
        Run r = run("params", "jansen-rit");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("A_e") && r.out().contains("0.00975") && r.out().contains("truncated-normal"),
                r.out());
        // the spectral graph model: spectrome's defaults beside Spectrome-AI's prior
        r = run("params", "sgm");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*tau_e\\s+s\\s+0\\.012\\s+\\[0\\.005, 0\\.02\\].*"), r.out());
        assertTrue(r.out().matches("(?s).*gei\\s+1\\s+4\\s+fixed 4.*"), r.out());
        // a network node: the parameters it reads, with neurolib's defaults
        r = run("params", "hopf");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\ba\\s+0\\.25\\b.*") && r.out().matches("(?s).*\\bw\\s+0\\.2\\b.*"),
                r.out());
        r = run("params", "aln2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("valid: jansen-rit, sgm"), r.err());
        for (String node : org.neuroinfer.network.NodeModels.NAMES) { // every node model the networks know
            r = run("params", node);
            assertEquals(0, r.code(), node + ": " + r.err());
            assertTrue(r.err().isEmpty() && r.out().lines().count() > 2, node + ": " + r.out());
            assertTrue(ModelName.ALL.contains(node), "params' help names " + node);
        }
    }

    @Test
    void referenceParamsFileReproducesTheReferenceEvoked(@TempDir Path dir) throws Exception {
        Path ref = SharedFolder.require().resolve("reference/jr/case_05_deepjr_prior_1");
        Path out = dir.resolve("e.npy");
        Run r = run("simulate", "jansen-rit", "--params", ref.resolve("params.json").toString(), "--evoked",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        double e = relError(Npy.load(out).data(), Npy.load(ref.resolve("evoked_euler.npy")).data());
        assertTrue(e <= 1e-9, "evoked error " + e);
        // RK4 at 0.1 ms, states, 2 s window against the exact trace
        Path st = dir.resolve("s.npy");
        r = run("simulate", "jansen-rit", "--params", ref.resolve("params.json").toString(), "--method", "rk4",
                "--dt", "0.0001", "--states", "--duration", "2", "--out", st.toString());
        assertEquals(0, r.code(), r.err());
        NpyArray got = Npy.load(st);
        assertArrayEquals(new int[] {2000, 6}, got.shape());
        NpyArray exact = Npy.load(ref.resolve("states_exact.npy"));
        for (int s = 0; s < 6; s++) {
            double[] a = new double[2000];
            double[] b = new double[2000];
            for (int k = 0; k < 2000; k++) {
                a[k] = got.data()[k * 6 + s];
                b[k] = exact.data()[k * 6 + s];
            }
            assertTrue(relError(a, b) <= 1e-6, "state y" + s + ": " + relError(a, b));
        }
    }

    @Test
    void samplesGiveTheSameBytesWhateverTheThreadCount(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        String[] common = {"simulate", "jansen-rit", "--samples", "40", "--seed", "5", "--evoked", "--noise-sd",
            "2"};
        assertEquals(0, run(concat(common, "--threads", "1", "--out", a.toString())).code());
        assertEquals(0, run(concat(common, "--threads", "2", "--out", b.toString())).code());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (ZipFile z = new ZipFile(a.toFile())) {
            NpyArray p = Npy.read(z.getInputStream(z.getEntry("params.npy")), "params");
            NpyArray s = Npy.read(z.getInputStream(z.getEntry("signals.npy")), "signals");
            assertArrayEquals(new int[] {40, 9}, p.shape());
            assertArrayEquals(new int[] {40, 1201}, s.shape());
            assertTrue(z.getEntry("param_names.npy") != null && z.getEntry("time.npy") != null);
        }
        // --set holds a parameter fixed while the others are drawn
        Path c = dir.resolve("c.npz");
        assertEquals(0, run("simulate", "jansen-rit", "--samples", "5", "--set", "b_i=33", "--duration", "2",
                "--out", c.toString()).code());
        try (ZipFile z = new ZipFile(c.toFile())) {
            NpyArray p = Npy.read(z.getInputStream(z.getEntry("params.npy")), "params");
            for (int i = 0; i < 5; i++) {
                assertEquals(33.0, p.data()[i * 9 + 3]);
            }
        }
    }

    @Test
    void singlePrecisionIsOptInAndRefusedWhereItIsNotBuilt(@TempDir Path dir) throws Exception {
        Path d = dir.resolve("d.npy");
        Path f = dir.resolve("f.npy");
        assertEquals(0, run("simulate", "jansen-rit", "--duration", "3", "--evoked", "--out", d.toString()).code());
        Run r = run("simulate", "jansen-rit", "--duration", "3", "--evoked", "--precision", "float32", "--out",
                f.toString());
        assertEquals(0, r.code(), r.err());
        double[] a = Npy.load(d).data();
        double[] b = Npy.load(f).data();
        double ptp = java.util.Arrays.stream(a).max().orElseThrow() - java.util.Arrays.stream(a).min().orElseThrow();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / ptp);
        }
        assertTrue(worst > 0 && worst < 1e-5, "float32 evoked differs from float64 by " + worst + " x ptp");
        r = run("simulate", "jansen-rit", "--duration", "2", "--precision", "float16");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("valid: float64, float32"), r.err());
        r = run("simulate", "jansen-rit", "--duration", "2", "--precision", "float32", "--method", "heun");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("euler only"), r.err());
    }

    @Test
    void csvAndPlot(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("o.csv");
        Path png = dir.resolve("o.png");
        Run r = run("simulate", "jansen-rit", "--duration", "2", "--out", csv.toString(), "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        var lines = Files.readAllLines(csv);
        assertEquals("time_s,output_V", lines.get(0));
        assertEquals(2001, lines.size());
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 500 && img.getHeight() > 300);
    }

    @Test
    void badInputExitsWithTwoAndNamesTheField(@TempDir Path dir) throws Exception {
        Run r = run("simulate", "jansen-rit", "--set", "A_x=1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("valid names: A_e"), r.err());
        r = run("simulate", "jansen-rit", "--set", "b_e=200");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[5.0, 150.0]") && r.err().contains("--allow-outside-prior"), r.err());
        assertEquals(2, run("simulate", "jansen-rit", "--set", "C=Infinity", "--allow-outside-prior").code());
        assertEquals(2, run("simulate", "jansen-rit", "--dt", "-0.001").code());
        assertEquals(2, run("simulate", "jansen-rit", "--duration", "0").code());
        assertEquals(2, run("simulate", "jansen-rit", "--nonsense").code());
        Path existing = dir.resolve("x.npy");
        Files.writeString(existing, "keep");
        r = run("simulate", "jansen-rit", "--duration", "1", "--out", existing.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--force"), r.err());
        assertEquals("keep", Files.readString(existing));
        assertEquals(0, run("simulate", "jansen-rit", "--duration", "1", "--out", existing.toString(), "--force")
                .code());
        assertEquals(1000, Npy.load(existing).data().length);
    }

    @Test
    void anOutputBelowAFileIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "x");
        Path out = dir.resolve("a.npy");
        Run r = run("simulate", "jansen-rit", "--duration", "1", "--out", out.toString(), "--plot",
                notes.resolve("p.png").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("notes.txt is a file, not a folder"), r.err());
        assertFalse(Files.exists(out), "nothing written when an output cannot be");
        Path cfg = dir.resolve("small.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0]\nrecordings_per_condition: 2\n");
        r = run("generate", cfg.toString(), "--out", notes.resolve("data").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("notes.txt") && !r.err().contains("Exception"), r.err());
    }

    @Test
    void benchNetworkRefusesBadValuesBeforeAnyRun() {
        String[][] bad = {{"--seconds", "-1"}, {"--seconds", "NaN"}, {"--seconds", "0"}, {"--lanes", "-3"},
            {"--models", "hopf,hopff"}};
        for (String[] b : bad) {
            Run r = run("bench", "network", b[0], b[1], "--no-peer");
            assertEquals(2, r.code(), String.join(" ", b) + ": " + r.err());
            assertTrue(r.err().contains(b[0]) && r.out().isEmpty(), String.join(" ", b) + ": " + r.err() + r.out());
        }
    }

    @Test
    void divergenceExitsWithOneAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("d.npy");
        Run r = run("simulate", "jansen-rit", "--set", "b_i=5000", "--allow-outside-prior", "--duration", "2",
                "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("diverged") && r.err().contains("b_i=5000.0") && r.err().contains("sample"),
                r.err());
        assertFalse(Files.exists(out));
        // --on-divergence nan: the run goes on, the diverged simulation is NaN and listed
        Path z = dir.resolve("z.npz");
        r = run("simulate", "jansen-rit", "--samples", "300", "--prior", "seed-normal", "--evoked",
                "--on-divergence", "nan", "--out", z.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("diverged; their signals are NaN"), r.err());
        try (ZipFile zf = new ZipFile(z.toFile())) {
            NpyArray d = Npy.read(zf.getInputStream(zf.getEntry("diverged.npy")), "diverged");
            NpyArray s = Npy.read(zf.getInputStream(zf.getEntry("signals.npy")), "signals");
            assertTrue(d.data().length > 0, "the untruncated seed prior has unstable draws (b_e < 0)");
            int i = (int) d.data()[0];
            assertTrue(Double.isNaN(s.data()[i * 1201]));
            assertTrue(Double.isFinite(s.data()[(i == 0 ? 1 : 0) * 1201 + 300]));
        }
    }

    @Test
    void demoWritesEverything(@TempDir Path dir) throws Exception {
        Run r = run("demo", "--out", dir.toString(), "--samples", "24", "--benchmark", "none");
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"output.npy", "evoked.npy", "prior_evoked.npz", "jansen-rit.png",
            "summary.txt"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        double[] ev = Npy.load(dir.resolve("evoked.npy")).data();
        Path ref = SharedFolder.require().resolve("reference/jr/case_01_deepjr_default/evoked_euler.npy");
        assertTrue(relError(ev, Npy.load(ref).data()) <= 1e-9);
        assertTrue(r.out().contains("recordings/s"), r.out());
    }

    @Test
    void leadfieldMatchesTheReference(@TempDir Path dir) throws Exception {
        Path ref = SharedFolder.require().resolve("reference/eeg");
        Path out = dir.resolve("L.npy");
        Run r = run("leadfield", "--montage", "biosemi64", "--dipoles", ref.resolve("dipole_pos_m.npy").toString(),
                "--orientations", ref.resolve("dipole_ori.npy").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        NpyArray got = Npy.load(out);
        NpyArray want = Npy.load(ref.resolve("leadfield_fixed.npy"));
        assertArrayEquals(want.shape(), got.shape());
        double max = java.util.Arrays.stream(want.data()).map(Math::abs).max().orElseThrow();
        assertArrayEquals(want.data(), got.data(), 1e-9 * max);
        Path avg = dir.resolve("A.npy");
        assertEquals(0, run("leadfield", "--avg-ref", "--out", avg.toString()).code());
        assertArrayEquals(new int[] {64, 1}, Npy.load(avg).shape());
        // the CSV names its channels and reads back as generate's leadfield: key reads it
        Path csv = dir.resolve("L.csv");
        assertEquals(0, run("leadfield", "--dipoles", ref.resolve("dipole_pos_m.npy").toString(), "--orientations",
                ref.resolve("dipole_ori.npy").toString(), "--out", csv.toString()).code());
        org.neuroinfer.observe.LeadField back = org.neuroinfer.observe.LeadField.read(csv, null);
        assertArrayEquals(org.neuroinfer.observe.head.Montage.named("biosemi64").channelNames(), back.channels());
        assertTrue(java.nio.file.Files.readAllLines(csv).get(1).startsWith("Fp1,"), "channel names, not indices");
        for (int j = 0; j < want.shape()[1]; j++) {
            double[] col = back.column(j);
            for (int c = 0; c < col.length; c++) {
                assertEquals(want.data()[c * want.shape()[1] + j], col[c], 1e-9 * max);
            }
        }
        Path bad = dir.resolve("bad.npy");
        Npy.save(bad, NpyArray.of(new double[] {1, 2}), false);
        r = run("leadfield", "--dipoles", bad.toString(), "--out", dir.resolve("x.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[n x 3]"), r.err());
    }

    @Test
    void eegEvokedWithNoise(@TempDir Path dir) throws Exception {
        Path z = dir.resolve("eeg.npz");
        Run r = run("simulate", "jansen-rit", "--samples", "6", "--evoked", "--eeg", "--noise-factor", "0.5",
                "--threads", "2", "--out", z.toString());
        assertEquals(0, r.code(), r.err());
        Path z1 = dir.resolve("eeg1.npz");
        assertEquals(0, run("simulate", "jansen-rit", "--samples", "6", "--evoked", "--eeg", "--noise-factor", "0.5",
                "--threads", "1", "--out", z1.toString()).code());
        assertArrayEquals(Files.readAllBytes(z), Files.readAllBytes(z1), "same seed, same bytes");
        try (ZipFile zf = new ZipFile(z.toFile())) {
            NpyArray s = Npy.read(zf.getInputStream(zf.getEntry("signals.npy")), "signals");
            assertArrayEquals(new int[] {6, 64, 1201}, s.shape());
            NpyArray snr = Npy.read(zf.getInputStream(zf.getEntry("snr_db.npy")), "snr");
            assertEquals(6, snr.data().length);
            assertTrue(java.util.Arrays.stream(snr.data()).allMatch(Double::isFinite));
        }
        // the continuous recording: [64 x T], noise per sample with the stated variance
        Path cont = dir.resolve("c.npy");
        assertEquals(0, run("simulate", "jansen-rit", "--eeg", "--noise-factor", "1", "--duration", "0.5", "--out",
                cont.toString()).code());
        NpyArray c = Npy.load(cont);
        assertArrayEquals(new int[] {64, 500}, c.shape());
        double ss = 0;
        for (int i = 0; i < 64 * 500; i++) {
            int t = i % 500;
            if (t >= 400) { // the model's output is settled at its pre-stimulus offset; noise dominates changes
                double d = c.data()[i] - c.data()[i - 1];
                ss += d * d / 2;
            }
        }
        assertEquals(0.04e-12, ss / (64 * 100), 0.1 * 0.04e-12, "noise variance per sample");
        assertEquals(2, run("simulate", "jansen-rit", "--eeg", "--states", "--out", dir.resolve("a.npy").toString())
                .code());
        assertEquals(2, run("simulate", "jansen-rit", "--evoked", "--eeg", "--out", dir.resolve("a.csv").toString())
                .code());
        assertEquals(2, run("simulate", "jansen-rit", "--evoked", "--eeg", "--noise-factor", "-1").code());
        Path s = dir.resolve("snr.npz");
        assertEquals(0, run("simulate", "jansen-rit", "--samples", "4", "--evoked", "--eeg", "--snr-db", "-3",
                "--duration", "3.5", "--out", s.toString()).code());
        try (ZipFile zf = new ZipFile(s.toFile())) {
            for (double v : Npy.read(zf.getInputStream(zf.getEntry("snr_db.npy")), "snr").data()) {
                assertEquals(-3.0, v, 1e-9);
            }
        }
        assertEquals(2, run("simulate", "jansen-rit", "--evoked", "--eeg", "--snr-db", "3", "--noise-factor", "1")
                .code());
    }

    /** Every file below {@code dir} by its path inside it, with its bytes. */
    static java.util.Map<String, String> tree(Path dir) throws Exception {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(f).toString(), org.neuroinfer.io.Checksums.sha256(f));
            }
        }
        return m;
    }

    @Test
    void generationSplitIntoPartsGivesTheBytesOfOneRun(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("small.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0, 0.5]\nrecordings_per_condition: 6\n"
                + "shard_size: 2\n");
        Path whole = dir.resolve("whole");
        assertEquals(0, run("generate", cfg.toString(), "--out", whole.toString()).code());
        Path parts = dir.resolve("parts");
        Run r = run("generate", cfg.toString(), "--out", parts.toString(), "--part", "1/2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("part 1/2: made 3 of its 3 shards") && r.out().contains("without --part"),
                r.out());
        assertTrue(!Files.exists(parts.resolve("manifest.json")), "a part never writes the manifest");
        r = run("generate", cfg.toString(), "--out", parts.toString(), "--part", "0/2");
        assertEquals(0, r.code(), r.err());
        r = run("generate", cfg.toString(), "--out", parts.toString(), "--part", "0/2");
        assertTrue(r.out().contains("made 0 of its 3 shards"), "a part run again keeps its shards: " + r.out());
        r = run("generate", cfg.toString(), "--out", parts.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("made 0 of 6 shards") && r.out().contains("complete"), r.out());
        assertEquals(tree(whole), tree(parts), "shards and manifest byte for byte");
        // a damaged shard of a part is made again by the final run
        Path parts2 = dir.resolve("parts2");
        assertEquals(0, run("generate", cfg.toString(), "--out", parts2.toString(), "--part", "0/1").code());
        Files.delete(parts2.resolve("manifest.json").getParent().resolve("shards/c01_s0002.h5.sha256"));
        Files.write(parts2.resolve("shards/c00_s0001.h5"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        r = run("generate", cfg.toString(), "--out", parts2.toString());
        assertTrue(r.out().contains("made 2 of 6 shards"), r.out());
        assertEquals(tree(whole), tree(parts2));
        // the plain program has no Spark: --spark says where to find it
        for (String[] bad : new String[][] {{"--part", "3/2"}, {"--part", "1/2", "--force"}, {"--part", "a"},
                {"--spark", "local[2]"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("generate", cfg.toString(),
                    "--out", dir.resolve("x").toString()));
            args.addAll(java.util.List.of(bad));
            r = run(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", bad));
            assertTrue(r.err().contains("--part") || r.err().contains("--force") || r.err().contains("--spark needs "
                    + "the neuroinfer-spark module"), r.err());
        }
        // an output on a cluster's file system, without --spark to write it, is refused naming it, not made as a
        // folder "hdfs:"; so is such a URI where a local file is read
        for (String uri : new String[] {"hdfs://namenode:8020/data", "s3a://bucket/data"}) {
            r = run("generate", cfg.toString(), "--out", uri);
            assertEquals(2, r.code(), uri);
            assertTrue(r.err().contains("--out " + uri + ": a folder on " + uri.substring(0, uri.indexOf(':'))
                    + ":// is read and written by the executors of a Spark job: add --spark MASTER"), r.err());
            r = run("generate", uri + "/c.yaml", "--out", dir.resolve("x").toString());
            assertEquals(2, r.code(), uri);
            assertTrue(r.err().contains("'" + uri + "/c.yaml': " + uri.substring(0, uri.indexOf(':')) + ":// is not "
                    + "a file system neuroinfer can read or write"), r.err());
        }
        assertTrue(!Files.exists(Path.of("hdfs:")) && !Files.exists(Path.of("s3a:")));
        // a file: URI is a path
        Path viaUri = dir.resolve("via-uri");
        r = run("generate", cfg.toString(), "--out", viaUri.toUri().toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(tree(whole), tree(viaUri));
    }

    @Test
    void generateAndInspect(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("small.yaml");
        Files.writeString(cfg, "duration: 3.5\nnoise_factors: [0, 0.5]\nrecordings_per_condition: 6\n"
                + "shard_size: 4\n");
        Path out = dir.resolve("data");
        Run r = run("generate", cfg.toString(), "--out", out.toString(), "--stop-after-shards", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("INCOMPLETE"), r.out());
        r = run("generate", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("made 3 of 4 shards") && r.out().contains("complete"), r.out());
        r = run("inspect", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6/6"), r.out());
        Files.writeString(cfg, "duration: 3.5\nnoise_factor: [0]\n");
        r = run("generate", cfg.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 2") && r.err().contains("noise_factor"), r.err());
        // h5py (Debian's python3-h5py, see scripts/install-python-checks.sh) opens the shards
        boolean h5py = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py").start().waitFor() == 0;
        org.junit.jupiter.api.Assumptions.assumeTrue(h5py, "h5py not installed: the Python check was skipped");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py,sys; f=h5py.File(sys.argv[1]); "
                + "print(f['X'].shape, f['X'].dtype, f['y'].shape, f.attrs['noise_factor'])",
                out.resolve("shards/c01_s0001.h5").toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), text);
        assertEquals("(2, 64, 1201) float32 (2, 9) 0.5", text.strip());
    }

    @Test
    void sensitivitySweeps(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("oat.yaml");
        Files.writeString(cfg, "parameters: [a_1, b_i, A_e]\nn: 7\nsignal: gfp\n");
        Path out = dir.resolve("s");
        Run r = run("sensitivity", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" 1. b_i") && r.out().contains("a_1") && r.out().contains("near-zero"),
                r.out());
        for (String f : new String[] {"summary.txt", "oat_summary.csv", "oat.npz", "oat_b_i.png", "oat_a_1.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(4, Files.readAllLines(out.resolve("oat_summary.csv")).size());
        Files.writeString(cfg, "analysis: sobol\nparameters: [A_i, b_i, a_1]\nbase_samples: 64\nsignal: source\n");
        r = run("sensitivity", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Sobol indices") && r.out().contains("a_1") && r.out().contains("near-zero"),
                r.out());
        assertTrue(Files.size(out.resolve("sobol_indices.csv")) > 0 && Files.size(out.resolve("sobol.png")) > 0);
        Files.writeString(cfg, "analysis: morris\nparameters: [A_i, b_i, a_1]\ntrajectories: 6\n");
        r = run("sensitivity", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Morris indices"), r.out());
        Files.writeString(cfg, "analysis: fast\n");
        assertEquals(2, run("sensitivity", cfg.toString(), "--out", out.toString()).code());
        Files.writeString(cfg, "signal: channel\nchannel: Q9\n");
        r = run("sensitivity", cfg.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("O2"), r.err());
    }

    @Test
    void benchRunsJavaAndThePeer(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("b.json");
        Run r = run("bench", "jansen-rit", "--sims", "32", "--repeats", "1", "--no-peer", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("steps/s"), r.out());
        assertTrue(Files.readString(json).contains("steps_per_second"));
        org.junit.jupiter.api.Assumptions.assumeTrue(hasNumpy(), "python3 with numpy not found: peer not run");
        r = run("bench", "jansen-rit", "--sims", "16", "--repeats", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ratio neuroinfer float64 / numpy (streaming)"), r.out());
        assertTrue(r.out().contains("ratio neuroinfer float32 / numpy (streaming)"), r.out());
        assertTrue(r.out().contains("ratio float32 / float64"), r.out());
        // the numba peer runs where the shared folder and Debian's numba are (CI installs both), else says why not
        assertTrue(r.out().contains("ratio neuroinfer float64 / numba") || r.out().contains("numba peer unavailable"),
                r.out());
    }

    @Test
    void benchAllRunsEveryPartAndSumsUpTheRatiosWithTheMachine(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("all.json");
        Run r = run("bench", "all", "--sims", "32", "--repeats", "1", "--seconds", "0.5", "--models", "hopf",
                "--lanes", "8", "--no-peer", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("machine: ") && out.contains("cores") && out.contains("Java"), out);
        assertTrue(out.contains("recordings/s") && out.contains("neuroinfer hopf, 8 lanes")
                && out.contains("ms per spectrum"), out);
        int summary = out.indexOf("summary, all ratios measured side by side in this run on ");
        assertTrue(summary > 0 && out.indexOf("ratio float32 / float64 (Jansen-Rit)", summary) > 0, out);
        String doc = Files.readString(json);
        assertTrue(doc.startsWith("{\"machine\": ") && doc.contains("\"benchmark\": \"all\"")
                && doc.contains("jansen-rit euler evoked") && doc.contains("\"benchmark\": \"network\"")
                && doc.contains("sgm2020 spectrum"), doc);
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc); // valid JSON
    }

    @Test
    void benchSgmFailsWhenThePeerDisagreesBeyondTheTolerance() {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasNumpy(), "python3 with numpy not found: peer not run");
        // a tolerance no two implementations meet: the check must fail, naming the difference
        Run r = run("bench", "sgm", "--repeats", "1", "--tolerance", "1e-300");
        assertEquals(Main.DISAGREES, r.code(), r.err());
        assertTrue(r.err().contains("more than --tolerance"), r.err());
        // and the difference it found is within the default tolerance
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("dB sums agree to ([0-9.e+-]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) < 1e-6, r.out());
        assertEquals(2, run("bench", "sgm", "--tolerance", "0").code());
    }

    @Test
    void benchNetworkFailsWhenThePeerDisagreesBeyondTheTolerance() throws Exception {
        boolean numba = new ProcessBuilder("/usr/bin/python3", "-c", "import numba").start().waitFor() == 0;
        org.junit.jupiter.api.Assumptions.assumeTrue(numba, "numba not installed: peer not run");
        // ALN, whose final state after 1 s differs in the last bits (Hopf's is bit-identical)
        Run r = run("bench", "network", "--seconds", "1", "--lanes", "0", "--models", "aln", "--threads", "1",
                "--tolerance", "1e-300");
        assertEquals(Main.DISAGREES, r.code(), r.err());
        assertTrue(r.err().contains("more than --tolerance"), r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("agreement \\(aln, 1.0 simulated s\\): final "
                + "states differ by ([0-9.e+-]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) < 1e-6, "within the default tolerance: " + r.out());
    }

    static boolean hasNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
