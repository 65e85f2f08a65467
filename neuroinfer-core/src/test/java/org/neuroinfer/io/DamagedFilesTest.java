package org.neuroinfer.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.dataset.Manifest;

/** Empty, garbage and truncated files are refused with a message that names the file and says what is wrong. */
class DamagedFilesTest {
    @TempDir
    Path dir;

    @Test
    void aNpyCutAnywhereNamesTheFile() throws IOException {
        Path full = dir.resolve("full.npy");
        Npy.save(full, NpyArray.of(new double[][]{{1, 2, 3}, {4, 5, 6}}), true);
        byte[] b = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.npy");
        for (int n = 0; n < b.length; n++) {
            Files.write(cut, Arrays.copyOf(b, n));
            IOException e = assertThrows(IOException.class, () -> Npy.load(cut), "cut at " + n);
            assertTrue(e.getMessage() != null && e.getMessage().startsWith(cut.toString()), "cut at " + n + ": "
                    + e.getMessage());
        }
    }

    @Test
    void aFileThatIsNotHdf5NamesTheFile() throws IOException {
        Path garbage = dir.resolve("g.h5");
        Files.writeString(garbage, "this is not an HDF5 file at all, just some text that is long enough");
        IOException e = assertThrows(IOException.class, () -> HdfFiles.open(garbage));
        assertTrue(e.getMessage().startsWith(garbage + ": not an HDF5 file"), e.getMessage());
        Files.write(garbage, new byte[0]);
        e = assertThrows(IOException.class, () -> HdfFiles.open(garbage));
        assertTrue(e.getMessage().startsWith(garbage.toString()), e.getMessage());
    }

    @Test
    void aTruncatedHdf5FileNamesTheFileWhenItsDataAreRead() throws IOException {
        Path full = dir.resolve("full.h5");
        try (io.jhdf.WritableHdfFile h = io.jhdf.HdfFile.write(full)) {
            float[][][] x = new float[4][3][50];
            for (int i = 0; i < 4; i++) {
                for (int c = 0; c < 3; c++) {
                    for (int k = 0; k < 50; k++) {
                        x[i][c][k] = 1 + i + 0.1f * c + 0.001f * k;
                    }
                }
            }
            h.putDataset("X", x);
        }
        byte[] b = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.h5");
        for (int n = 0; n < b.length; n += Math.max(1, b.length / 50)) {
            Files.write(cut, Arrays.copyOf(b, n));
            int at = n;
            IOException e = assertThrows(IOException.class,
                    () -> HdfFiles.read(cut, h -> HdfFiles.data(h, cut, "X")), "cut at " + n);
            assertTrue(e.getMessage().startsWith(cut.toString()), "cut at " + at + ": " + e.getMessage());
        }
    }

    @Test
    void aManifestWithoutItsRequiredFieldsIsRefused() throws IOException {
        Files.writeString(dir.resolve(Manifest.FILE), "{\"format\": \"neuroinfer-dataset\", \"shards\": []}");
        IOException e = assertThrows(IOException.class, () -> Manifest.read(dir));
        assertTrue(e.getMessage().contains("config_sha256") && e.getMessage().contains("manifest.json"),
                e.getMessage());
        Files.writeString(dir.resolve(Manifest.FILE), "");
        assertThrows(IOException.class, () -> Manifest.read(dir));
    }
}
