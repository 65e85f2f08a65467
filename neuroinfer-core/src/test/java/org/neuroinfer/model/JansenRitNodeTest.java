package org.neuroinfer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.network.NodeModels;
import org.neuroinfer.numeric.VectorMath;

/** The Jansen-Rit network node has the batch engine's right-hand side (per ms instead of per s). */
class JansenRitNodeTest {
    @ParameterizedTest
    @ValueSource(strings = {"textbook", "classic_mV", "deepjr"})
    void nodeEqualsTheBatchModel(String convention) {
        Convention cv = Convention.of(convention);
        double p = 180;
        NodeModel node = NodeModels.of("jansen-rit", new ParameterMap(Map.of("convention", convention, "p", p)));
        JansenRit batch = new JansenRit(cv, p, 0);
        int lanes = VectorMath.SPECIES.length();
        double[] c = new double[batch.coefficientCount() * lanes];
        double[] params = cv.parameterSpace().defaults();
        for (int l = 0; l < lanes; l++) {
            batch.coefficients(params, c, l, lanes);
        }
        SplittableRandom r = new SplittableRandom(3);
        double scale = "V".equals(cv.voltageUnit()) ? 1e-3 : 1;
        double[] y = new double[6 * lanes];
        for (int i = 0; i < y.length; i++) {
            y[i] = (r.nextDouble() * 20 - 5) * scale;
        }
        double[] dy = new double[6 * lanes];
        batch.derivatives(0, y, c, 0, dy, lanes);
        for (int l = 0; l < lanes; l++) {
            double[] s = new double[6];
            for (int k = 0; k < 6; k++) {
                s[k] = y[k * lanes + l];
            }
            double[] ds = new double[6];
            node.derivatives(s, 0, new double[6], ds);
            for (int k = 0; k < 6; k++) {
                assertEquals(dy[k * lanes + l], ds[k] * 1000, 1e-12 * Math.max(1, Math.abs(dy[k * lanes + l])),
                        convention + " y" + k);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"A_e", "C"})
    void aParameterOutsideItsRangeIsNamed(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeModels.of("jr", new ParameterMap(Map.of(name, 1e9))));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("valid range"), e.getMessage());
    }
}
