package org.neuroinfer.learn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.torch.TorchRuntime;

/**
 * Saved models carry the network's outputs on a fixed probe input; a model whose outputs on the machine loading it
 * differ from them beyond the tolerance is refused, one within it loads.
 */
class FingerprintTest {
    interface Loader {
        TrainedModel load(Path dir) throws IOException;
    }

    @TempDir
    Path dir;

    static final Loader INVERSE = d -> InverseModel.load(d, TorchRuntime.device("cpu"));
    static final Loader POSTERIOR = d -> PosteriorModel.load(d, TorchRuntime.device("cpu"));

    /** Re-saves the checked-in model (which has no fingerprint) so that it gets one; returns its card as a tree. */
    ObjectNode resaved(Loader loader, Path old, Path to) throws IOException {
        try (TrainedModel m = loader.load(old)) {
            if (m instanceof InverseModel im) {
                im.save(to);
            } else {
                ((PosteriorModel) m).save(to);
            }
        }
        return (ObjectNode) new ObjectMapper().readTree(to.resolve(ModelCard.FILE).toFile());
    }

    void shiftOutput(Path d, ObjectNode card, double relative) throws IOException {
        ArrayNode out = (ArrayNode) card.get("fingerprint").get("outputs");
        double v = out.get(1).asDouble();
        out.set(1, out.numberNode(v + relative * (1 + Math.abs(v))));
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(d.resolve(ModelCard.FILE).toFile(), card);
    }

    void check(Loader loader, Path old, int outputs) throws IOException {
        ObjectNode card = resaved(loader, old, dir);
        ObjectNode print = (ObjectNode) card.get("fingerprint");
        assertEquals(Fingerprint.PROBE, print.get("probe").asText());
        assertEquals(outputs, print.get("outputs").size());
        assertEquals(Fingerprint.TOLERANCE, print.get("tolerance").asDouble());
        assertTrue(print.get("cpu").asText().length() > 3, print.toString());
        loader.load(dir).close();

        shiftOutput(dir, card.deepCopy(), 1e-6);
        loader.load(dir).close();

        shiftOutput(dir, card.deepCopy(), 1e-3);
        IOException e = assertThrows(IOException.class, () -> loader.load(dir));
        String msg = e.getMessage();
        assertTrue(msg.contains(dir.resolve(ModelCard.FILE).toString()) && msg.contains("computes the model "
                + "differently") && msg.contains("output 1") && msg.contains("Saved on:") && msg.contains("Here:"), msg);
    }

    @Test
    void anInverseModelsFingerprintIsCheckedWhenItLoads() throws IOException {
        // the checked-in network returns 2 standardised parameters for each of the 4 probe rows
        check(INVERSE, SavedModelTest.OLD, 2 * Fingerprint.ROWS);
    }

    @Test
    void aPosteriorEstimatorsFingerprintIsCheckedWhenItLoads() throws IOException {
        // one log density for each of the 4 probe rows
        check(POSTERIOR, Path.of("src/test/resources/models/v1-posterior-mdn"), Fingerprint.ROWS);
    }

    @Test
    void anUnknownProbeIsRefused() throws IOException {
        ObjectNode card = resaved(INVERSE, SavedModelTest.OLD, dir);
        ((ObjectNode) card.get("fingerprint")).put("probe", "cos-v9");
        new ObjectMapper().writeValue(dir.resolve(ModelCard.FILE).toFile(), card);
        IOException e = assertThrows(IOException.class, () -> INVERSE.load(dir));
        assertTrue(e.getMessage().contains("cos-v9"), e.getMessage());
        assertTrue(Files.exists(dir.resolve(InverseModel.WEIGHTS)));
    }
}
