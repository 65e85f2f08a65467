package org.neuroinfer.model.jansenrit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuroinfer.numeric.VectorMath;
import org.neuroinfer.random.RandomStreams;

/**
 * The vectorised right-hand side against the equations written out by hand with Math.exp, for every convention,
 * including the textbook one for which no reference traces exist (input to the excitatory interneurons only).
 */
class JansenRitEquationsTest {

    static double sigmoid(Convention c, double v) {
        return c.vMax() / (1 + Math.exp(c.r() * (c.v0() - v)));
    }

    @ParameterizedTest
    @EnumSource(Convention.class)
    void rightHandSideMatchesTheEquations(Convention c) {
        double p0 = c == Convention.TEXTBOOK ? 90.0 : 0.0;
        JansenRit m = new JansenRit(c, p0, 0);
        int lanes = VectorMath.padToSpecies(13);
        double[][] params = new double[lanes][];
        double[] coef = new double[m.coefficientCount() * lanes];
        double[] y = new double[6 * lanes];
        double[] dy = new double[6 * lanes];
        SplittableRandom r = new SplittableRandom(c.ordinal());
        double scale = "V".equals(c.voltageUnit()) ? 1e-3 : 1;
        for (int l = 0; l < lanes; l++) {
            params[l] = m.parameterSpace().sample(RandomStreams.stream(8, l));
            m.coefficients(params[l], coef, l, lanes);
            for (int i = 0; i < 6; i++) {
                y[i * lanes + l] = r.nextDouble(-10, 10) * scale * (i < 3 ? 1 : 100);
            }
        }
        double[] gains = c.inputGains();
        for (double u : new double[] {0, 1}) {
            m.derivatives(0, y, coef, u, dy, lanes);
            for (int l = 0; l < lanes; l++) {
                double[] p = params[l];
                double aE = p[0];
                double aI = p[1];
                double bE = p[2];
                double bI = p[3];
                double cc = p[4];
                double y0 = y[l];
                double y1 = y[lanes + l];
                double y2 = y[2 * lanes + l];
                double[] expect = {
                    y[3 * lanes + l], y[4 * lanes + l], y[5 * lanes + l],
                    aE * bE * (gains[0] * u + sigmoid(c, y1 - y2)) - 2 * bE * y[3 * lanes + l] - bE * bE * y0,
                    aE * bE * (p0 + gains[1] * u + p[6] * cc * sigmoid(c, p[5] * cc * y0))
                            - 2 * bE * y[4 * lanes + l] - bE * bE * y1,
                    aI * bI * (gains[2] * u + p[8] * cc * sigmoid(c, p[7] * cc * y0))
                            - 2 * bI * y[5 * lanes + l] - bI * bI * y2};
                for (int i = 0; i < 6; i++) {
                    double got = dy[i * lanes + l];
                    assertEquals(expect[i], got, 1e-12 * Math.max(1, Math.abs(expect[i])),
                            c.id() + " lane " + l + " dy" + i + " u=" + u);
                }
            }
        }
        if (c == Convention.TEXTBOOK) {
            assertEquals(0.0, gains[0]);
            assertEquals(0.0, gains[2]);
        }
    }
}
