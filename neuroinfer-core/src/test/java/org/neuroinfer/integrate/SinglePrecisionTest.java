package org.neuroinfer.integrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.numeric.FloatVectorMath;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedRecorder;
import org.neuroinfer.stimulus.Protocol;

/** The opt-in single-precision Jansen-Rit path: its error against double, lane independence and its refusals. */
class SinglePrecisionTest {
    private static final Protocol PROTOCOL = Protocol.benchmark().withDuration(21);

    private static double[][] evoked(JansenRit m, double[][] params, int threads, long seed, Precision p) {
        EvokedRecorder ev = new EvokedRecorder(m, PROTOCOL, EpochWindow.benchmark(), params.length);
        new BatchSimulator(m, Scheme.EULER, PROTOCOL, 1e-3, threads, seed).inPrecision(p).run(params, ev);
        return ev.evoked();
    }

    private static double ptp(double[] x) {
        return Arrays.stream(x).max().orElseThrow() - Arrays.stream(x).min().orElseThrow();
    }

    @Test
    void floatEvokedResponsesStayCloseToDouble() {
        for (Convention c : new Convention[] {Convention.DEEPJR, Convention.CLASSIC_MV}) {
            JansenRit m = new JansenRit(c);
            double[][] params = BatchInvariantTest.draws(m, 64, 3);
            double[][] d = evoked(m, params, 2, 0, Precision.FLOAT64);
            double[][] f = evoked(m, params, 2, 0, Precision.FLOAT32);
            double worst = 0;
            double sum = 0;
            for (int i = 0; i < params.length; i++) {
                double err = 0;
                for (int t = 0; t < d[i].length; t++) {
                    err = Math.max(err, Math.abs(f[i][t] - d[i][t]));
                }
                double rel = err / ptp(d[i]);
                worst = Math.max(worst, rel);
                sum += rel;
            }
            System.out.printf("float32 vs float64, %s, 64 prior draws, 20 epochs: evoked error x ptp mean %.2e, "
                    + "worst %.2e%n", c, sum / params.length, worst);
            // measured 7.0e-7 (deepjr) and 8.3e-5 (classic_mV, where C scales the sigmoid arguments 1000-fold)
            double bound = c == Convention.DEEPJR ? 1e-5 : 1e-3;
            assertTrue(worst < bound, c + ": worst evoked error " + worst + " of the peak-to-peak");
            assertTrue(worst > 0, "float32 gave the double bits: the single-precision kernel did not run");
        }
    }

