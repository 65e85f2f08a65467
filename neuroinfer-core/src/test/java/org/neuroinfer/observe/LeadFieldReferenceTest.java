package org.neuroinfer.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.observe.head.SphericalHead;

/** The built-in head against shared/reference/eeg (tolerance: 1e-9 x max|L| of each dipole's column). */
class LeadFieldReferenceTest {
    private static final Path REF = SharedFolder.require().resolve("reference/eeg");

    static double[][] rows(NpyArray a) {
        double[][] r = new double[a.shape()[0]][];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.row(i);
        }
        return r;
    }

    /** Worst |got - ref| / max|ref column| over all columns. */
    static double worst(LeadField got, NpyArray ref) {
        int ch = ref.shape()[0];
        int n = ref.shape()[1];
        assertEquals(ch, got.channels().length);
        assertEquals(n, got.sources());
        double w = 0;
        for (int j = 0; j < n; j++) {
            double max = 0;
            double err = 0;
            for (int c = 0; c < ch; c++) {
                max = Math.max(max, Math.abs(ref.data()[c * n + j]));
                err = Math.max(err, Math.abs(got.matrix()[c * n + j] - ref.data()[c * n + j]));
            }
            w = Math.max(w, err / max);
        }
        return w;
    }

    @Test
    void montageMatchesTheReferenceElectrodes() throws IOException {
        double[][] ref = rows(Npy.load(REF.resolve("electrode_pos_m.npy")));
        double[][] got = Montage.biosemi64().positions();
        for (int i = 0; i < ref.length; i++) {
            assertArrayEquals(ref[i], got[i], 1e-12, "electrode " + i);
        }
        var names = new ObjectMapper().readTree(REF.resolve("channels.json").toFile()).get("channels");
        String[] ours = Montage.biosemi64().channelNames();
        for (int i = 0; i < ours.length; i++) {
            assertEquals(names.get(i).asText(), ours[i]);
        }
    }

    @Test
    void leadFieldsMatchTheReference() throws IOException {
        SphericalHead head = SphericalHead.fourShell();
        Montage m = Montage.biosemi64();
        double[][] pos = rows(Npy.load(REF.resolve("dipole_pos_m.npy")));
        double[][] ori = rows(Npy.load(REF.resolve("dipole_ori.npy")));
        double free = worst(LeadField.free(head, m, pos), Npy.load(REF.resolve("leadfield_free.npy")));
        LeadField fixed = LeadField.fixed(head, m, pos, ori);
        double fix = worst(fixed, Npy.load(REF.resolve("leadfield_fixed.npy")));
        double avg = worst(fixed.averageReferenced(), Npy.load(REF.resolve("leadfield_fixed_avgref.npy")));
        System.out.printf("lead field vs reference (x max|L| per column): free %.3g, fixed %.3g, avgref %.3g%n",
                free, fix, avg);
        assertTrue(free <= 1e-9 && fix <= 1e-9 && avg <= 1e-9, free + " " + fix + " " + avg);
        // the reference's orientations are radial, and its first dipole is the benchmark's source
        assertTrue(worst(LeadField.fixed(head, m, pos, LeadField.radial(head, pos)),
                Npy.load(REF.resolve("leadfield_fixed.npy"))) <= 1e-9);
        assertArrayEquals(pos[0], LeadField.benchmarkSource(), 1e-12);
    }

    @Test
    void noiseExampleGivesTheReferenceCleanSignalAndSnr() throws IOException {
        // source waveform 10e-9 exp(-t/0.2) sin(2 pi 10 t) A*m through the default dipole, average-referenced
        SphericalHead head = SphericalHead.fourShell();
        double[][] src = {LeadField.benchmarkSource()};
        double[] g = LeadField.fixed(head, Montage.biosemi64(), src, LeadField.radial(head, src)).averageReferenced()
                .column(0);
        int times = 1000;
        double[] clean = new double[64 * times];
        for (int c = 0; c < 64; c++) {
            for (int k = 0; k < times; k++) {
                double t = k / 1000.0;
                clean[c * times + k] = g[c] * 10e-9 * Math.exp(-t / 0.2) * Math.sin(2 * Math.PI * 10 * t);
            }
        }
        NpyArray ref = Npy.load(REF.resolve("noise_example_clean.npy"));
        assertArrayEquals(new int[] {64, times}, ref.shape());
        double max = java.util.Arrays.stream(ref.data()).map(Math::abs).max().orElseThrow();
        for (int i = 0; i < clean.length; i++) {
            assertEquals(ref.data()[i], clean[i], 1e-9 * max, "sample " + i);
        }
        // the reference's SNRs come from one noise realisation (64000 samples): its power deviates from the
        // expected value by a sampling error of sd sqrt(2/64000) = 0.56 %, i.e. 0.024 dB; allow 3 sd
        var cases = new ObjectMapper().readTree(REF.resolve("noise_example.json").toFile()).get("cases");
        for (var c : cases) {
            double snr = SensorNoise.adHocEeg(64).scaled(c.get("noise_factor").asDouble()).snrDb(clean);
            assertEquals(c.get("snr_db").asDouble(), snr, 0.073, "factor " + c.get("noise_factor"));
            assertEquals(10 * Math.log10(1 / c.get("noise_factor").asDouble()),
                    snr - SensorNoise.adHocEeg(64).snrDb(clean), 1e-12, "the factor scales the variance");
        }
        double[] noise = new double[clean.length];
        SensorNoise.adHocEeg(64).addTo(noise, times, org.neuroinfer.random.RandomStreams.stream(3, 0));
        assertEquals(SensorNoise.adHocEeg(64).snrDb(clean), SensorNoise.snrDb(clean, noise), 0.073,
                "a realisation's SNR is near the expected one");
        // a realisation has the stated power
        double[] zero = new double[64 * 5000];
        SensorNoise.adHocEeg(64).scaled(4).addTo(zero, 5000, org.neuroinfer.random.RandomStreams.stream(1, 0));
        double p = java.util.Arrays.stream(zero).map(v -> v * v).average().orElseThrow();
        assertEquals(4 * 0.04e-12, p, 0.02 * 4 * 0.04e-12);
    }

    @Test
    void tenTwentyIsTheSameHeadAtTheSameSites() {
        SphericalHead head = SphericalHead.fourShell();
        double[][] src = {LeadField.benchmarkSource()};
        LeadField full = LeadField.fixed(head, Montage.biosemi64(), src, LeadField.radial(head, src));
        LeadField ten = LeadField.fixed(head, Montage.named("1020"), src, LeadField.radial(head, src));
        assertEquals(21, ten.channels().length);
        java.util.List<String> names = java.util.List.of(full.channels());
        for (int c = 0; c < 21; c++) {
            assertEquals(full.matrix()[names.indexOf(ten.channels()[c])], ten.matrix()[c], 0.0, ten.channels()[c]);
        }
    }

    @Test
    void tenTenExtendsTheCapWithItsLowerRing() {
        Montage m = Montage.named("1010");
        assertEquals(75, m.size());
        java.util.List<String> names = java.util.List.of(m.channelNames());
        double[][] p = m.positions();
        double[][] ref = rows(java.util.Objects.requireNonNull(load("electrode_pos_m.npy")));
        for (int i = 0; i < 64; i++) {
            assertArrayEquals(ref[i], p[i], 1e-12, "the BioSemi sites are unchanged");
        }
        // T9 lies below T7 on the same meridian, on the ring of Iz, P9 and P10
        double[] c = m.centre();
        double[] t9 = p[names.indexOf("T9")];
        double[] iz = p[names.indexOf("Iz")];
        assertEquals(iz[2] - c[2], t9[2] - c[2], 1e-12);
        assertTrue(t9[0] < c[0] && Math.abs(t9[1] - c[1]) < 1e-12, "T9 on the left, on the coronal plane");
    }

    static NpyArray load(String f) {
        try {
            return Npy.load(REF.resolve(f));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void severalSourcesAddTheirOwnSignals() {
        SphericalHead head = SphericalHead.fourShell();
        double[][] pos = {LeadField.benchmarkSource(), {0, 0.02, 0.09}};
        LeadField lf = LeadField.fixed(head, Montage.biosemi64(), pos, LeadField.radial(head, pos));
        double[][] s = {{1, 0, 2}, {0, 3, 1}};
        double[] x = lf.project(new int[] {0, 1}, s, 1e-6);
        for (int ch = 0; ch < 64; ch++) {
            for (int t = 0; t < 3; t++) {
                double want = 1e-6 * (lf.matrix()[ch * 2] * s[0][t] + lf.matrix()[ch * 2 + 1] * s[1][t]);
                assertEquals(want, x[ch * 3 + t], 1e-14 * Math.abs(want));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> lf.project(new int[] {2}, new double[][] {{1}}, 1));
    }

    @Test
    void dipolesOutsideTheBrainShellAreRefused() {
        SphericalHead head = SphericalHead.fourShell();
        double[] c = head.centre();
        var e = assertThrows(IllegalArgumentException.class, () -> LeadField.free(head, Montage.biosemi64(),
                new double[][] {{c[0], c[1], c[2] + 0.09}}));
        assertTrue(e.getMessage().contains("inside the brain shell"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LeadField.fixed(head, Montage.biosemi64(),
                new double[][] {LeadField.benchmarkSource()}, new double[][] {{0, 0, 0}}));
    }

    @Test
    void averageReferenceSumsToZero() {
        LeadField l = LeadField.fixed(SphericalHead.fourShell(), Montage.biosemi64(),
                new double[][] {LeadField.benchmarkSource()},
                LeadField.radial(SphericalHead.fourShell(), new double[][] {LeadField.benchmarkSource()}))
                .averageReferenced();
        double sum = 0;
        double max = 0;
        for (double v : l.column(0)) {
            sum += v;
            max = Math.max(max, Math.abs(v));
        }
        assertEquals(0, sum, 1e-12 * max * 64);
    }
}
