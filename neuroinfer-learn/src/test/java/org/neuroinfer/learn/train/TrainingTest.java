package org.neuroinfer.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.train.Evaluation;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.nn.NetworkSpec;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.torch.TorchRuntime;

/** Training learns, saves what it learned, resumes exactly after a kill, and stops on NaN. */
class TrainingTest {
    @TempDir
    Path dir;

    static TrainingConfig config(String kind, int epochs, double lr) {
        return config(kind, epochs, lr, null);
    }

    static TrainingConfig config(String kind, int epochs, double lr, Double ema) {
        return new TrainingConfig(new NetworkSpec(kind, 16, 0.1, 8, 3, 2, 1, 16, 2, 1, 32, 4, List.of(64, 32), null),
                new TrainingConfig.Input(null, List.of("amp", "freq"), 1),
                new TrainingConfig.Optimisation(epochs, 16, lr, "plateau", 5, 50, "mse", 0.15, 0.15, 0.0, 5.0,
                        7L, "cpu", ema));
    }

    @Test
    void aDenseNetworkLearnsAmplitudeAndFrequency() throws IOException {
        RecordingSet set = Synthetic.set(400, 1);
        Training.Result r = Training.run(config("fcnn", 40, 2e-3), set, dir.resolve("m"), new TrainingLoop.Listener() {
        });
        Evaluation ev = Evaluation.of(r.model(), set, r.splits().test());
        assertTrue(ev.pearson(0.0, "amp") > 0.95, "amp r = " + ev.pearson(0.0, "amp"));
        assertTrue(ev.pearson(0.0, "freq") > 0.9, "freq r = " + ev.pearson(0.0, "freq"));
        // the kept epoch is the best validation loss of the history
        double best = r.history().stream().mapToDouble(EpochRecord::validationLoss).min().orElseThrow();
        assertEquals(best, r.model().card().provenance().bestValidation(), 0);
        assertTrue(Files.exists(dir.resolve("m/history.csv")));
        assertTrue(!Files.exists(dir.resolve("m/" + Training.CHECKPOINT)), "checkpoint removed when done");
        r.model().close();
    }

