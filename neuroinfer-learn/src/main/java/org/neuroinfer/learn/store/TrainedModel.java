package org.neuroinfer.learn.store;

import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.neuroinfer.io.Checksums;

/**
 * A trained network saved as a folder with {@code model.json} and {@code weights.npz}: an inverse model or a
 * posterior estimator. Holds the loading and saving of the weights both share.
 */
public interface TrainedModel extends AutoCloseable {
    /** The network. */
    Block block();

    /** The network's raw outputs on the {@link Fingerprint} probe input. */
    float[] probeOutputs();

    @Override
    void close();

    /**
     * A model made by {@code create} with the weights of {@code dir} (checked against {@code sha256}) and, if the card
     * has one, its outputs checked against {@code fingerprint}; the model is closed if either check fails.
     *
     * @throws IOException naming the file for missing or corrupt weights, a card the code cannot build, or outputs
     *                     that differ from the fingerprint
     */
    static <M extends TrainedModel> M load(Path dir, String sha256, Fingerprint fingerprint, Supplier<M> create)
            throws IOException {
        WeightFile w = WeightFile.readChecked(dir, sha256);
        M m;
        try {
            m = create.get();
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve(ModelCard.FILE) + ": " + e.getMessage(), e);
        }
        try {
            w.loadAll(m.block());
            if (fingerprint != null) {
                fingerprint.check(m.probeOutputs(), dir.resolve(ModelCard.FILE));
            }
        } catch (IOException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** Writes {@code dir/weights.npz} (creating {@code dir}) and returns its SHA-256 for the card. */
    static String saveWeights(Path dir, Block block) throws IOException {
        Files.createDirectories(dir);
        Path w = dir.resolve(InverseModel.WEIGHTS);
        new WeightFile.Builder().putAll(block, "").write(w);
        return Checksums.sha256(w);
    }
}
