package org.neuroinfer.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neuroinfer.integrate.BatchSimulator;
import org.neuroinfer.integrate.Recorder;
import org.neuroinfer.integrate.Scheme;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.observe.head.SphericalHead;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;

class EegProjectionTest {
    private static final JansenRit MODEL = new JansenRit(Convention.DEEPJR);

    @Test
    void noiselessProjectionIsTheScaledAverageReferencedTopography() {
        EegProjection p = EegProjection.benchmark(1e-6, 0);
        SphericalHead head = SphericalHead.fourShell();
        double[][] src = {LeadField.benchmarkSource()};
        double[] g = LeadField.fixed(head, Montage.biosemi64(), src, LeadField.radial(head, src)).averageReferenced()
                .column(0);
        double[] evoked = {0.0, -0.01, 0.002};
        double[] x = p.observe(evoked, null, null);
        for (int c = 0; c < 64; c++) {
            for (int t = 0; t < 3; t++) {
                assertEquals(1e-6 * g[c] * evoked[t], x[c * 3 + t], 1e-30);
            }
        }
    }

    @Test
    void noiseHasTheVarianceOfFiftyNineBaselineCorrectedEpochs() {
        Protocol protocol = Protocol.benchmark();
        EvokedNoise sampler = new EvokedNoise(protocol.onsets(), protocol.nSamples(), EpochWindow.benchmark());
        double factor = 2.5;
        EegProjection p = EegProjection.benchmark(1e-6, factor);
        double[] zero = new double[1201];
        double sum = 0;
        int count = 0;
        for (int r = 0; r < 40; r++) {
            double[] x = p.observe(zero, sampler, RandomStreams.stream(9, r, RandomStreams.EEG_NOISE));
            for (int c = 0; c < 64; c++) {
                for (int j = 300; j < 900; j++) {
                    sum += x[c * 1201 + j] * x[c * 1201 + j];
                    count++;
                }
            }
        }
        // away from the baseline and the overlaps: (1/59) sigma^2 f (1 + 1/201)
        double expected = 0.2e-6 * 0.2e-6 * factor / 59 * (1 + 1.0 / 201);
        assertEquals(expected, sum / count, 0.01 * expected);
    }

    @Test
    void snrFromTheMeanSquareEqualsTheSnrOfTheContinuousEeg() {
        Protocol protocol = Protocol.benchmark().withDuration(5);
        SignalRecorder cont = SignalRecorder.output(MODEL, 1, protocol.nSamples());
        EvokedRecorder ev = new EvokedRecorder(MODEL, protocol, EpochWindow.benchmark(), 1);
        new BatchSimulator(MODEL, Scheme.EULER, protocol, 1e-3, 1, 0)
                .run(new double[][] {MODEL.parameterSpace().defaults()}, Recorder.both(cont, ev));
        EegProjection p = EegProjection.benchmark(1e-6, 0.3);
        double[] clean = p.clean(cont.data()[0]);
        assertEquals(p.noise().snrDb(clean), p.snrDb(ev.meanSquare()[0]), 1e-9);
    }
}
