package org.neuroinfer.learn.store;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.neuroinfer.learn.Standardiser;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.nn.Networks;
import org.neuroinfer.learn.torch.TorchRuntime;

/**
 * A trained network with its normalisation: recordings in, parameters (in their units) out. Saved as a folder
 * holding {@code model.json} ({@link ModelCard}) and {@code weights.npz} ({@link WeightFile}).
 */
public final class InverseModel implements TrainedModel {
    /** Weight file name inside a model folder. */
    public static final String WEIGHTS = "weights.npz";
    private static final int BATCH = 256;
    private final ModelCard card;
    private final Block block;
    private final NDManager manager;
    private final Standardiser inputScale;
    private final Standardiser targetScale;

    /** Wraps an initialised {@code block} owned by {@code manager}. */
    public InverseModel(ModelCard card, Block block, NDManager manager) {
        this.card = card;
        this.block = block;
        this.manager = manager;
        this.inputScale = new Standardiser(card.input().mean(), card.input().sd());
        this.targetScale = new Standardiser(card.targets().mean(), card.targets().sd());
    }

    /** A new, initialised (not yet trained) network for {@code card} on {@code device}. */
    public static InverseModel create(ModelCard card, Device device) {
        NDManager m = TorchRuntime.engine().newBaseManager(device);
        ModelCard.InputSpec in = card.input();
        Block b = Networks.build(card.network(), in.channels(), in.times(), card.targets().names().size());
        b.initialize(m, DataType.FLOAT32, new Shape(1, in.channels(), in.times()));
        return new InverseModel(card, b, m);
    }

    /**
     * Loads the model in {@code dir}, checking the card, the weights' checksum and every parameter's shape.
     *
     * @throws IOException naming the file for a missing, corrupt or foreign model
     */
    public static InverseModel load(Path dir, Device device) throws IOException {
        ModelCard card = ModelCard.read(dir);
        return TrainedModel.load(dir, card.weightsSha256(), card.fingerprint(), () -> create(card, device));
    }

    /**
     * Writes {@code model.json} (with a {@link Fingerprint} of this machine's outputs) and {@code weights.npz} into
     * {@code dir} (created if needed).
     */
    public void save(Path dir) throws IOException {
        String sha = TrainedModel.saveWeights(dir, block);
        new ModelCard(card.format(), card.formatVersion(), card.network(), card.input(), card.targets(),
                card.training(), card.provenance(), sha, Fingerprint.of(probeOutputs())).write(dir);
    }

    @Override
    public float[] probeOutputs() {
        int len = card.input().channels() * card.input().times();
        return forward(Fingerprint.probeInput(Fingerprint.ROWS * len), Fingerprint.ROWS);
    }

    /** The card. */
    public ModelCard card() {
        return card;
    }

    @Override
    public Block block() {
        return block;
    }

    /** The manager holding its weights. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Checks that {@code data} fits this model: the same channels and samples, and every target present.
     *
     * @return for each of the model's targets, its column in the data set
     * @throws IllegalArgumentException saying what differs
     */
    public int[] columnsIn(RecordingSet data) {
        return columnsIn(card, data);
    }

    /** As {@link #columnsIn(RecordingSet)}, for the model of {@code card} before it is loaded. */
    public static int[] columnsIn(ModelCard card, RecordingSet data) {
        ModelCard.InputSpec in = card.input();
        if (data.channels() != in.channels() || data.times() != in.times()) {
            throw new IllegalArgumentException("the data have " + data.channels() + " channels x " + data.times()
                    + " samples (after decimation by " + in.decimate() + "), the model reads " + in.channels()
                    + " x " + in.times());
        }
        int[] cols = new int[card.targets().names().size()];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = data.paramNames().indexOf(card.targets().names().get(j));
            if (cols[j] < 0) {
                throw new IllegalArgumentException("the data set has no parameter '" + card.targets().names().get(j)
                        + "' (it has " + data.paramNames() + ")");
            }
        }
        return cols;
    }

    /**
     * Predicts parameters for decimated recordings stored row-major as [n][channels][times] in {@code x}.
     *
     * @throws IllegalArgumentException if a value is NaN or infinite, naming the recording
     */
    public double[][] predictDecimated(float[] x, int n) {
        int len = card.input().channels() * card.input().times();
        if ((long) n * len != x.length) {
            throw new IllegalArgumentException(x.length + " values are not " + n + " recordings of " + len);
        }
        double[][] out = new double[n][];
        for (int b0 = 0; b0 < n; b0 += BATCH) {
            int nb = Math.min(BATCH, n - b0);
            float[] batch = new float[nb * len];
            System.arraycopy(x, b0 * len, batch, 0, nb * len);
            for (int i = 0; i < nb; i++) {
                for (int k = i * len; k < (i + 1) * len; k++) {
                    if (!Float.isFinite(batch[k])) {
                        throw new IllegalArgumentException("recording " + (b0 + i) + " holds NaN or Inf (channel "
                                + (k - i * len) / card.input().times() + ")");
                    }
                }
                inputScale.transformChannels(batch, i * len, card.input().times());
            }
            float[] z = forward(batch, nb);
            int p = card.targets().names().size();
            for (int i = 0; i < nb; i++) {
                double[] row = new double[p];
                for (int j = 0; j < p; j++) {
                    row[j] = z[i * p + j];
                }
                out[b0 + i] = targetScale.inverse(row);
            }
        }
        return out;
    }

    /** Predicts parameters for raw recordings [n][channels][raw samples]. */
    public double[][] predict(float[][][] recordings) {
        ModelCard.InputSpec in = card.input();
        int len = in.channels() * in.times();
        float[] x = new float[recordings.length * len];
        for (int i = 0; i < recordings.length; i++) {
            float[][] r = recordings[i];
            if (r.length != in.channels() || r[0].length != in.rawTimes()) {
                throw new IllegalArgumentException("recording " + i + " is " + r.length + " channels x "
                        + r[0].length + " samples; the model reads " + in.channels() + " x " + in.rawTimes());
            }
            if (!RecordingSet.decimateInto(r, in.decimate(), in.times(), x, i * len)) {
                throw new IllegalArgumentException("recording " + i + " holds NaN or Inf");
            }
        }
        return predictDecimated(x, recordings.length);
    }

    /** The network's standardised outputs for standardised inputs [n][C][T]. */
    float[] forward(float[] standardised, int n) {
        try (TorchRuntime.NoGrad g = TorchRuntime.noGrad(); NDManager step = manager.newSubManager()) {
            ModelCard.InputSpec in = card.input();
            NDArray x = step.create(standardised, new Shape(n, in.channels(), in.times()));
            NDList y = block.forward(new ParameterStore(step, false), new NDList(x), false);
            return y.singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
