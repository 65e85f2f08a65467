package org.neuroinfer.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neuroinfer.observe.EpochWindow;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetGeneratorTest {
    static final String SMALL = "duration: 3.5\nnoise_factors: [0, 1]\nrecordings_per_condition: 10\nshard_size: 4\n"
            + "seed: 7\n";

    static GenerationConfig config(Path dir, String yaml) throws IOException {
        Path f = dir.resolve("c" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(f, yaml);
        return GenerationConfig.read(f);
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static void assertSameBytes(Path a, Path b) throws IOException {
        List<Path> fa = files(a);
        List<Path> fb = files(b);
        assertEquals(fa.stream().map(a::relativize).toList(), fb.stream().map(b::relativize).toList());
        for (int i = 0; i < fa.size(); i++) {
            assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), fa.get(i).toString());
        }
    }

    @Test
    void aShardThatCannotBeWrittenStopsTheRunAndIsNotListed(@TempDir Path tmp) throws IOException {
        // shards are written on a writer thread while the next is simulated: its failure must reach the caller,
        // and the manifest must list only the shards before it
        GenerationConfig c = config(tmp, SMALL);
        Path d = tmp.resolve("d");
        Files.createDirectories(d.resolve("shards/.c00_s0001.h5.part/blocked")); // the temporary file is a folder
        var e = assertThrows(IOException.class, () -> new DatasetGenerator(c, 2).generate(d, false, n -> { }, -1));
        assertTrue(e.getMessage().contains("c00_s0001"), e.getMessage());
        assertEquals(List.of("shards/c00_s0000.h5"), Manifest.read(d).shards().stream().map(Manifest.Shard::file)
                .toList());
        assertFalse(Files.exists(d.resolve("shards/c00_s0002.h5")), "no shard after the failed one is kept");
    }

    @Test
    void shardBuffersKeptFromAnEarlierGenerationNeverLeakIntoTheNext(@TempDir Path tmp) throws IOException {
        // the one-shard tasks of a Spark executor reuse the shard buffers of the tasks before them in the JVM
        GenerationConfig c = config(tmp, SMALL);
        Path fresh = tmp.resolve("fresh");
        new DatasetGenerator(c, 2).generate(fresh, false, n -> { }, -1);
        DatasetGenerator g = new DatasetGenerator(c, 2);
        Manifest.Shard first = g.plan().get(0);
        int len = EpochWindow.benchmark().length();
        while (ShardBuffers.take(first.count(), g.channels(), len) != null) {
            // emptied, so the stale buffers below are the ones taken
        }
        for (int k = 0; k < 2; k++) {
            float[][][] stale = new float[first.count()][g.channels()][len];
            for (float[][] r : stale) {
                for (float[] row : r) {
                    java.util.Arrays.fill(row, 123.5f);
                }
            }
            ShardBuffers.give(stale);
        }
        Path reused = tmp.resolve("reused");
        g.generate(reused, false, n -> { }, -1);
        assertSameBytes(fresh, reused);
        float[][][] back = ShardBuffers.take(first.count(), g.channels(), len);
        assertTrue(back != null && back[0][0][0] != 123.5f, "the buffers were used, and given back after");
        assertEquals(null, ShardBuffers.take(first.count() + 1, g.channels(), len), "none of another size");
    }

    @Test
    void killedAndResumedEqualsUninterruptedByteForByte(@TempDir Path tmp) throws IOException {
        killedAndResumed(tmp, SMALL);
    }

    @Test
    void aSetThatStoresSourcesResumesByteForByteToo(@TempDir Path tmp) throws IOException {
        killedAndResumed(tmp, SMALL + "store: source\n");
    }

    private static void killedAndResumed(Path tmp, String yaml) throws IOException {
        GenerationConfig c = config(tmp, yaml);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(6, new DatasetGenerator(c, 2).generate(a, false, n -> { }, -1));
        assertEquals(2, new DatasetGenerator(c, 2).generate(b, false, n -> { }, 2));
        assertFalse(Manifest.read(b).complete());
        Files.write(b.resolve("shards/.c00_s0002.h5.part"), new byte[100]); // what a kill mid-shard leaves
        assertEquals(4, new DatasetGenerator(c, 1).generate(b, false, n -> { }, -1));
        assertTrue(Manifest.read(b).complete());
        assertSameBytes(a, b);
        // a finished data set is kept as it is
        assertEquals(0, new DatasetGenerator(c, 2).generate(b, false, n -> { }, -1));
        assertSameBytes(a, b);
    }

    @Test
    void designedRunsResumeByteForByteToo(@TempDir Path tmp) throws IOException {
        for (String design : new String[] {"latin-hypercube", "sobol"}) {
            GenerationConfig c = config(tmp, SMALL + "design: " + design + "\n");
            Path a = tmp.resolve(design + "-a");
            Path b = tmp.resolve(design + "-b");
            new DatasetGenerator(c, 2).generate(a, false, n -> { }, -1);
            new DatasetGenerator(c, 1).generate(b, false, n -> { }, 3);
            new DatasetGenerator(c, 2).generate(b, false, n -> { }, -1);
            assertSameBytes(a, b);
        }
    }

    @Test
    void shardsHoldTheLabelledEegAndInspectVerifiesThem(@TempDir Path tmp) throws Exception {
        GenerationConfig c = config(tmp, SMALL);
        Path d = tmp.resolve("d");
        new DatasetGenerator(c, 2).generate(d, false, n -> { }, -1);
        try (HdfFile h = new HdfFile(d.resolve("shards/c01_s0002.h5"))) {
            assertArrayEquals(new int[] {2, 64, 1201}, h.getDatasetByPath("X").getDimensions());
            assertArrayEquals(new int[] {2, 9}, h.getDatasetByPath("y").getDimensions());
            long[] index = (long[]) h.getDatasetByPath("index").getData();
            assertArrayEquals(new long[] {18, 19}, index);
            assertEquals(1.0, (double) h.getAttribute("noise_factor").getData());
        }
        String report = DatasetInspector.inspect(d);
        assertTrue(report.contains("complete; every checksum verified"), report);
        // the reader gives the arrays of every shard, in order
        DatasetReader reader = new DatasetReader(d);
        assertEquals(6, reader.shards().size());
        DatasetReader.ShardData sd = reader.read(4);
        assertEquals(4, sd.x().length);
        assertEquals(64, sd.x()[0].length);
        assertArrayEquals(new long[] {14, 15, 16, 17}, sd.index());
        // a flipped byte is caught and named, by inspect and on read
        Path shard = d.resolve("shards/c00_s0001.h5");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length - 5] ^= 1;
        Files.write(shard, bytes);
        var e = assertThrows(DatasetInspector.CorruptShardException.class, () -> DatasetInspector.inspect(d));
        assertTrue(e.getMessage().contains("c00_s0001.h5") && e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(DatasetInspector.CorruptShardException.class, () -> new DatasetReader(d).read(1));
        // and generate remakes it
        assertEquals(1, new DatasetGenerator(c, 2).generate(d, false, n -> { }, -1));
        assertTrue(DatasetInspector.inspect(d).contains("complete"));
    }

    @Test
    void anotherConfigurationIsRefusedUnlessForced(@TempDir Path tmp) throws IOException {
        Path d = tmp.resolve("d");
        new DatasetGenerator(config(tmp, SMALL), 2).generate(d, false, n -> { }, -1);
        GenerationConfig other = config(tmp, SMALL.replace("seed: 7", "seed: 8"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new DatasetGenerator(other, 2).generate(d, false, n -> { }, -1));
        assertTrue(e.getMessage().contains("seed: 7 -> 8"), e.getMessage());
        assertEquals(6, new DatasetGenerator(other, 2).generate(d, true, n -> { }, -1));
        assertEquals(8L, Manifest.read(d).generationConfig().seed());
    }

    @Test
    void aUsersLeadFieldAndCovarianceReproduceTheBuiltInHead(@TempDir Path tmp) throws Exception {
        // the built-in head's lead field for the benchmark source, saved as a user would bring it
        var head = org.neuroinfer.observe.head.SphericalHead.fourShell();
        var montage = org.neuroinfer.observe.head.Montage.biosemi64();
        double[][] src = {org.neuroinfer.observe.LeadField.benchmarkSource()};
        var lf = org.neuroinfer.observe.LeadField.fixed(head, montage, src,
                org.neuroinfer.observe.LeadField.radial(head, src));
        org.neuroinfer.io.Npy.save(tmp.resolve("L.npy"), new org.neuroinfer.io.NpyArray(new int[] {64, 1},
                lf.matrix()), false);
        Files.writeString(tmp.resolve("ch.txt"), String.join("\n", lf.channels()));
        double[] cov = new double[64 * 64];
        for (int i = 0; i < 64; i++) {
            cov[i * 64 + i] = 0.2e-6 * 0.2e-6;
        }
        org.neuroinfer.io.Npy.save(tmp.resolve("cov.npy"), new org.neuroinfer.io.NpyArray(new int[] {64, 64},
                cov), false);
        String user = SMALL + "leadfield: L.npy\nleadfield_channels: ch.txt\nnoise_covariance: cov.npy\n";
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        new DatasetGenerator(config(tmp, SMALL), 2).generate(a, false, n -> { }, -1);
        new DatasetGenerator(config(tmp, user), 2).generate(b, false, n -> { }, -1);
        try (HdfFile ha = new HdfFile(a.resolve("shards/c01_s0000.h5"));
             HdfFile hb = new HdfFile(b.resolve("shards/c01_s0000.h5"))) {
            float[][][] xa = (float[][][]) ha.getDatasetByPath("X").getData();
            float[][][] xb = (float[][][]) hb.getDatasetByPath("X").getData();
            for (int r = 0; r < xa.length; r++) {
                for (int c = 0; c < 64; c++) {
                    for (int t = 0; t < xa[r][c].length; t++) {
                        assertEquals(xa[r][c][t], xb[r][c][t], 1e-6 * Math.abs(xa[r][c][t]) + 1e-15);
                    }
                }
            }
        }
        // a wrong shape and a covariance that is not positive definite are refused
        cov[0] = -1;
        org.neuroinfer.io.Npy.save(tmp.resolve("cov.npy"), new org.neuroinfer.io.NpyArray(new int[] {64, 64},
                cov), true);
        var e = assertThrows(IllegalArgumentException.class, () -> new DatasetGenerator(config(tmp, user), 2));
        assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
        org.neuroinfer.io.Npy.save(tmp.resolve("cov.npy"), new org.neuroinfer.io.NpyArray(new int[] {2, 2},
                new double[] {1, 0, 0, 1}), true);
        e = assertThrows(IllegalArgumentException.class, () -> new DatasetGenerator(config(tmp, user), 2));
        assertTrue(e.getMessage().contains("expected [64, 64]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(tmp, SMALL + "leadfield: missing.npy\n"));
        assertTrue(e.getMessage().contains("missing.npy"), e.getMessage());
    }

    @Test
    void snrConditionsGiveEveryRecordingItsTargetSnr(@TempDir Path tmp) throws Exception {
        String yaml = "duration: 3.5\nsnr_db: [5, 20]\nrecordings_per_condition: 5\nshard_size: 5\nseed: 3\n";
        Path d = tmp.resolve("d");
        new DatasetGenerator(config(tmp, yaml), 2).generate(d, false, n -> { }, -1);
        for (String[] c : new String[][] {{"c00_s0000", "5"}, {"c01_s0000", "20"}}) {
            try (HdfFile h = new HdfFile(d.resolve("shards/" + c[0] + ".h5"))) {
                double[] snr = (double[]) h.getDatasetByPath("snr_db").getData();
                double[] f = (double[]) h.getDatasetByPath("noise_factor").getData();
                for (int i = 0; i < snr.length; i++) {
                    assertEquals(Double.parseDouble(c[1]), snr[i], 1e-9);
                    assertTrue(f[i] > 0);
                }
                assertTrue(f[0] != f[1], "factors follow each recording's clean power");
            }
        }
        assertTrue(DatasetInspector.inspect(d).contains("SNR 20.0 dB"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> config(tmp, "snr_db: [5]\nnoise_factors: [1]\n"));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }

    @Test
    void aSetThatStoresSourcesReadsAsTheSameEegBitForBit(@TempDir Path tmp) throws Exception {
        for (String base : new String[] {SMALL, SMALL + "background_rms: 2.0e-6\n",
                "duration: 3.5\nsnr_db: [5, 20]\nrecordings_per_condition: 7\nshard_size: 3\nseed: 3\n"}) {
            Path eeg = tmp.resolve("eeg" + base.hashCode());
            Path src = tmp.resolve("src" + base.hashCode());
            new DatasetGenerator(config(tmp, base), 2).generate(eeg, false, n -> { }, -1);
            GenerationConfig sc = config(tmp, base + "store: source\n");
            assertTrue(!sc.hash().equals(config(tmp, base).hash()), "another data set");
            new DatasetGenerator(sc, 1).generate(src, false, n -> { }, -1);
            DatasetReader a = new DatasetReader(eeg);
            DatasetReader b = new DatasetReader(src);
            assertEquals(a.shards().size(), b.shards().size());
            for (int i = 0; i < a.shards().size(); i++) {
                var sa = a.read(i);
                var sb = b.read(i);
                for (int r = 0; r < sa.x().length; r++) {
                    for (int c = 0; c < sa.x()[r].length; c++) {
                        assertArrayEquals(sa.x()[r][c], sb.x()[r][c], "shard " + i + " recording " + r);
                    }
                }
                assertArrayEquals(sa.snrDb(), sb.snrDb());
                assertArrayEquals(sa.index(), sb.index());
                assertArrayEquals(sa.y()[0], sb.y()[0]);
                // read two recordings at a time (X sliced, or observed block by block): the same values
                for (DatasetReader reader : new DatasetReader[] {a, b}) {
                    java.util.List<float[][]> rows = new java.util.ArrayList<>();
                    reader.read(i, 2, (meta, from, x) -> {
                        assertEquals(rows.size(), from);
                        assertTrue(x.length <= 2 && meta.x() == null);
                        for (float[][] rec : x) {
                            rows.add(java.util.Arrays.stream(rec).map(float[]::clone).toArray(float[][]::new));
                        }
                    });
                    assertEquals(sa.x().length, rows.size());
                    for (int r = 0; r < rows.size(); r++) {
                        for (int c = 0; c < rows.get(r).length; c++) {
                            assertArrayEquals(sa.x()[r][c], rows.get(r)[c], "block read, shard " + i + " recording "
                                    + r);
                        }
                    }
                }
            }
            try (HdfFile h = new HdfFile(src.resolve("shards/c00_s0000.h5"))) {
                assertEquals(null, h.getChild("X"), "the sources only");
                double[][] source = (double[][]) h.getDatasetByPath("source").getData();
                double[] topo = (double[]) h.getDatasetByPath("topography").getData();
                float[][][] x = new DatasetReader(eeg).read(0).x();
                if (!base.contains("background") && !base.contains("snr")) { // condition 0 has no noise
                    assertEquals((float) (topo[3] * source[1][200]), x[1][3][200], 0f, "X = topography x source");
                }
            }
            assertTrue(DatasetInspector.inspect(src).contains("rebuilt when read"));
            var bad = assertThrows(IllegalArgumentException.class, () -> org.neuroinfer.recording.LabelledRecordings
                    .read(src.resolve("shards/c00_s0000.h5"), "X"));
            assertTrue(bad.getMessage().contains("store: source"), bad.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> config(tmp, SMALL + "store: channels\n"));
        assertTrue(e.getMessage().contains("store") && e.getMessage().contains("source"), e.getMessage());
        assertEquals(config(tmp, SMALL).hash(), config(tmp, SMALL + "store: eeg\n").hash(), "the default's name");
    }

    @Test
    void backgroundEegIsAddedDeterministically(@TempDir Path tmp) throws Exception {
        String bg = SMALL + "background_rms: 2.0e-6\n";
        Path plain = tmp.resolve("plain");
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        new DatasetGenerator(config(tmp, SMALL), 2).generate(plain, false, n -> { }, -1);
        new DatasetGenerator(config(tmp, bg), 2).generate(a, false, n -> { }, -1);
        new DatasetGenerator(config(tmp, bg), 1).generate(b, false, n -> { }, 2);
        new DatasetGenerator(config(tmp, bg), 2).generate(b, false, n -> { }, -1);
        assertSameBytes(a, b);
        try (HdfFile hp = new HdfFile(plain.resolve("shards/c00_s0000.h5"));
             HdfFile ha = new HdfFile(a.resolve("shards/c00_s0000.h5"))) {
            double[] snrPlain = (double[]) hp.getDatasetByPath("snr_db").getData();
            double[] snrBg = (double[]) ha.getDatasetByPath("snr_db").getData();
            assertEquals(Double.POSITIVE_INFINITY, snrPlain[0], "condition 0 has no sensor noise");
            assertTrue(Double.isFinite(snrBg[0]), "the background counts as noise");
            float[][][] xp = (float[][][]) hp.getDatasetByPath("X").getData();
            float[][][] xa = (float[][][]) ha.getDatasetByPath("X").getData();
            assertTrue(xp[0][0][100] != xa[0][0][100], "the background changes the EEG");
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> config(tmp, "snr_db: [3]\nbackground_rms: 1.0e-6\n"));
        assertTrue(e.getMessage().contains("background_rms"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(tmp, "background_beta: 2.5\n"));
        assertTrue(e.getMessage().contains("background_beta"), e.getMessage());
    }

    @Test
    void yamlErrorsNameTheKeyAndLine(@TempDir Path tmp) {
        var e = assertThrows(IllegalArgumentException.class, () -> config(tmp, "seed: 1\nnoise_factor: [1]\n"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("noise_factor")
                && e.getMessage().contains("noise_factors"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(tmp, "recordings_per_condition: many\n"));
        assertTrue(e.getMessage().contains("recordings_per_condition"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(tmp, "noise_factors: [0.1, -2]\n"));
        assertTrue(e.getMessage().contains("noise_factors"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(tmp, "convention: wrong\n"));
        assertTrue(e.getMessage().contains("deepjr"), e.getMessage());
    }
}
