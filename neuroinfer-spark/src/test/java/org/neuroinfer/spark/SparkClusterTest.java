package org.neuroinfer.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.InputFiles;

/** The cluster's contract: every part runs once to success, and a part that fails stops the job naming itself. */
class SparkClusterTest {
    @TempDir
    Path dir;

    @Test
    void everyPartRunsAndAFailingPartIsNamedWithItsCause() throws Exception {
        String out = dir.toString();
        new SparkCluster().runParts("local[2]", "parts", 5, List.of(), part -> AtomicFiles.write(
                Path.of(out, "unit" + part.index()), true, o -> o.write(new byte[] {(byte) part.index()})));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(5, s.count(), "one file per part, no temporary files left");
        }
        for (int k = 0; k < 5; k++) {
            assertEquals(k, Files.readAllBytes(dir.resolve("unit" + k))[0]);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SparkCluster().runParts(
                "local[2]", "failing", 3, List.of(), part -> {
                    if (part.index() == 1) {
                        throw new java.io.IOException("shard c00_s0001.h5: cannot read the lead field lf.npy");
                    }
                }));
        assertTrue(e.getMessage().contains("'failing' failed: part 1 of 3: shard c00_s0001.h5: cannot read the lead "
                + "field lf.npy"), e.getMessage());
    }

    @Test
    void inputsArriveAsCopiesFilesNamedAlikeAndFoldersToo() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b/sub"));
        Files.writeString(dir.resolve("a/x.txt"), "first");
        Files.writeString(dir.resolve("b/x.txt"), "second");
        Files.writeString(dir.resolve("b/sub/y.txt"), "third");
        Path out = Files.createDirectories(dir.resolve("out"));
        String a = dir.resolve("a/x.txt").toString();
        String b = dir.resolve("b").toString();
        String o = out.toString();
        new SparkCluster().runParts("local[2]", "inputs", 2, List.of(Path.of(a), Path.of(b)), part -> {
            Path x = InputFiles.local(Path.of(a));
            String got = Files.readString(x) + "," + Files.readString(InputFiles.local(Path.of(b, "x.txt"))) + ","
                    + Files.readString(InputFiles.local(Path.of(b, "sub", "y.txt"))) + "," + !x.equals(Path.of(a))
                    + "," + !InputFiles.local(Path.of(b)).equals(Path.of(b));
            AtomicFiles.write(Path.of(o, "part" + part.index()), true, w -> w.write(got.getBytes(UTF_8)));
        });
        for (int k = 0; k < 2; k++) {
            assertEquals("first,second,third,true,true", Files.readString(out.resolve("part" + k)));
        }
        assertEquals(Path.of(a), InputFiles.local(Path.of(a)), "read from itself again after the job");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkCluster().runParts(
                "local[1]", "missing", 1, List.of(dir.resolve("none.npy")), part -> { }));
        assertTrue(e.getMessage().contains("none.npy (named by the configuration) does not exist"), e.getMessage());
    }

    @Test
    void anUnknownMasterIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkCluster().runParts("nowhere://x", "job", 1, List.of(), part -> { }));
        assertTrue(e.getMessage().startsWith("--spark nowhere://x: cannot start a Spark job there"), e.getMessage());
        // a standalone master nobody answers at: refused, naming it (Spark would retry for a minute, then say only
        // that its context was shut down)
        e = assertThrows(IllegalArgumentException.class, () -> new SparkCluster().runParts("spark://127.0.0.1:1",
                "job", 1, List.of(), part -> { }));
        assertTrue(e.getMessage().startsWith("--spark spark://127.0.0.1:1: no Spark master answers at 127.0.0.1:1"),
                e.getMessage());
    }
}
