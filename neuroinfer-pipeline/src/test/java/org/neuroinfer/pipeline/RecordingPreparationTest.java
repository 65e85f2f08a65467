package org.neuroinfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.recording.ContinuousRecording;
import org.neuroinfer.recording.EdfFile;
import org.neuroinfer.recording.Events;
import org.neuroinfer.recording.LabelledRecordings;

/**
 * A continuous EEG recording simulated at known parameters, written as BDF with shuffled, BioSemi-style channel
 * labels and an extra channel, prepared back into an evoked response: it equals the evoked response the simulation
 * stage computes directly to the BDF's 24-bit quantisation; a missing channel is refused or interpolated; numbers in
 * uV stated as V are refused.
 */
class RecordingPreparationTest {
    @TempDir
    static Path dir;
    static Simulation.Result evoked;
    static ContinuousRecording continuous;

    static Simulation.Builder spec() {
        return Simulation.Spec.builder().duration(6).seed(3).eeg(Simulation.Eeg.atNoiseFactor(0)).value("C", 135);
    }

    @BeforeAll
    static void simulate() throws Exception {
        evoked = Simulation.run(spec().recording(Simulation.Recording.EVOKED).build(), n -> { });
        Simulation.Result out = Simulation.run(spec().recording(Simulation.Recording.OUTPUT).build(), n -> { });
        int c = out.channels().length;
        int t = out.time().length;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(1));
        float[][] x = new float[c + 1][t];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            int src = order.get(i);
            names.add("EEG " + out.channels()[src].toUpperCase(java.util.Locale.ROOT));
            for (int k = 0; k < t; k++) {
                x[i][k] = (float) out.data()[0][src * t + k];
            }
        }
        names.add("EXG1");
        int[] onsets = out.protocol().onsets();
        continuous = new ContinuousRecording(names, x, 1000, "V", new Events(onsets, onsets.clone()).withCodesOne(),
                "simulated");
    }

    @Test
    void aSimulatedBdfPreparesToTheSimulatedEvokedResponse() throws Exception {
        Path bdf = dir.resolve("sim.bdf");
        EdfFile.write(bdf, continuous, EdfFile.Format.BDF, false);
        RecordingPreparation.Result r = RecordingPreparation.run(RecordingPreparation.Spec.benchmark(bdf));
        assertEquals(evoked.epochs(), r.evoked().epochs(), String.join("\n", r.report()));
        assertEquals(0, r.evoked().rejected());
        double range = 0;
        double worst = 0;
        float[][] got = r.evoked().data();
        int t = got[0].length;
        for (int ch = 0; ch < got.length; ch++) {
            for (int k = 0; k < t; k++) {
                double want = evoked.data()[0][ch * t + k];
                range = Math.max(range, Math.abs(want));
                worst = Math.max(worst, Math.abs(got[ch][k] - want));
            }
        }
        assertTrue(range > 1e-7, "a real signal: " + range);
        assertTrue(worst < 2e-6 * range, "worst " + worst + " V of " + range + " V");
        assertTrue(r.report().stream().anyMatch(l -> l.contains("left out 1 channel(s)") && l.contains("EXG1")),
                r.report().toString());
        Path out = dir.resolve("evoked.h5");
        r.save(out, false);
        LabelledRecordings back = LabelledRecordings.read(out, "X");
        assertEquals(List.of(evoked.channels()), back.layout().channelNames());
        assertEquals(1000, back.layout().sampleRate(), 1e-6);
        assertEquals(-0.2, back.layout().start(), 1e-9);
        assertEquals("V", back.layout().unit());
        assertTrue(r.provenance().contains("source_sha256") && r.provenance().contains("\"epochs\" : " + evoked.epochs()),
                r.provenance());
    }

    @Test
    void missingChannelsAreRefusedOrInterpolatedAndMislabelledUnitsRefused() throws Exception {
        List<String> names = new ArrayList<>(continuous.channelNames());
        int cz = names.indexOf("EEG CZ");
        float[][] x = continuous.data().clone();
        names.remove(cz);
        List<float[]> rows = new ArrayList<>(List.of(x));
        rows.remove(cz);
        ContinuousRecording lacking = new ContinuousRecording(names, rows.toArray(float[][]::new), 1000, "V",
                continuous.events(), "simulated");
        Path bdf = dir.resolve("lacking.bdf");
        EdfFile.write(bdf, lacking, EdfFile.Format.BDF, false);
        var e = assertThrows(IllegalArgumentException.class, () -> RecordingPreparation.run(
                RecordingPreparation.Spec.benchmark(bdf)));
        assertTrue(e.getMessage().contains("[Cz]") && e.getMessage().contains("--missing interpolate"),
                e.getMessage());
        var s = RecordingPreparation.Spec.benchmark(bdf);
        var r = RecordingPreparation.run(new RecordingPreparation.Spec(s.input(), null, new int[0], null, "biosemi64",
                1000, s.window(), s.rejectVolts(), RecordingPreparation.Missing.INTERPOLATE));
        assertTrue(r.report().stream().anyMatch(l -> l.contains("interpolated 1 missing channel(s)")),
                r.report().toString());
        int t = r.evoked().data()[0].length;
        int czAt = List.of(evoked.channels()).indexOf("Cz");
        double[] want = java.util.Arrays.copyOfRange(evoked.data()[0], czAt * t, (czAt + 1) * t);
        double[] got = new double[t];
        for (int k = 0; k < t; k++) {
            got[k] = r.evoked().data()[czAt][k];
        }
        assertTrue(org.neuroinfer.numeric.Correlation.pearson(want, got) > 0.9, "Cz from its neighbours follows Cz");
        e = assertThrows(IllegalArgumentException.class, () -> RecordingPreparation.run(new RecordingPreparation.Spec(
                s.input(), null, new int[0], "V", "biosemi64", 1000, s.window(), s.rejectVolts(),
                RecordingPreparation.Missing.INTERPOLATE)));
        assertTrue(e.getMessage().contains("implausible for EEG") && e.getMessage().contains("--unit uV"),
                e.getMessage());
    }
}
