package org.neuroinfer.network.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;

/** A target with NaN, infinite or flat parts is refused with the place and the likely cause. */
class FcTargetTest {
    @TempDir
    Path dir;

    static double[][] bold(int regions, int samples) {
        double[][] b = new double[regions][samples];
        for (int i = 0; i < regions; i++) {
            for (int t = 0; t < samples; t++) {
                b[i][t] = Math.sin(0.1 * t * (i + 1)) + 0.01 * ((t * 7 + i * 3) % 11);
            }
        }
        return b;
    }

    Path save(String name, double[][] a) throws IOException {
        Path f = dir.resolve(name);
        Npy.save(f, NpyArray.of(a), true);
        return f;
    }

    String refused(Path f) {
        return assertThrows(IllegalArgumentException.class, () -> FcTarget.read(f)).getMessage();
    }

    @Test
    void aFiniteBoldAndItsFcAreRead() throws IOException {
        FcTarget t = FcTarget.read(save("bold.npy", bold(4, 200)));
        assertEquals(4, t.regions());
        assertEquals(1.0, t.fcs().get(0)[2][2], 1e-12);
    }

    @Test
    void nanInAnFcIsRefusedWithItsPlace() throws IOException {
        double[][] fc = FcTarget.read(save("bold.npy", bold(4, 200))).fcs().get(0);
        fc[2][3] = Double.NaN;
        String msg = refused(save("fc.npy", fc));
        assertTrue(msg.contains("fc.npy") && msg.contains("FC[2][3]") && msg.contains("constant (flat) region"), msg);
    }

    @Test
    void aFlatBoldRegionIsRefusedBeforeItsNanCorrelationsAreMade() throws IOException {
        double[][] b = bold(4, 200);
        java.util.Arrays.fill(b[1], 0.25);
        String msg = refused(save("flat.npy", b));
        assertTrue(msg.contains("region 1 is constant") && msg.contains("FC row and column 1"), msg);
    }

    @Test
    void nanOrInfinityInABoldIsRefusedWithTheSample() throws IOException {
        double[][] b = bold(4, 200);
        b[3][17] = Double.POSITIVE_INFINITY;
        String msg = refused(save("inf.npy", b));
        assertTrue(msg.contains("region 3 holds Infinity at sample 17"), msg);
    }
}
