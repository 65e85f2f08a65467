package org.neuroinfer.learn.npe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.simulator.sbibm.SbibmTask;
import org.neuroinfer.simulator.sbibm.SbibmTasks;

/**
 * sbibm's C2ST: two halves of one reference posterior are indistinguishable (≈ 0.5), the prior against the
 * reference is near 1, and gaussian_linear's prior against its reference scores what scikit-learn gave (0.939,
 * the reference README, section 6) within 0.02.
 */
class SbibmC2stTest {
    static final Path SBIBM = SharedFolder.require().resolve("reference/sbibm");

    @Test
    void twoHalvesOfAReferenceScoreAHalf() throws Exception {
        double[][] r = SbibmTasks.of("two_moons", SBIBM, 1).referencePosterior(1);
        double c = SbibmC2st.score(Arrays.copyOfRange(r, 0, 5000), Arrays.copyOfRange(r, 5000, 10000), 1);
        assertEquals(0.5, c, 0.03, "halves of one sample");
    }

    @Test
    void thePriorIsToldFromThePosterior() throws Exception {
        SbibmTask t = SbibmTasks.of("two_moons", SBIBM, 1);
        double c = SbibmC2st.score(t.drawPrior(10_000, 0), t.referencePosterior(1), 1);
        assertTrue(c > 0.95, "prior vs two_moons posterior: " + c);
    }

    @Test
    void gaussianLinearPriorAgainstItsReferenceScoresWhatScikitLearnGave() throws Exception {
        SbibmTask t = SbibmTasks.of("gaussian_linear", SBIBM, 1);
        double c = SbibmC2st.score(t.drawPrior(10_000, 0), t.referencePosterior(1), 1);
        assertEquals(0.939, c, 0.02, "prior vs gaussian_linear posterior 1");
    }

    @Test
    void badSamplesAreRefused() {
        double[][] a = new double[20][2];
        double[][] b = new double[20][3];
        var e = assertThrows(IllegalArgumentException.class, () -> SbibmC2st.score(a, b, 1));
        assertTrue(e.getMessage().contains("dimensions"), e.getMessage());
        a[3][1] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> SbibmC2st.score(a, new double[20][2], 1));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
}
