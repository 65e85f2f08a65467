package org.neuroinfer.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;

/** The pattern sampler against the exact covariance of epoching white noise, E = M eps, Cov = sigma^2 M M^T. */
class EvokedNoiseTest {

    /** Row j of M: the weight of every continuous sample in evoked(j). */
    static double[] weights(int[] onsets, int n, EpochWindow w, int j) {
        int[] ok = w.completeEpochs(onsets, n);
        double[] m = new double[n];
        int nb = w.baseTo() - w.baseFrom() + 1;
        for (int e : ok) {
            m[e + w.start() + j] += 1.0 / ok.length;
            for (int b = w.baseFrom(); b <= w.baseTo(); b++) {
                m[e + b] -= 1.0 / ok.length / nb;
            }
        }
        return m;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void benchmarkNeedsFewDrawsAndAveragesFiftyNineEpochs() {
        Protocol p = Protocol.benchmark();
        EvokedNoise en = new EvokedNoise(p.onsets(), p.nSamples(), EpochWindow.benchmark());
        assertEquals(59, en.epochs());
        // 799 positions seen by one epoch each, 201 x 3 patterns where consecutive windows overlap
        assertEquals(1402, en.drawsPerChannel());
    }

    @Test
    void covarianceMatchesTheExactLinearMap() {
        // a short protocol keeps the exact covariance cheap: 6 epochs with overlapping windows
        Protocol p = Protocol.benchmark().withDuration(8);
        EpochWindow w = EpochWindow.benchmark();
        EvokedNoise en = new EvokedNoise(p.onsets(), p.nSamples(), w);
        int[][] pairs = {{0, 0}, {0, 1000}, {100, 100}, {600, 600}, {1100, 1100}, {100, 600}, {200, 1200}};
        double sigma = 1.0;
        int draws = 40_000;
        double[][] sums = new double[pairs.length][1];
        double[] ev = new double[w.length()];
        double[] work = new double[w.length()];
        var g = ZigguratSampler.NormalizedGaussian.of(RandomStreams.stream(5, 0));
        for (int d = 0; d < draws; d++) {
            java.util.Arrays.fill(ev, 0);
            en.addTo(ev, SensorNoise.diagonal(new double[] {sigma}), g);
            for (int k = 0; k < pairs.length; k++) {
                sums[k][0] += ev[pairs[k][0]] * ev[pairs[k][1]];
            }
        }
        for (int k = 0; k < pairs.length; k++) {
            double exact = sigma * sigma * dot(weights(p.onsets(), p.nSamples(), w, pairs[k][0]),
                    weights(p.onsets(), p.nSamples(), w, pairs[k][1]));
            double got = sums[k][0] / draws;
            // sampling error of a product moment: about sqrt(2 / draws) x the variance scale (1/6)
            assertEquals(exact, got, 4 * Math.sqrt(2.0 / draws) / 6, "cov at " + pairs[k][0] + "," + pairs[k][1]);
        }
        double v0 = dot(weights(p.onsets(), p.nSamples(), w, 0), weights(p.onsets(), p.nSamples(), w, 1000));
        assertTrue(Math.abs(v0) > 0.01, "the overlap makes positions 0 and 1000 correlated: " + v0);
    }
}
