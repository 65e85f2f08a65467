package org.neuroinfer.integrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedRecorder;
import org.neuroinfer.observe.SignalRecorder;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;

/** Batch equals one-at-a-time, results independent of thread count, determinism, divergence detection. */
class BatchInvariantTest {
    private static final Protocol SHORT = Protocol.benchmark().withDuration(3.5);

    static double[][] draws(JansenRit m, int n, long seed) {
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = m.parameterSpace().sample(RandomStreams.stream(seed, i));
        }
        return p;
    }

    static double[][] run(JansenRit m, Scheme s, double dt, double[][] params, int threads, long seed) {
        SignalRecorder rec = SignalRecorder.output(m, params.length, SHORT.nSamples());
        new BatchSimulator(m, s, SHORT, dt, threads, seed).run(params, rec);
        return rec.data();
    }

    @Test
    void batchEqualsOneAtATimeBitForBit() {
        for (Convention c : Convention.values()) {
            JansenRit m = new JansenRit(c);
            double[][] params = draws(m, 37, 7);
            for (Scheme s : Scheme.all()) {
                double dt = s == Scheme.EULER ? 1e-3 : 5e-4;
                double[][] batch = run(m, s, dt, params, 1, 0);
                for (int i = 0; i < params.length; i += 6) {
                    double[][] one = run(m, s, dt, new double[][] {params[i]}, 1, 0);
                    assertArrayEquals(one[0], batch[i], c + " " + s.name() + " simulation " + i);
                }
            }
        }
    }

    @Test
    void fusedEulerStepEqualsTheGenericStep() {
        JansenRit m = new JansenRit(Convention.CLASSIC_MV);
        int lanes = org.neuroinfer.numeric.VectorMath.padToSpecies(24);
        double[] c = new double[m.coefficientCount() * lanes];
        double[][] params = draws(m, lanes, 21);
        double[] y = new double[6 * lanes];
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (int l = 0; l < lanes; l++) {
            m.coefficients(params[l], c, l, lanes);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble(-5, 5);
        }
        // a model that only delegates the right-hand side, so it takes the interface's default Euler step
        org.neuroinfer.model.BatchModel generic = new org.neuroinfer.model.BatchModel() {
            public String name() {
                return m.name();
            }

            public String[] stateNames() {
                return m.stateNames();
            }

            public String[] stateUnits() {
                return m.stateUnits();
            }

            public String outputUnit() {
                return m.outputUnit();
            }

            public org.neuroinfer.param.ParameterSpace parameterSpace() {
                return m.parameterSpace();
            }

            public int coefficientCount() {
                return m.coefficientCount();
            }

            public void coefficients(double[] p, double[] cc, int lane, int n) {
                m.coefficients(p, cc, lane, n);
            }

            public void derivatives(double t, double[] yy, double[] cc, double u, double[] dy, int n) {
                m.derivatives(t, yy, cc, u, dy, n);
            }

            public void output(double[] yy, double[] out, int n) {
                m.output(yy, out, n);
            }
        };
        double[] noise = new double[6 * lanes];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextDouble(-0.01, 0.01);
        }
        for (double[] nz : new double[][] {null, noise}) {
            double[] a = y.clone();
            double[] b = y.clone();
            double[] work = new double[6 * lanes];
            for (int step = 0; step < 50; step++) {
                m.eulerStep(0, 1e-3, a, c, step < 20 ? 1 : 0, nz, work, lanes);
                generic.eulerStep(0, 1e-3, b, c, step < 20 ? 1 : 0, nz, work, lanes);
            }
            assertArrayEquals(b, a, nz == null ? "deterministic" : "with noise");
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        JansenRit m = new JansenRit(Convention.DEEPJR);
        double[][] params = draws(m, 150, 11);
        double[][] one = run(m, Scheme.HEUN, 1e-3, params, 1, 0);
        for (int threads : new int[] {2, 3, 7}) {
            double[][] many = run(m, Scheme.HEUN, 1e-3, params, threads, 0);
            for (int i = 0; i < params.length; i++) {
                assertArrayEquals(one[i], many[i], "threads " + threads + " simulation " + i);
            }
        }
    }

    @Test
    void noisyRunsDependOnlyOnSeedAndIndex() {
        JansenRit m = new JansenRit(Convention.DEEPJR).withInput(0, 5.0);
        double[][] params = draws(m, 20, 3);
        double[][] a = run(m, Scheme.EULER, 1e-3, params, 1, 99);
        double[][] b = run(m, Scheme.EULER, 1e-3, params, 3, 99);
        double[][] tail = run(m, Scheme.EULER, 1e-3, Arrays.copyOfRange(params, 13, 20), 2, 99);
        double[][] other = run(m, Scheme.EULER, 1e-3, params, 1, 100);
        for (int i = 0; i < params.length; i++) {
            assertArrayEquals(a[i], b[i], "thread count changed simulation " + i);
            assertFalse(Arrays.equals(a[i], other[i]), "another seed gave the same noise for simulation " + i);
        }
        // a run of a sub-range gives other noise (streams are per index in the run), but is itself reproducible
        assertArrayEquals(tail[0], run(m, Scheme.EULER, 1e-3, Arrays.copyOfRange(params, 13, 20), 1, 99)[0]);
        double[][] quiet = run(new JansenRit(Convention.DEEPJR), Scheme.EULER, 1e-3, params, 1, 99);
        assertFalse(Arrays.equals(a[0], quiet[0]), "noise had no effect");
    }

    @Test
    void streamedEvokedEqualsEpochingTheContinuousSignal() {
        JansenRit m = new JansenRit(Convention.DEEPJR);
        Protocol p = Protocol.benchmark().withDuration(8);
        double[][] params = draws(m, 9, 5);
        SignalRecorder cont = SignalRecorder.output(m, params.length, p.nSamples());
        EvokedRecorder ev = new EvokedRecorder(m, p, EpochWindow.benchmark(), params.length);
        new BatchSimulator(m, Scheme.EULER, p, 1e-3, 2, 0).run(params, Recorder.both(cont, ev));
        assertEquals(6, ev.epochs(), "epochs at 1..6 s fit into 8 s, the one at 7 s does not");
        for (int i = 0; i < params.length; i++) {
            double[] offline = EvokedRecorder.of(cont.data()[i], p.onsets(), EpochWindow.benchmark());
            assertArrayEquals(offline, ev.evoked()[i], 1e-15 * 0.02, "simulation " + i);
        }
    }

    @Test
    void divergenceNamesTheSampleAndTheParameterSet() {
        JansenRit m = new JansenRit(Convention.DEEPJR);
        double[] ok = m.parameterSpace().defaults();
        double[] unstable = ok.clone();
        unstable[3] = 5000; // b_i far outside its range: forward Euler at 1 ms is unstable for b_i > 2000 s^-1
        var e = assertThrows(DivergenceException.class,
                () -> run(m, Scheme.EULER, 1e-3, new double[][] {ok, ok, unstable, ok}, 2, 0));
        assertEquals(2, e.simulation());
        assertTrue(e.sample() > 0 && e.sample() < SHORT.nSamples());
        assertTrue(e.getMessage().contains("b_i=5000.0"), e.getMessage());
        assertTrue(e.getMessage().contains("simulation 2"), e.getMessage());
        assertTrue(e.getMessage().contains("integration step " + e.sample()), e.getMessage());
        // continuing: the diverged one is reported, the others are exactly what they are without it
        JansenRit mm = m;
        SignalRecorder rec = SignalRecorder.output(mm, 4, SHORT.nSamples());
        int[] bad = new BatchSimulator(mm, Scheme.EULER, SHORT, 1e-3, 2, 0).continuingOnDivergence()
                .run(new double[][] {ok, ok, unstable, ok}, rec);
        assertArrayEquals(new int[] {2}, bad);
        assertArrayEquals(run(m, Scheme.EULER, 1e-3, new double[][] {ok}, 1, 0)[0], rec.data()[3]);
        assertTrue(Arrays.stream(rec.data()[2]).anyMatch(v -> !Double.isFinite(v)));
        // the same set integrates at a step small enough for it
        double[][] fine = run(m, Scheme.RK4, 1e-4, new double[][] {unstable}, 1, 0);
        assertTrue(Arrays.stream(fine[0]).allMatch(Double::isFinite));
    }
}
