package org.neuroinfer.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.AtomicFiles;

/**
 * A data-set folder that is damaged or holds another configuration: refused without --force naming why, made
 * again with it, and nothing left over from a killed or replaced run.
 */
class DatasetFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aTruncatedManifestIsRefusedAndForceRecoversTheFolder() throws IOException {
        GenerationConfig c = DatasetGeneratorTest.config(tmp, DatasetGeneratorTest.SMALL);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        new DatasetGenerator(c, 2).generate(a, false, n -> { }, -1);
        new DatasetGenerator(c, 2).generate(b, false, n -> { }, -1);
        String json = Files.readString(b.resolve(Manifest.FILE));
        Files.writeString(b.resolve(Manifest.FILE), json.substring(0, json.length() / 2));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new DatasetGenerator(c, 2).generate(b, false, n -> { }, -1)).getMessage();
        assertTrue(msg.contains("manifest.json is damaged") && msg.contains("--force"), msg);
        assertEquals(6, new DatasetGenerator(c, 2).generate(b, true, n -> { }, -1));
        DatasetGeneratorTest.assertSameBytes(a, b);
    }

    @Test
    void anotherConfigurationIsRefusedNamingTheChangeAndForceLeavesNoOrphanShard() throws IOException {
        GenerationConfig c = DatasetGeneratorTest.config(tmp, DatasetGeneratorTest.SMALL);
        GenerationConfig other = DatasetGeneratorTest.config(tmp, DatasetGeneratorTest.SMALL.replace("seed: 7",
                "seed: 8"));
        Path a = tmp.resolve("a");
        new DatasetGenerator(c, 2).generate(a, false, n -> { }, 2);
        // a shard finished after the manifest was last written (a kill between the two) is not listed yet
        Files.writeString(a.resolve("shards/c01_s0099.h5"), "orphan");
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new DatasetGenerator(other, 2).generate(a, false, n -> { }, -1)).getMessage();
        assertTrue(msg.contains("seed: 7 -> 8") && msg.contains("--force"), msg);
        new DatasetGenerator(other, 2).generate(a, true, n -> { }, -1);
        assertFalse(Files.exists(a.resolve("shards/c01_s0099.h5")));
        Path fresh = tmp.resolve("fresh");
        new DatasetGenerator(other, 2).generate(fresh, false, n -> { }, -1);
        DatasetGeneratorTest.assertSameBytes(fresh, a);
    }

    @Test
    void aKilledWritersTemporaryFileIsRemovedByTheNextWriteButAnotherWritersIsNot() throws IOException {
        Path target = tmp.resolve("x.npy");
        Path old = tmp.resolve(".x.npy.1a2b3c.part");
        Path live = tmp.resolve(".x.npy.4d5e6f.part");
        Path otherFile = tmp.resolve(".y.npy.1a2b3c.part");
        for (Path p : new Path[]{old, live, otherFile}) {
            Files.write(p, new byte[1000]);
        }
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L);
        Files.setLastModifiedTime(old, hourAgo);
        Files.setLastModifiedTime(otherFile, hourAgo);
        AtomicFiles.write(target, false, out -> out.write(1));
        assertFalse(Files.exists(old), "left by a killed process");
        assertTrue(Files.exists(live), "being written by this process");
        assertTrue(Files.exists(otherFile), "another file's");
        assertEquals(1, Files.size(target));
    }

    @Test
    void anOutputBelowAFileOrThatIsAFolderIsRefusedBeforeAnyWork() throws IOException {
        Path file = tmp.resolve("notes.txt");
        Files.writeString(file, "x");
        String msg = assertThrows(IllegalArgumentException.class,
                () -> AtomicFiles.checkWritable(file.resolve("sub/out.npy"), true)).getMessage();
        assertTrue(msg.contains("notes.txt is a file, not a folder"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> AtomicFiles.checkWritable(tmp, true)).getMessage();
        assertTrue(msg.contains("is a folder"), msg);
        assertThrows(org.neuroinfer.io.OutputExistsException.class, () -> AtomicFiles.checkWritable(file, false));
        AtomicFiles.checkWritable(tmp.resolve("new/deeper/out.npy"), false);
        assertFalse(Files.exists(tmp.resolve("new")), "checking makes nothing");
    }
}
