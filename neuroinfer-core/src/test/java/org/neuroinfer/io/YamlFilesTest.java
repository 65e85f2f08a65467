package org.neuroinfer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration files: every mistake is named with its file, the key's own line and what was expected. */
class YamlFilesTest {
    record Training(@JsonProperty("epochs") Integer epochs, @JsonProperty("rate") Double rate) {
    }

    record Config(@JsonProperty("seed") Long seed, @JsonProperty("training") Training training,
                  @JsonProperty("layers") List<Integer> layers) {
    }

    @TempDir
    Path dir;

    String refused(String yaml) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        String msg = assertThrows(IllegalArgumentException.class, () -> YamlFiles.read(f, Config.class))
                .getMessage();
        assertTrue(msg.startsWith(f.toString()), msg);
        return msg;
    }

    @Test
    void aGoodFileIsRead() throws IOException {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, "seed: 3\ntraining:\n  epochs: 5\n  rate: 0.1\nlayers: [4, 2]\n");
        Config c = YamlFiles.read(f, Config.class);
        assertEquals(5, c.training().epochs());
        assertEquals(List.of(4, 2), c.layers());
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithBothLines() throws IOException {
        String msg = refused("seed: 3\ntraining:\n  epochs: 5\nseed: 4\n");
        assertTrue(msg.contains("lines 1 and 4: key 'seed' is given twice"), msg);
        msg = refused("seed: 3\ntraining:\n  epochs: 5\n  rate: 0.1\n  epochs: 50\n");
        assertTrue(msg.contains("lines 3 and 5: key 'training.epochs' is given twice"), msg);
        msg = refused("seed: 3\ntraining: {epochs: 5, epochs: 6}\n");
        assertTrue(msg.contains("lines 2 and 2: key 'training.epochs'"), msg);
    }

    @Test
    void aBadNestedValueIsNamedAtItsOwnLineInTheFilesTerms() throws IOException {
        String msg = refused("seed: 3\ntraining:\n  rate: 0.1\n  epochs: many\nlayers: [1]\n");
        assertTrue(msg.contains("line 4: bad value for 'training.epochs': expected a whole number, got 'many'"),
                msg);
        assertTrue(!msg.contains("java.lang") && !msg.contains("`"), msg);
        msg = refused("seed: 3\nlayers: [1, two]\n");
        assertTrue(msg.contains("line 2: bad value for 'layers[1]'") && msg.contains("a whole number"), msg);
        msg = refused("seed: [1, 2]\n");
        assertTrue(msg.contains("line 1: bad value for 'seed': expected a whole number"), msg);
    }

    @Test
    void anUnknownNestedKeyIsNamedAtItsOwnLine() throws IOException {
        String msg = refused("seed: 3\ntraining:\n  epochs: 5\n  epoch: 6\n");
        assertTrue(msg.contains("line 4: unknown key 'training.epoch'; valid keys: epochs, rate"), msg);
    }

    @Test
    void malformedYamlIsNamedWithItsLine() throws IOException {
        String msg = refused("seed: 3\ntraining:\n  epochs: [5\n  rate: 0.1\n");
        assertTrue(msg.contains("not valid YAML") && msg.matches("(?s).*line [345].*"), msg);
    }
}
