package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.AtomicFiles;

/** The cluster's contract: every part runs once to success, and a part that fails stops the job naming itself. */
class SparkClusterTest {
    @TempDir
    Path dir;

    @Test
    void everyPartRunsAndAFailingPartIsNamedWithItsCause() throws Exception {
        String out = dir.toString();
        new SparkCluster().runParts("local[2]", "parts", 5, part -> AtomicFiles.write(
                Path.of(out, "unit" + part.index()), true, o -> o.write(new byte[] {(byte) part.index()})));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(5, s.count(), "one file per part, no temporary files left");
        }
        for (int k = 0; k < 5; k++) {
            assertEquals(k, Files.readAllBytes(dir.resolve("unit" + k))[0]);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SparkCluster().runParts(
                "local[2]", "failing", 3, part -> {
                    if (part.index() == 1) {
                        throw new java.io.IOException("shard c00_s0001.h5: cannot read the lead field lf.npy");
                    }
                }));
        assertTrue(e.getMessage().contains("'failing' failed: part 1 of 3: shard c00_s0001.h5: cannot read the lead "
                + "field lf.npy"), e.getMessage());
    }

    @Test
    void anUnknownMasterIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkCluster().runParts("nowhere://x", "job", 1, part -> { }));
        assertTrue(e.getMessage().startsWith("--spark nowhere://x: cannot start a Spark job there"), e.getMessage());
    }
}
