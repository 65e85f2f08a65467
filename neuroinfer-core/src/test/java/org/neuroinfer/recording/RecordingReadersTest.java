package org.neuroinfer.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.observe.EpochWindow;

/**
 * EDF/BDF written and read back to their quantisation, events from the trigger channel and from CSV, MNE exports,
 * channel matching by name, band-limited resampling against sines, and the unit plausibility check.
 */
class RecordingReadersTest {
    @TempDir
    Path dir;

    static ContinuousRecording sines(double rate, double seconds, int[] onsets) {
        int n = (int) Math.round(rate * seconds);
        float[][] x = new float[3][n];
        for (int k = 0; k < n; k++) {
            double t = k / rate;
            x[0][k] = (float) (20e-6 * Math.sin(2 * Math.PI * 10 * t));
            x[1][k] = (float) (5e-6 * Math.cos(2 * Math.PI * 40 * t) - 3e-6);
            x[2][k] = (float) (1e-6 * t);
        }
        int[] codes = new int[onsets.length];
        java.util.Arrays.fill(codes, 7);
        return new ContinuousRecording(List.of("Fp1", "Cz", "EXG1"), x, rate, "V", new Events(onsets, codes), "test");
    }

    @Test
    void bdfAndEdfRoundTripToTheirQuantisation() throws Exception {
        ContinuousRecording r = sines(512, 3.5, new int[] {100, 700, 1300});
        for (EdfFile.Format f : EdfFile.Format.values()) {
            Path file = dir.resolve("r." + f.name().toLowerCase());
            EdfFile.write(file, r, f, false);
            assertTrue(EdfFile.looksLike(file));
            ContinuousRecording back = EdfFile.read(file);
            assertEquals(List.of("Fp1", "Cz", "EXG1"), back.channelNames());
            assertEquals(512, back.sampleRate());
            assertEquals("uV", back.unit());
            assertEquals(4 * 512, back.samples(), "padded to whole one-second records");
            assertArrayEquals(new int[] {100, 700, 1300}, back.events().samples());
            assertArrayEquals(new int[] {7, 7, 7}, back.events().codes());
            double step = 2 * 20.0001 / (f == EdfFile.Format.BDF ? 16777215.0 : 65535.0); // uV per digital unit
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < r.samples(); k++) {
                    assertEquals(r.data()[c][k] * 1e6, back.data()[c][k], step * 0.5 + 1e-5, f + " ch " + c);
                }
            }
        }
        Files.writeString(dir.resolve("bad.bdf"), "not a bdf file at all");
        var e = assertThrows(IllegalArgumentException.class, () -> EdfFile.read(dir.resolve("bad.bdf")));
        assertTrue(e.getMessage().contains("not an EDF or BDF"), e.getMessage());
        byte[] full = Files.readAllBytes(dir.resolve("r.bdf"));
        Files.write(dir.resolve("cut.bdf"), java.util.Arrays.copyOf(full, full.length - 100));
        e = assertThrows(IllegalArgumentException.class, () -> EdfFile.read(dir.resolve("cut.bdf")));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("record 4"), e.getMessage());
    }

    @Test
    void eventsFromTriggerValuesAndCsv() throws Exception {
        Events e = Events.ofTriggerChannel(new int[] {0, 0, 3, 3, 0, 0x10005, 0x10005, 0x10002, 0});
        assertArrayEquals(new int[] {2, 5, 7}, e.samples());
        assertArrayEquals(new int[] {3, 5, 2}, e.codes(), "low 16 bits; a change between codes is an event");
        assertArrayEquals(new int[] {5}, e.withCodes(new int[] {5}).samples());
        Path csv = dir.resolve("events.tsv");
        Files.writeString(csv, "onset\tduration\ttrial_type\n1.0\t0\t1\n2.5\t0\t2\n");
        Events read = Events.readCsv(csv, 1000);
        assertArrayEquals(new int[] {1000, 2500}, read.samples());
        assertArrayEquals(new int[] {1, 2}, read.codes());
        Files.writeString(csv, "onset,code\n1.0,1\nsoon,1\n");
        var x = assertThrows(IllegalArgumentException.class, () -> Events.readCsv(csv, 1000));
        assertTrue(x.getMessage().contains("line 3"), x.getMessage());
    }

    @Test
    void mneExportsAreReadWithTheirNamesRateUnitAndEvents() throws Exception {
        ContinuousRecording r = sines(250, 2, new int[0]);
        double[] flat = new double[3 * r.samples()];
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < r.samples(); k++) {
                flat[c * r.samples() + k] = r.data()[c][k];
            }
        }
        Path npz = dir.resolve("raw.npz");
        new Npy.Archive().put("data", new NpyArray(new int[] {3, r.samples()}, flat))
                .put("ch_names", new String[] {"Fp1", "Cz", "EXG1"}).put("sfreq", new NpyArray(new int[0],
                        new double[] {250})).put("events", new NpyArray(new int[] {2, 3}, new double[] {10, 0, 4, 90,
                    0, 5})).save(npz, false);
        ContinuousRecording back = ExportFile.read(npz);
        assertEquals(List.of("Fp1", "Cz", "EXG1"), back.channelNames());
        assertEquals(250, back.sampleRate());
        assertEquals("V", back.unit(), "MNE's get_data() is in volts");
        assertArrayEquals(new int[] {10, 90}, back.events().samples());
        assertArrayEquals(new int[] {4, 5}, back.events().codes());
        assertEquals(r.data()[1][77], back.data()[1][77]);
        Path partial = dir.resolve("partial.npz");
        new Npy.Archive().put("data", new NpyArray(new int[] {3, r.samples()}, flat)).save(partial, false);
        var e = assertThrows(IllegalArgumentException.class, () -> ExportFile.read(partial));
        assertTrue(e.getMessage().contains("ch_names") && e.getMessage().contains("sfreq"), e.getMessage());
    }

    @Test
    void channelsMatchByNameWhateverTheirOrderOrSpelling() {
        List<String> montage = List.of("Fp1", "Cz", "Oz");
        ChannelMatch m = ChannelMatch.of(List.of("EEG OZ", "fp1", "Status2", "Cz-Ref"), montage);
        assertArrayEquals(new int[] {1, 3, 0}, m.source());
        assertEquals(List.of("Status2"), m.extra());
        assertTrue(m.complete());
        m = ChannelMatch.of(List.of("Fp1", "Oz"), montage);
        assertEquals(List.of("Cz"), m.missing());
        var e = assertThrows(IllegalArgumentException.class, () -> ChannelMatch.of(List.of("Cz", "CZ"), montage));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        List<String> bio = List.of(org.neuroinfer.observe.head.Montage.biosemi64().channelNames());
        List<String> abc = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            abc.add((i < 32 ? "A" : "B") + (i % 32 + 1));
        }
        abc.add("EXG1");
        m = ChannelMatch.of(abc, bio);
        assertTrue(m.complete() && m.note().contains("A1 = Fp1"), m.note());
        int cz = bio.indexOf("Cz");
        assertEquals("B16", abc.get(m.source()[cz]), "BioSemi's B16 is Cz");
        assertEquals(List.of("EXG1"), m.extra());
    }

    @Test
    void resamplingReproducesBandLimitedSignals() {
        for (double rate : new double[] {512, 2048, 1000}) {
            ContinuousRecording r = sines(rate, 4, new int[] {(int) Math.round(1.3 * rate), (int) Math.round(2.2
                    * rate)});
            EpochWindow w = new EpochWindow(-200, 1000, -200, 0);
            var ev = EvokedAverager.average(r.data(), rate, r.events(), r.channelNames(), w, 1000, 0, false, sd -> { });
            assertEquals(2, ev.epochs());
            double worst = 0;
            for (int k = 0; k < w.length(); k++) {
                double t = (w.start() + k) / 1000.0;
                double expected = 0;
                double base = 0;
                for (int e = 0; e < 2; e++) {
                    double on = r.events().samples()[e] / rate;
                    expected += 20e-6 * Math.sin(2 * Math.PI * 10 * (on + t));
                    for (int b = w.baseFrom(); b <= w.baseTo(); b++) {
                        base += 20e-6 * Math.sin(2 * Math.PI * 10 * (on + b / 1000.0));
                    }
                }
                expected = expected / 2 - base / 2 / (w.baseTo() - w.baseFrom() + 1);
                worst = Math.max(worst, Math.abs(ev.data()[0][k] - expected));
            }
            assertTrue(worst < 1e-3 * 20e-6, rate + " Hz: worst error " + worst + " V of a 20 uV sine");
        }
    }

    @Test
    void implausibleAmplitudesAreRefusedWithTheLikelyUnit() {
        Units.checkPlausible(10e-6, "V", "x");
        var e = assertThrows(IllegalArgumentException.class, () -> Units.checkPlausible(12, "V", "x.npz"));
        assertTrue(e.getMessage().contains("x.npz") && e.getMessage().contains("in uV or nV, give --unit uV or "
                + "--unit nV"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Units.checkPlausible(12e-12, "uV", "x.edf"));
        assertTrue(e.getMessage().contains("--unit V"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Units.voltsPer("Pa", "--unit"));
        assertTrue(e.getMessage().contains("--unit") && e.getMessage().contains("uV"), e.getMessage());
        assertEquals(1e-6, Units.voltsPer("µV", "u"));
    }
}
