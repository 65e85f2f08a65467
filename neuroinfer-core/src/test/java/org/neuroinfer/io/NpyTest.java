package org.neuroinfer.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @Test
    void roundTripKeepsShapeAndBits() throws IOException {
        double[] d = {1.5, -0.0, Double.MIN_VALUE, 1e300, Math.PI, -2, 3};
        NpyArray a = new NpyArray(new int[] {7}, d);
        byte[] bytes = Npy.toBytes(a);
        assertEquals(0, (bytes.length - 8 * d.length) % 64, "header padded to 64 bytes");
        NpyArray b = Npy.read(new ByteArrayInputStream(bytes), "mem");
        assertArrayEquals(a.shape(), b.shape());
        for (int i = 0; i < d.length; i++) {
            assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(b.data()[i]));
        }
        NpyArray m = NpyArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        NpyArray m2 = Npy.read(new ByteArrayInputStream(Npy.toBytes(m)), "mem");
        assertArrayEquals(new int[] {2, 3}, m2.shape());
        assertArrayEquals(new double[] {4, 5, 6}, m2.row(1));
    }

    @Test
    void refusesToOverwriteAndLeavesNothingOnFailure(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.npy");
        Npy.save(f, NpyArray.of(new double[] {1}), false);
        assertThrows(OutputExistsException.class, () -> Npy.save(f, NpyArray.of(new double[] {2}), false));
        assertEquals(1.0, Npy.load(f).data()[0]);
        Npy.save(f, NpyArray.of(new double[] {2}), true);
        assertEquals(2.0, Npy.load(f).data()[0]);
        Path g = dir.resolve("y.npy");
        assertThrows(IOException.class, () -> AtomicFiles.write(g, false, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "only x.npy remains");
        }
    }

    @Test
    void npzHoldsNamedEntries(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.npz");
        new Npy.Archive().put("params", NpyArray.of(new double[][] {{1, 2}})).put("names", new String[] {"A_e", "b"})
                .save(f, false);
        try (ZipFile z = new ZipFile(f.toFile())) {
            assertTrue(z.getEntry("params.npy") != null && z.getEntry("names.npy") != null);
            NpyArray p = Npy.read(z.getInputStream(z.getEntry("params.npy")), "params");
            assertArrayEquals(new double[] {1, 2}, p.data());
            // no wall-clock time inside: the same arrays give the same bytes on every run
            assertEquals(Npy.ENTRY_TIME, z.getEntry("params.npy").getTime(), 2000);
        }
    }

    @Test
    void fortranOrderIsReadInRowMajorOrder() throws IOException {
        // np.asfortranarray(np.arange(6.).reshape(2, 3)) stores 0, 3, 1, 4, 2, 5
        byte[] c = Npy.toBytes(new NpyArray(new int[] {2, 3}, new double[] {0, 3, 1, 4, 2, 5}));
        String header = new String(c, 0, 64, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("'fortran_order': False", "'fortran_order': True ");
        byte[] f = c.clone();
        System.arraycopy(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, f, 0, 64);
        NpyArray a = Npy.read(new ByteArrayInputStream(f), "f");
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, a.data());
    }

    @Test
    void truncatedFileIsAClearError(@TempDir Path dir) throws IOException {
        byte[] full = Npy.toBytes(NpyArray.of(new double[100]));
        Path f = dir.resolve("t.npy");
        Files.write(f, java.util.Arrays.copyOf(full, full.length - 10));
        var e = assertThrows(IOException.class, () -> Npy.load(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