    /**
     * The float step tells whether its new state may hold a NaN or an infinity, tested while it writes the state:
     * exactly the scan of the state afterwards, and true exactly when a value is not finite.
     */
    @Test
    void theFloatStepTellsWhetherItsStateMayHoldNonFinite() {
        JansenRit m = new JansenRit(Convention.DEEPJR);
        int lanes = FloatVectorMath.padToSpecies(40);
        double[][] params = BatchInvariantTest.draws(m, lanes, 4);
        double[] cd = new double[m.coefficientCount() * lanes];
        for (int l = 0; l < lanes; l++) {
            m.coefficients(params[l], cd, l, lanes);
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        int told = 0;
        for (int trial = 0; trial < 300; trial++) {
            float[] c = new float[cd.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) cd[i];
            }
            float[] y = new float[6 * lanes];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) r.nextDouble(-20, 20);
            }
            if (trial % 3 == 1) {
                y[r.nextInt(y.length)] = Float.NaN;
            } else if (trial % 3 == 2) {
                y[r.nextInt(y.length)] = r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            }
            boolean mayHold = m.eulerStep(1e-3f, y, c, 0.5f, trial % 2 == 0 ? null : new float[y.length], lanes);
            boolean any = false;
            for (float v : y) {
                any |= !Float.isFinite(v);
            }
            assertEquals(FloatVectorMath.mayHoldNonFinite(y, 6, lanes), mayHold, "trial " + trial);
            assertEquals(any, mayHold, "trial " + trial);
            told += mayHold ? 1 : 0;
        }
        assertEquals(200, told, "every state given a NaN or an infinity, and no other");
    }

    @Test
    void floatExpIsWithinTwoUlp() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (-87 + 175.5 * r.nextDouble());
            float ref = (float) StrictMath.exp(x);
            float got = FloatVectorMath.exp(x);
            worst = Math.max(worst, Math.abs(got - ref) / Math.ulp(ref));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(1f, FloatVectorMath.exp(0f));
        assertEquals(Float.POSITIVE_INFINITY, FloatVectorMath.exp(89f));
        assertEquals(0f, FloatVectorMath.exp(-104f));
        assertTrue(Float.isNaN(FloatVectorMath.exp(Float.NaN)));
    }

    @Test
    void theFloatLogisticHasTheBitsOfTheScalarExpThenTheDivisionOnAnyNumberOfVectors() {
        int len = FloatVectorMath.SPECIES.length();
        java.util.SplittableRandom r = new java.util.SplittableRandom(12);
        float[] specials = {0f, -0f, 88.9f, 89f, 200f, -103.5f, -200f, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY};
        for (int vectors : new int[] {1, 2, 3, 5}) {
            float[] a = new float[vectors * len + 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = i < specials.length ? specials[i] : (float) ((r.nextDouble() - 0.5) * 40);
            }
            float[] got = a.clone();
            FloatVectorMath.logistic(got, 1, 1 + vectors * len, 0.05f);
            for (int i = 0; i < a.length; i++) {
                float want = i < 1 || i > vectors * len ? a[i] : 0.05f / (1 + FloatVectorMath.exp(a[i]));
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]),
                        vectors + " vectors, logistic(" + a[i] + ")");
            }
        }
    }

    @Test
    void aFloatRecordingDependsOnlyOnItsOwnParametersAndNoise() {
        JansenRit m = new JansenRit(Convention.DEEPJR, 0, 2.0);
        double[][] params = BatchInvariantTest.draws(m, 37, 11);
        double[][] all = evoked(m, params, 2, 5, Precision.FLOAT32);
        for (int i = 0; i < params.length; i += 9) {
            // alone in its block, one thread, indexed as in the full run so it draws the same noise
            EvokedRecorder ev = new EvokedRecorder(m, PROTOCOL, EpochWindow.benchmark(), 1);
            new BatchSimulator(m, Scheme.EULER, PROTOCOL, 1e-3, 1, 5).indexedFrom(i).inPrecision(Precision.FLOAT32)
                    .run(new double[][] {params[i]}, ev);
            assertArrayEquals(all[i], ev.evoked()[0], "simulation " + i + " changed with its neighbours");
        }
    }

    @Test
    void aRecorderOfTheOutputRowsSeesWhatARecorderOfAllRowsSees() {
        // alone, the evoked recorder takes the output straight from the float state (it reads nothing else);
        // beside a recorder of every state the float path widens all rows and the evoked recorder computes the output
        // from them: the evoked response must not change by a bit
        JansenRit m = new JansenRit(Convention.DEEPJR, 0, 2.0);
        double[][] params = BatchInvariantTest.draws(m, 19, 3);
        double[][] alone = evoked(m, params, 1, 5, Precision.FLOAT32);
        EvokedRecorder ev = new EvokedRecorder(m, PROTOCOL, EpochWindow.benchmark(), params.length);
        var states = org.neuroinfer.observe.SignalRecorder.states(m, params.length, PROTOCOL.nSamples());
        Recorder both = Recorder.both(ev, states);
        assertEquals(null, both.rows());
        assertArrayEquals(new int[] {1, 2}, Recorder.both(ev, ev).rows());
        assertTrue(ev.outputOnly() && Recorder.both(ev, ev).outputOnly());
        assertTrue(!both.outputOnly() && !states.outputOnly());
        new BatchSimulator(m, Scheme.EULER, PROTOCOL, 1e-3, 1, 5).inPrecision(Precision.FLOAT32).run(params, both);
        for (int i = 0; i < params.length; i++) {
            assertArrayEquals(alone[i], ev.evoked()[i], "simulation " + i);
        }
        double[] s = states.data()[4];
        assertTrue(s[s.length - 1] != 0 && s[s.length - 6] != 0, "every state row was widened");
    }

    @Test
    void theOutputOfTheFloatStateIsThatOfTheWidenedState() {
        JansenRit m = new JansenRit(Convention.DEEPJR, 0, 2.0);
        for (int lanes : new int[] {1, 16, 19, 35}) { // whole vectors and a scalar tail
            java.util.Random rng = new java.util.Random(lanes);
            float[] y = new float[6 * lanes];
            double[] wide = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(7) - 3));
                wide[i] = y[i];
            }
            double[] expected = new double[lanes];
            double[] got = new double[lanes];
            m.output(wide, expected, lanes);
            m.output(y, got, lanes);
            assertArrayEquals(expected, got, "lanes " + lanes);
        }
    }

    @Test
    void floatIsRefusedWhereItIsNotBuilt() {
        JansenRit m = new JansenRit(Convention.DEEPJR);
        var heun = new BatchSimulator(m, Scheme.of("heun"), PROTOCOL, 1e-3, 1, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> heun.inPrecision(Precision.FLOAT32));
        assertTrue(e.getMessage().contains("precision") && e.getMessage().contains("heun"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Precision.of("float16"));
        assertTrue(bad.getMessage().contains("valid: float64, float32"), bad.getMessage());
    }
}
