package org.neuroinfer.sensitivity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.param.Parameter;

class OneAtATimeTest {
    private static final JansenRit MODEL = new JansenRit(Convention.DEEPJR);

    static OneAtATime.Result sweep(List<String> names, int n, OneAtATime.Observer obs) {
        return OneAtATime.run(MODEL, names, OneAtATime.Range.RELATIVE, 0.5, n, obs, 2, k -> { });
    }

    @Test
    void defaultErpIsTheReferenceEvokedAndSitsInTheMiddleOfTheSweep() throws Exception {
        OneAtATime.Result r = sweep(List.of("b_i", "A_e"), 5, (i, e) -> e);
        double[] ref = Npy.load(SharedFolder.require()
                .resolve("reference/jr/case_01_deepjr_default/evoked_euler.npy")).data();
        double ptp = 0.017951;
        for (int t = 0; t < ref.length; t++) {
            assertEquals(ref[t], r.defaultErp()[t], 1e-9 * ptp);
        }
        for (OneAtATime.Sweep s : r.sweeps()) {
            assertEquals(s.parameter().defaultValue(), s.values()[2], 1e-12 * s.parameter().defaultValue());
            assertArrayEquals(r.defaultErp(), s.erp()[2], 1e-15, s.parameter().name());
            assertEquals(0.5 * s.parameter().defaultValue(), s.values()[0], 1e-12 * s.parameter().defaultValue());
        }
    }

    @Test
    void gradientIntegratesToTheChangeOfTheErp() {
        OneAtATime.Sweep s = sweep(List.of("A_i"), 41, (i, e) -> e).sweeps().get(0);
        int t = 300; // near the response's peak
        double integral = 0;
        for (int i = 1; i < s.values().length; i++) {
            integral += 0.5 * (s.gradient()[i][t] + s.gradient()[i - 1][t]) * (s.values()[i] - s.values()[i - 1]);
        }
        double change = s.erp()[s.values().length - 1][t] - s.erp()[0][t];
        assertEquals(change, integral, 0.02 * Math.abs(change));
        assertTrue(Math.abs(change) > 1e-4, "A_i moves the ERP");
    }

    @Test
    void flatErpGivesNanRelativeErrorNotADivisionByZero() {
        OneAtATime.Result r = sweep(List.of("C"), 3, (i, e) -> new double[e.length]);
        assertTrue(Double.isNaN(r.sweeps().get(0).log10RelError()[0][0]));
        assertEquals(0, r.sweeps().get(0).effect());
        assertTrue(SweepReport.rank(r).get(0).flags().contains("near-zero effect"));
    }

    @Test
    void badInput() {
        Parameter b = MODEL.parameterSpace().get(3);
        assertThrows(IllegalArgumentException.class, () -> OneAtATime.values(b, OneAtATime.Range.RELATIVE, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> OneAtATime.values(b, OneAtATime.Range.RELATIVE, -0.5, 9));
        var e = assertThrows(IllegalArgumentException.class, () -> sweep(List.of("B_i"), 3, (i, x) -> x));
        assertTrue(e.getMessage().contains("valid names"), e.getMessage());
        assertArrayEquals(new double[] {25, 50, 75}, OneAtATime.values(b, OneAtATime.Range.PRIOR, 0, 3));
    }

    @Test
    void collinearityIsCorrelationOfMeanGradients() {
        assertEquals(1.0, org.neuroinfer.numeric.Correlation.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-15);
        assertEquals(-1.0, org.neuroinfer.numeric.Correlation.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-15);
        assertTrue(Double.isNaN(org.neuroinfer.numeric.Correlation.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
    }
}