    @Test
    void savedModelPredictsTheSameNumbers() throws IOException {
        RecordingSet set = Synthetic.set(120, 2);
        Training.Result r = Training.run(config("bilstm", 2, 1e-3), set, dir.resolve("m"), new TrainingLoop.Listener() {
        });
        double[][] before = r.model().predictDecimated(set.x(), set.size());
        r.model().close();
        try (InverseModel m = InverseModel.load(dir.resolve("m"), TorchRuntime.device("cpu"))) {
            double[][] after = m.predictDecimated(set.x(), set.size());
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], 0);
            }
            assertEquals(List.of("amp", "freq"), m.card().targets().names());
            assertEquals("synthetic-2", m.card().provenance().datasetSha256());
        }
    }

    /** Stops the run after {@code k} epochs, as a kill would (the checkpoint is written first). */
    static TrainingLoop.Listener killAfter(int k) {
        return new TrainingLoop.Listener() {
            @Override
            public void epoch(EpochRecord r) {
                if (r.epoch() == k) {
                    throw new IllegalStateException("killed");
                }
            }
        };
    }

    @Test
    void aKilledRunResumesToTheSameWeights() throws IOException {
        killedRunResumes(config("cnn-bilstm", 4, 1e-3));
    }

    @Test
    void withWeightAveragingTheAveragesAreKeptAndAKilledRunResumesToThem() throws IOException {
        killedRunResumes(config("fcnn", 4, 2e-3, 0.9));
        RecordingSet set = Synthetic.set(120, 3);
        Training.Result plain = Training.run(config("fcnn", 4, 2e-3), set, dir.resolve("plain"),
                new TrainingLoop.Listener() {
                });
        plain.model().close();
        assertTrue(!Checksums.sha256(dir.resolve("plain/weights.npz")).equals(
                Checksums.sha256(dir.resolve("whole/weights.npz"))), "the averaged weights are not the raw ones");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config("fcnn", 4, 2e-3, 1.0));
        assertTrue(e.getMessage().contains("training.ema must be in (0, 1)"), e.getMessage());
    }

    private void killedRunResumes(TrainingConfig c) throws IOException {
        RecordingSet set = Synthetic.set(120, 3);
        Training.run(c, set, dir.resolve("whole"), new TrainingLoop.Listener() {
        }).model().close();
        assertThrows(IllegalStateException.class, () -> Training.run(c, set, dir.resolve("cut"), killAfter(2)));
        assertTrue(Files.exists(dir.resolve("cut/" + Training.CHECKPOINT + "/state.json")));
        Training.Result r = Training.run(c, set, dir.resolve("cut"), new TrainingLoop.Listener() {
        });
        assertEquals(2, r.resumedAt());
        assertEquals(4, r.history().size());
        r.model().close();
        assertEquals(Checksums.sha256(dir.resolve("whole/weights.npz")), Checksums.sha256(dir.resolve("cut/weights.npz")));
    }

    @Test
    void aCheckpointOfAnotherTrainingIsNotResumed() throws IOException {
        RecordingSet set = Synthetic.set(120, 4);
        assertThrows(IllegalStateException.class,
                () -> Training.run(config("lstm", 3, 1e-3), set, dir.resolve("m"), killAfter(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Training.run(config("lstm", 3, 5e-3), set, dir.resolve("m"), new TrainingLoop.Listener() {
                }));
        assertTrue(e.getMessage().contains("different training (config.training.learning_rate: 0.001 -> 0.005)"),
                e.getMessage());
    }

    @Test
    void aNonFiniteLossStopsWithAClearMessage() {
        RecordingSet good = Synthetic.set(120, 5);
        double[][] flat = new double[good.size()][];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = new double[]{0, 0, 0}; // a zero target: the SNR of the error is 0 / x, -Inf dB
        }
        RecordingSet bad = new RecordingSet(good.x(), flat, good.condition(), good.noiseFactors(), good.channels(),
                good.times(), good.rawTimes(), good.paramNames(), good.paramUnits(), good.datasetSha256(), 0);
        TrainingConfig c = config("fcnn", 3, 1e-3);
        TrainingConfig snr = new TrainingConfig(c.network(), c.input(), new TrainingConfig.Optimisation(3, 16, 1e-3,
                null, null, null, "snr-db", null, null, null, null, 1L, null, null));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Training.run(snr, bad, dir.resolve("m"), new TrainingLoop.Listener() {
                }));
        assertTrue(e.getMessage().contains("epoch 1, batch 1") && e.getMessage().contains("learning_rate"),
                e.getMessage());
    }

    @Test
    void aSetTooSmallToScoreIsRefusedBeforeAnythingIsSaved() {
        RecordingSet set = Synthetic.set(12, 6); // 9 % and 10 % of 12: one validation and one test recording
        TrainingConfig c = config("fcnn", 2, 1e-3);
        TrainingConfig small = new TrainingConfig(c.network(), c.input(), new TrainingConfig.Optimisation(2, 16, 1e-3,
                null, null, null, null, 0.09, 0.1, null, null, 1L, null, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Training.run(small, set, dir.resolve("m"), new TrainingLoop.Listener() {
                }));
        assertTrue(e.getMessage().contains("the test split 1") && e.getMessage().contains("training.test"),
                e.getMessage());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("m")), "nothing saved");
    }

    @Test
    void unknownTargetsAreNamed() {
        RecordingSet set = Synthetic.set(50, 6);
        TrainingConfig c = new TrainingConfig(NetworkSpec.of("fcnn"),
                new TrainingConfig.Input(null, List.of("amp", "phase"), 1), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Training.run(c, set, dir.resolve("m"), new TrainingLoop.Listener() {
                }));
        assertTrue(e.getMessage().contains("'phase'"), e.getMessage());
    }
}
