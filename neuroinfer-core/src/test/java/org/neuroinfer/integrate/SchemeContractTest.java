package org.neuroinfer.integrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuroinfer.observe.SignalRecorder;
import org.neuroinfer.stimulus.Protocol;

/** One contract every scheme must meet: its stated order on a problem with a known solution; noise where claimed. */
class SchemeContractTest {

    static Stream<Scheme> schemes() {
        return Scheme.all().stream();
    }

    static Stream<Scheme> noisySchemes() {
        return Scheme.all().stream().filter(Scheme::supportsNoise);
    }

    /** Free oscillation from x(0) = 0 kicked by a unit input over the first sample; error at t = 1 s vs exact. */
    private static double error(Scheme s, double dt) {
        TestModels.Oscillator m = new TestModels.Oscillator();
        // 1 kHz protocol of 1 s, one pulse of 1 sample at t = 0: input 1 on [0, 1 ms)
        Protocol p = new Protocol(1000, 1001, new int[] {0}, 1);
        SignalRecorder rec = SignalRecorder.output(m, 1, p.nSamples());
        double w = 60;
        double z = 0.1;
        new BatchSimulator(m, s, p, dt, 1, 0).run(new double[][] {{w, z}}, rec);
        // exact: forced response on [0, T0] from rest, then free response
        double t0 = 1e-3;
        double wd = w * Math.sqrt(1 - z * z);
        double x0 = (1 - Math.exp(-z * w * t0) * (Math.cos(wd * t0) + z * w / wd * Math.sin(wd * t0))) / (w * w);
        double v0 = Math.exp(-z * w * t0) * Math.sin(wd * t0) / wd;
        double t = 1.0 - t0;
        double exact = Math.exp(-z * w * t) * (x0 * Math.cos(wd * t) + (v0 + z * w * x0) / wd * Math.sin(wd * t));
        return Math.abs(rec.data()[0][1000] - exact);
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void convergesAtItsStatedOrder(Scheme s) {
        // steps in each scheme's asymptotic range, above rounding: euler 1/64 ms, heun 1/8 ms, rk4 1/2 ms
        int div = s.order() == 1 ? 64 : s.order() == 2 ? 8 : 2;
        double e1 = error(s, 1e-3 / div);
        double e2 = error(s, 1e-3 / (2 * div));
        double order = Math.log(e1 / e2) / Math.log(2);
        assertEquals(s.order(), order, 0.15, s.name() + " observed order " + order + " (errors " + e1 + ", " + e2
                + ")");
    }

    @ParameterizedTest
    @MethodSource("noisySchemes")
    void reachesTheOrnsteinUhlenbeckStationaryVariance(Scheme s) {
        TestModels.OrnsteinUhlenbeck m = new TestModels.OrnsteinUhlenbeck();
        int n = 512;
        double theta = 5;
        double sigma = 2;
        double[][] params = new double[n][];
        for (int i = 0; i < n; i++) {
            params[i] = new double[] {theta, sigma};
        }
        Protocol p = new Protocol(1000, 4001, new int[0], 0);
        SignalRecorder rec = SignalRecorder.output(m, n, p.nSamples());
        new BatchSimulator(m, s, p, 1e-4, 2, 42).run(params, rec);
        // pool samples after 1 s (5 relaxation times), every 50 ms (a quarter relaxation time)
        double sum = 0;
        double sq = 0;
        int count = 0;
        for (double[] x : rec.data()) {
            for (int k = 1000; k < x.length; k += 50) {
                sum += x[k];
                sq += x[k] * x[k];
                count++;
            }
        }
        double mean = sum / count;
        double var = sq / count - mean * mean;
        double expected = sigma * sigma / (2 * theta);
        assertEquals(expected, var, 0.04 * expected, s.name() + " variance");
        assertEquals(0, mean, 0.03, s.name() + " mean");
    }

    @Test
    void rk4RefusesNoisyModels() {
        TestModels.OrnsteinUhlenbeck m = new TestModels.OrnsteinUhlenbeck();
        Protocol p = new Protocol(1000, 10, new int[0], 0);
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchSimulator(m, Scheme.RK4, p, 1e-3, 1, 0)
                .run(new double[][] {{1, 1}}, SignalRecorder.output(m, 1, 10)));
        assertTrue(e.getMessage().contains("euler"), e.getMessage());
    }

    @Test
    void stepMustDivideTheSamplingInterval() {
        TestModels.Oscillator m = new TestModels.Oscillator();
        Protocol p = new Protocol(1000, 10, new int[0], 0);
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchSimulator(m, Scheme.EULER, p, 3e-4, 1, 0));
        assertTrue(e.getMessage().contains("divide"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchSimulator(m, Scheme.EULER, p, -1e-3, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchSimulator(m, Scheme.EULER, p, Double.NaN, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchSimulator(m, Scheme.EULER, p, 2e-3, 1, 0));
    }
}
