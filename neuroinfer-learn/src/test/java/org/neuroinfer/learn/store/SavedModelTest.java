package org.neuroinfer.learn.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.nn.NetworkSpec;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.learn.train.Training;
import org.neuroinfer.learn.config.TrainingConfig;

/**
 * A model saved by neuroinfer 0.1.0 (format version 1) is checked in under src/test/resources/models/v1-bilstm with
 * an input and the predictions it gave; every later version must load it and give the same numbers. Corrupt,
 * foreign and mismatched models are refused with a message naming the file.
 */
class SavedModelTest {
    static final Path OLD = Path.of("src/test/resources/models/v1-bilstm");

    @TempDir
    Path dir;

    /** Recreates the checked-in model: run once with -Dneuroinfer.writeReferenceModel=true. */
    @Test
    void writeReferenceModel() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("neuroinfer.writeReferenceModel"));
        RecordingSet set = org.neuroinfer.learn.train.SyntheticAccess.set(80, 11);
        TrainingConfig c = new TrainingConfig(new NetworkSpec("bilstm", 4, 0.1, null, null, null, null, null, null,
                null, null, null, null, null), new TrainingConfig.Input(null, List.of("amp", "freq"), 2),
                new TrainingConfig.Optimisation(2, 16, 1e-3, null, null, null, null, null, null, null, null, 3L,
                        null, null));
        RecordingSet raw = set;
        RecordingSet dec = decimated(raw, 2);
        Training.Result r = Training.run(c, dec, OLD, new TrainingLoop.Listener() {
        });
        float[][][] in = recordings(raw, 5);
        double[][] out = r.model().predict(in);
        new Npy.Archive().put("input", toNpy(in)).put("expected", NpyArray.of(out)).save(OLD.resolve("check.npz"),
                true);
        Files.deleteIfExists(OLD.resolve("history.csv"));
        r.model().close();
    }

    static RecordingSet decimated(RecordingSet raw, int d) {
        int t = raw.times() / d;
        float[] x = new float[raw.size() * raw.channels() * t];
        for (int i = 0; i < raw.size(); i++) {
            RecordingSet.decimateInto(recordings(raw, raw.size())[i], d, t, x, i * raw.channels() * t);
        }
        return new RecordingSet(x, raw.y(), raw.condition(), raw.noiseFactors(), raw.channels(), t,
                raw.times(), raw.paramNames(), raw.paramUnits(), raw.datasetSha256(), 0);
    }

    static float[][][] recordings(RecordingSet s, int n) {
        float[][][] r = new float[n][s.channels()][s.times()];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < s.channels(); c++) {
                System.arraycopy(s.x(), (i * s.channels() + c) * s.times(), r[i][c], 0, s.times());
            }
        }
        return r;
    }

    static NpyArray toNpy(float[][][] x) {
        return NpyArray.of(x);
    }

    static float[][][] fromNpy(NpyArray a) {
        int[] s = a.shape();
        float[][][] x = new float[s[0]][s[1]][s[2]];
        for (int i = 0; i < s[0]; i++) {
            for (int c = 0; c < s[1]; c++) {
                for (int k = 0; k < s[2]; k++) {
                    x[i][c][k] = (float) a.data()[(i * s[1] + c) * s[2] + k];
                }
            }
        }
        return x;
    }

    @Test
    void theVersion1ModelStillLoadsAndPredictsTheSameNumbers() throws IOException {
        var check = Npy.loadArchive(OLD.resolve("check.npz"));
        try (InverseModel m = InverseModel.load(OLD, TorchRuntime.device("cpu"))) {
            assertEquals(1, m.card().formatVersion());
            assertEquals(List.of("amp", "freq"), m.card().targets().names());
            double[][] got = m.predict(fromNpy(check.get("input")));
            NpyArray want = check.get("expected");
            for (int i = 0; i < got.length; i++) {
                assertArrayEquals(want.row(i), got[i], 1e-6 * Math.max(1, Math.abs(want.row(i)[1])), "row " + i);
            }
        }
    }

    /**
     * PyTorch's grad mode is per thread (DJL turns it off on the engine's thread only); a prediction is not: with
     * autograd on, this trained LSTM's outputs for one recording at a time moved in the eighth digit.
     */
    @Test
    void anotherThreadPredictsTheSameBits() throws Exception {
        int n = 64;
        int ch = 64;
        int t = 60;
        java.util.Random rng = new java.util.Random(1);
        float[] x = new float[n * ch * t];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            y[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
            for (int k = i * ch * t; k < (i + 1) * ch * t; k++) {
                x[k] = (float) (y[i][0] * Math.sin(k % t * y[i][1]) + rng.nextGaussian());
            }
        }
        RecordingSet set = new RecordingSet(x, y, new int[n], new double[] {0}, ch, t, t, List.of("amp", "freq"),
                List.of("1", "1"), "synthetic", 0);
        TrainingConfig c = new TrainingConfig(new NetworkSpec("lstm", 8, 0.1, null, null, null, null, null, null,
                null, null, null, null, null), new TrainingConfig.Input(null, List.of("amp", "freq"), 1),
                new TrainingConfig.Optimisation(1, 16, 1e-3, null, null, null, null, null, null, null, null, 3L,
                        null, null));
        Training.run(c, set, dir.resolve("lstm"), new TrainingLoop.Listener() {
        }).model().close();
        try (InverseModel m = InverseModel.load(dir.resolve("lstm"), TorchRuntime.device("cpu"))) {
            float[][][] in = new float[20][ch][t];
            for (int i = 0; i < in.length; i++) {
                for (int k = 0; k < ch * t; k++) {
                    in[i][k / t][k % t] = x[i * ch * t + k];
                }
            }
            // autograd off here, as on the engine's thread, and on in the other thread, as on any new thread
            boolean was = ai.djl.pytorch.jni.JniUtils.isGradMode();
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            double[][] here = predictOneByOne(m, in);
            ai.djl.pytorch.jni.JniUtils.setGradMode(was);
            double[][][] there = new double[1][][];
            Thread other = new Thread(() -> {
                ai.djl.pytorch.jni.JniUtils.setGradMode(true);
                there[0] = predictOneByOne(m, in);
            });
            other.start();
            other.join();
            for (int i = 0; i < here.length; i++) {
                assertArrayEquals(here[i], there[0][i], 0.0, "row " + i);
            }
        }
    }

    /** Predictions for batches of one recording (one of the shapes where the two modes differed). */
    private static double[][] predictOneByOne(InverseModel m, float[][][] in) {
        double[][] out = new double[in.length][];
        for (int i = 0; i < in.length; i++) {
            out[i] = m.predict(new float[][][] {in[i]})[0];
        }
        return out;
    }

    private Path copyOld() throws IOException {
        Path d = dir.resolve("copy");
        Files.createDirectories(d);
        for (String f : new String[]{"model.json", "weights.npz"}) {
            Files.copy(OLD.resolve(f), d.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        return d;
    }

    @Test
    void corruptWeightsAreRefused() throws IOException {
        Path d = copyOld();
        byte[] b = Files.readAllBytes(d.resolve("weights.npz"));
        b[b.length / 2] ^= 1;
        Files.write(d.resolve("weights.npz"), b);
        IOException e = assertThrows(IOException.class, () -> InverseModel.load(d, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("weights.npz") && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void foreignAndNewerFilesAreRefused() throws IOException {
        Path d = copyOld();
        String json = Files.readString(d.resolve("model.json"));
        Files.writeString(d.resolve("model.json"), json.replace("\"neuroinfer-model\"", "\"keras-model\""));
        IOException e = assertThrows(IOException.class, () -> InverseModel.load(d, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("keras-model"), e.getMessage());
        Files.writeString(d.resolve("model.json"), json.replace("\"format_version\" : 1", "\"format_version\" : 99"));
        e = assertThrows(IOException.class, () -> InverseModel.load(d, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
        Files.writeString(d.resolve("model.json"), "{ not json");
        e = assertThrows(IOException.class, () -> InverseModel.load(d, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains("line 1"), e.getMessage());
        Files.writeString(d.resolve("model.json"), json.replaceFirst("\"channels\" : [0-9]+", "\"channels\" : \"many\""));
        e = assertThrows(IOException.class, () -> InverseModel.load(d, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("'input.channels': expected a whole number, got 'many'")
                && !e.getMessage().contains("`"), e.getMessage());
        e = assertThrows(IOException.class, () -> InverseModel.load(dir, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("not a neuroinfer model"), e.getMessage());
    }

    @Test
    void weightsOfAnotherNetworkAreRefused() throws IOException {
        Path d = copyOld();
        String json = Files.readString(d.resolve("model.json"));
        Files.writeString(d.resolve("model.json"), json.replace("\"hidden\" : 4", "\"hidden\" : 5")
                .replaceAll("\"weights_sha256\" : \"[0-9a-f]+\"", "\"weights_sha256\" : null"));
        IOException e = assertThrows(IOException.class, () -> InverseModel.load(d, TorchRuntime.device("cpu")));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void dataOfOtherShapeOrNamesOrWithNanAreRefused() throws IOException {
        try (InverseModel m = InverseModel.load(OLD, TorchRuntime.device("cpu"))) {
            RecordingSet s = org.neuroinfer.learn.train.SyntheticAccess.set(10, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.columnsIn(s));
            assertTrue(e.getMessage().contains("the model reads"), e.getMessage());
            RecordingSet d = decimated(s, 2);
            RecordingSet renamed = new RecordingSet(d.x(), d.y(), d.condition(), d.noiseFactors(), d.channels(),
                    d.times(), d.rawTimes(), List.of("amp", "f", "junk"), d.paramUnits(), "x", 0);
            e = assertThrows(IllegalArgumentException.class, () -> m.columnsIn(renamed));
            assertTrue(e.getMessage().contains("'freq'"), e.getMessage());
            float[][][] r = recordings(s, 2);
            r[1][2][3] = Float.NaN;
            e = assertThrows(IllegalArgumentException.class, () -> m.predict(r));
            assertTrue(e.getMessage().contains("recording 1") && e.getMessage().contains("NaN"), e.getMessage());
        }
    }
}
