package org.neuroinfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.observe.EegProjection;

/**
 * The simulation stage: the same bytes on one thread and on three, draws keyed by their index (a batch equals its
 * first rows), EEG at a target SNR reaching it, and settings refused naming the field.
 */
class SimulationTest {
    @TempDir
    Path dir;

    static Simulation.Builder eeg(int samples) {
        return Simulation.Spec.builder().duration(4).samples(samples).seed(5).recording(Simulation.Recording.EVOKED)
                .eeg(Simulation.Eeg.atSnr(3.0)).value("C", 135);
    }

    @Test
    void threadsChangeNothingAndABatchExtendsItsFirstRows() throws Exception {
        Simulation.Result one = Simulation.run(eeg(6).threads(1).build(), n -> { });
        Simulation.Result three = Simulation.run(eeg(6).threads(3).build(), n -> { });
        Simulation.Result fewer = Simulation.run(eeg(2).threads(2).build(), n -> { });
        one.save(dir.resolve("one.npz"), false);
        three.save(dir.resolve("three.npz"), false);
        assertArrayEquals(Files.readAllBytes(dir.resolve("one.npz")), Files.readAllBytes(dir.resolve("three.npz")));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(one.params()[i], fewer.params()[i]);
            assertArrayEquals(one.data()[i], fewer.data()[i]);
        }
        for (int i = 0; i < 6; i++) {
            assertEquals(135, one.params()[i][4], "C held");
            assertEquals(3.0, one.snrDb()[i], 1e-9, "each recording's noise solved for its SNR");
        }
        var z = Npy.loadArchive(dir.resolve("one.npz"));
        assertArrayEquals(new int[] {6, 64, 1201}, z.get("signals").shape());
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> Simulation.Spec.builder().noiseSd(-1).build());
        assertTrue(e.getMessage().contains("noise-sd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Simulation.Spec.builder()
                .recording(Simulation.Recording.STATES).eeg(Simulation.Eeg.atNoiseFactor(1)).build());
        assertTrue(e.getMessage().contains("states"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Simulation.Spec.builder().method("rk5").build());
        assertTrue(e.getMessage().contains("rk4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Simulation.Eeg(EegProjection.BENCHMARK_SCALE, 1,
                3.0));
        assertTrue(e.getMessage().contains("snr-db"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Simulation.run(Simulation.Spec.builder()
                .values(Map.of("A_e", 1.0)).duration(2).build(), n -> { }));
        assertTrue(e.getMessage().contains("A_e") && e.getMessage().contains("prior range"), e.getMessage());
    }
}
