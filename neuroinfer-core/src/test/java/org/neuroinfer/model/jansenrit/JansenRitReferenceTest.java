package org.neuroinfer.model.jansenrit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.integrate.BatchSimulator;
import org.neuroinfer.integrate.Recorder;
import org.neuroinfer.integrate.Scheme;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedRecorder;
import org.neuroinfer.observe.SignalRecorder;
import org.neuroinfer.param.ParameterFile;
import org.neuroinfer.stimulus.Protocol;

/** Every case of shared/reference/jr within the README's tolerances (section 5). */
class JansenRitReferenceTest {

    static Stream<Path> cases() throws IOException {
        Path dir = SharedFolder.require().resolve("reference/jr");
        Stream<Path> s = Files.list(dir).filter(p -> p.getFileName().toString().startsWith("case_")).sorted();
        return s.toList().stream();
    }

    /** Runs the full 61-s protocol and returns {states, output, evoked}. */
    static double[][] simulate(Path caseDir, Scheme scheme, double dt) throws IOException {
        ParameterFile pf = ParameterFile.read(caseDir.resolve("params.json"));
        JansenRit model = new JansenRit(Convention.of(pf.convention().orElseThrow()));
        double[] params = model.parameterSpace().withValues(pf.valuesIn(model.parameterSpace()), false);
        Protocol protocol = Protocol.benchmark();
        SignalRecorder states = SignalRecorder.states(model, 1, protocol.nSamples());
        SignalRecorder output = SignalRecorder.output(model, 1, protocol.nSamples());
        EvokedRecorder evoked = new EvokedRecorder(model, protocol, EpochWindow.benchmark(), 1);
        assertEquals(59, evoked.epochs());
        new BatchSimulator(model, scheme, protocol, dt, 1, 0)
                .run(new double[][] {params}, Recorder.both(states, Recorder.both(output, evoked)));
        return new double[][] {states.data()[0], output.data()[0], evoked.evoked()[0]};
    }

    static double ptp(double[] x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }

    /** max |a - ref| / ptp(ref) over the reference's length. */
    static double relError(double[] a, double[] ref) {
        double m = 0;
        for (int i = 0; i < ref.length; i++) {
            m = Math.max(m, Math.abs(a[i] - ref[i]));
        }
        return m / ptp(ref);
    }

    static void check(Path caseDir, double[][] sim, String kind, double tol) throws IOException {
        NpyArray states = Npy.load(caseDir.resolve("states_" + kind + ".npy"));
        NpyArray output = Npy.load(caseDir.resolve("output_" + kind + ".npy"));
        NpyArray evoked = Npy.load(caseDir.resolve("evoked_" + kind + ".npy"));
        int n = output.shape()[0];
        assertEquals(2000, n);
        double worstState = 0;
        for (int s = 0; s < 6; s++) {
            double[] ref = new double[n];
            double[] got = new double[n];
            for (int k = 0; k < n; k++) {
                ref[k] = states.data()[k * 6 + s];
                got[k] = sim[0][k * 6 + s];
            }
            double e = relError(got, ref);
            worstState = Math.max(worstState, e);
            assertTrue(e <= tol, caseDir.getFileName() + " " + kind + " state y" + s + ": " + e + " > " + tol);
        }
        double eo = relError(sim[1], output.data());
        System.out.printf("%s %s: output %.3g, evoked %.3g, worst state %.3g (x ptp)%n", caseDir.getFileName(),
                kind, eo, relError(sim[2], evoked.data()), worstState);
        assertTrue(eo <= tol, caseDir.getFileName() + " " + kind + " output: " + eo + " > " + tol);
        double ee = relError(sim[2], evoked.data());
        assertTrue(ee <= tol, caseDir.getFileName() + " " + kind + " evoked: " + ee + " > " + tol);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void seedEulerAtOneMillisecondMatchesTheSeedScheme(Path caseDir) throws IOException {
        check(caseDir, simulate(caseDir, Scheme.EULER, 1e-3), "euler", 1e-9);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rk4AtATenthOfAMillisecondMatchesTheExactSolution(Path caseDir) throws IOException {
        check(caseDir, simulate(caseDir, Scheme.RK4, 1e-4), "exact", 1e-6);
    }

    /** Heun is second order: at 10 us it meets the tolerance at the defaults and at the range edges (deepjr). */
    @ParameterizedTest
    @MethodSource("heunCases")
    void heunAtTenMicrosecondsMatchesTheExactSolution(Path caseDir) throws IOException {
        check(caseDir, simulate(caseDir, Scheme.HEUN, 1e-5), "exact", 1e-6);
    }

    static Stream<Path> heunCases() throws IOException {
        return cases().filter(p -> p.getFileName().toString().matches("case_0[14]_.*"));
    }
}
