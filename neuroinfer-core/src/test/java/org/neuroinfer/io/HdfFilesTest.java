package org.neuroinfer.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files made by {@link HdfFiles#write} carry what is written and nothing of the machine that wrote them. */
class HdfFilesTest {
    @TempDir
    Path dir;

    private static void fill(WritableHdfFile h) {
        h.putDataset("X", new double[][] {{1, 2, 3}, {4, 5, 6}});
        h.putAttribute("unit", "V");
    }

    private static String latin1(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    @Test
    void noStampOfTheWriterTheSystemOrTheArchitecture() throws IOException {
        Path made = dir.resolve("made.h5");
        HdfFiles.write(made, HdfFilesTest::fill);
        String bytes = latin1(made);
        assertFalse(bytes.contains("jHDF"), "the writer's stamp is in the file");
        assertFalse(bytes.contains(System.getProperty("os.name")), "the operating system is in the file");
        assertFalse(bytes.contains(" - " + System.getProperty("os.arch") + " - "), "the architecture is in the file");
        HdfFiles.read(made, h -> {
            assertFalse(h.getAttributes().containsKey(HdfFiles.WRITER_STAMP));
            assertEquals("V", h.getAttribute("unit").getData());
            assertArrayEquals(new double[] {4, 5, 6}, ((double[][]) HdfFiles.data(h, made, "X"))[1]);
            return null;
        });

        // the library alone stamps it twice (an attribute and bytes after the last object), so the test above can fail
        Path plain = dir.resolve("plain.h5");
        try (WritableHdfFile h = HdfFile.write(plain)) {
            fill(h);
        }
        String stamped = latin1(plain);
        assertTrue(stamped.endsWith(System.getProperty("os.arch") + " - LE")
                || stamped.endsWith(System.getProperty("os.arch") + " - BE"), "jHDF's stamp ends the plain file");
        assertTrue(stamped.indexOf(System.getProperty("os.name")) < stamped.lastIndexOf(System.getProperty("os.name")),
                "jHDF's stamp is in the plain file twice");
        assertTrue(Files.size(plain) > Files.size(made));
    }
}
