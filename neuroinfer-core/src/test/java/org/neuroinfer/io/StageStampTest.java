package org.neuroinfer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage resumes only from outputs of the same settings, and notices outputs changed by hand. */
class StageStampTest {
    @TempDir
    Path dir;

    static com.fasterxml.jackson.databind.node.ObjectNode settings(double k, long seed) {
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("model", "hopf");
        net.put("K_gl", k);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("network", net);
        s.put("seed", seed);
        s.put("axes", List.of(1.0, 2.0));
        return StageStamp.tree(s);
    }

    List<Path> outputs() {
        return List.of(dir.resolve("table.csv"), dir.resolve("plot.png"), dir.resolve("model"));
    }

    @Test
    void theSameSettingsResumeAndKeepTheOutputs() throws IOException {
        StageStamp s = StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs());
        s.writeOutput(dir.resolve("table.csv"), "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        StageStamp again = StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs());
        again.checkOutput(dir.resolve("table.csv"));
        assertEquals("a,b\n1,2\n", Files.readString(dir.resolve("table.csv")));
        assertTrue(Files.exists(StageStamp.file(dir, "study")));
    }

    @Test
    void otherSettingsAreRefusedNamingEveryChangedKeyAndReplacedWithForce() throws IOException {
        StageStamp s = StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs());
        s.writeOutput(dir.resolve("table.csv"), "x\n".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("model"));
        Files.writeString(dir.resolve("model").resolve("w.npz"), "w");
        String msg = assertThrows(IllegalArgumentException.class,
                () -> StageStamp.claim(dir, "study", settings(0.75, 4), false, outputs())).getMessage();
        assertTrue(msg.contains("network.K_gl: 0.5 -> 0.75") && msg.contains("seed: 3 -> 4")
                && msg.contains("--force") && !msg.contains("axes"), msg);
        assertTrue(Files.exists(dir.resolve("table.csv")), "nothing is removed without --force");
        StageStamp.claim(dir, "study", settings(0.75, 4), true, outputs());
        assertFalse(Files.exists(dir.resolve("table.csv")));
        assertFalse(Files.exists(dir.resolve("model")));
        StageStamp.claim(dir, "study", settings(0.75, 4), false, outputs());
    }

    @Test
    void outputsWithoutAStampOrWithADamagedOneAreRefused() throws IOException {
        Files.writeString(dir.resolve("table.csv"), "old\n");
        String msg = assertThrows(IllegalArgumentException.class,
                () -> StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs())).getMessage();
        assertTrue(msg.contains("without study.settings.json"), msg);
        StageStamp.claim(dir, "study", settings(0.5, 3), true, outputs());
        Files.writeString(StageStamp.file(dir, "study"), "{ \"settings\": { \"net");
        msg = assertThrows(IllegalArgumentException.class,
                () -> StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs())).getMessage();
        assertTrue(msg.contains("damaged"), msg);
        StageStamp.claim(dir, "study", settings(0.5, 3), true, outputs());
    }

    @Test
    void anOutputEditedOrTruncatedByHandIsDetectedButAKillBetweenTheTwoWritesIsNot() throws IOException {
        Path t = dir.resolve("table.csv");
        StageStamp s = StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs());
        s.writeOutput(t, "h\n1\n".getBytes(StandardCharsets.UTF_8));
        s.writeOutput(t, "h\n1\n2\n".getBytes(StandardCharsets.UTF_8));
        // a kill after the stamp recorded the third table but before the table was written: the second is accepted
        byte[] second = Files.readAllBytes(t);
        s.writeOutput(t, "h\n1\n2\n3\n".getBytes(StandardCharsets.UTF_8));
        Files.write(t, second);
        StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs()).checkOutput(t);
        Files.writeString(t, "h\n1\n2\n3\n");
        StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs()).checkOutput(t);
        Files.writeString(t, "h\n1\n9\n3\n");
        String msg = assertThrows(IllegalArgumentException.class,
                () -> StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs()).checkOutput(t)).getMessage();
        assertTrue(msg.contains("table.csv was changed since neuroinfer wrote it"), msg);
        Files.writeString(t, "h\n1\n");
        assertThrows(IllegalArgumentException.class,
                () -> StageStamp.claim(dir, "study", settings(0.5, 3), false, outputs()).checkOutput(t));
    }
}
