package org.neuroinfer.observe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;

/**
 * Samples, exactly in distribution, what white sensor noise added to a continuous recording becomes after epoching,
 * baseline correction and averaging, without generating the continuous noise.
 *
 * <p>The evoked response is linear in the continuous noise: each sample s adds to the epoch sums S(j) at the
 * window positions j = s - e_n - start of every epoch n whose window holds it. Samples with the same set of
 * positions (their pattern) enter only through their sum, a Gaussian of variance count sigma^2, so one draw per
 * pattern suffices: about 1,400 per channel for the benchmark's 59 overlapping epochs instead of 59,201.
 */
public final class EvokedNoise {
    private final EpochWindow window;
    private final int epochs;
    /** Pattern p stands for counts[p] samples and adds to positions flat[starts[p]] to flat[starts[p + 1] - 1]. */
    private final double[] sqrtCounts;
    private final int[] flat;
    private final int[] starts;

    /** The sampler for the complete epochs of {@code onsets} in a recording of {@code nSamples} samples. */
    public EvokedNoise(int[] onsets, int nSamples, EpochWindow window) {
        int[] ok = window.completeEpochs(onsets, nSamples);
        if (ok.length == 0) {
            throw new IllegalArgumentException("no complete epoch in a recording of " + nSamples + " samples");
        }
        this.window = window;
        this.epochs = ok.length;
        Map<Integer, List<Integer>> bySample = new HashMap<>();
        for (int e : ok) {
            for (int j = 0; j < window.length(); j++) {
                bySample.computeIfAbsent(e + window.start() + j, k -> new ArrayList<>()).add(j);
            }
        }
        Map<List<Integer>, Integer> count = new java.util.TreeMap<>((a, b) -> {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    return Integer.compare(a.get(i), b.get(i));
                }
            }
            return Integer.compare(a.size(), b.size());
        });
        for (List<Integer> js : bySample.values()) {
            java.util.Collections.sort(js);
            count.merge(js, 1, Integer::sum);
        }
        int[][] positions = new int[count.size()][];
        sqrtCounts = new double[count.size()];
        int p = 0;
        for (var e : count.entrySet()) {
            positions[p] = e.getKey().stream().mapToInt(Integer::intValue).toArray();
            sqrtCounts[p] = Math.sqrt(e.getValue());
            p++;
        }
        starts = new int[positions.length + 1];
        for (int q = 0; q < positions.length; q++) {
            starts[q + 1] = starts[q] + positions[q].length;
        }
        flat = new int[starts[positions.length]];
        for (int q = 0; q < positions.length; q++) {
            System.arraycopy(positions[q], 0, flat, starts[q], positions[q].length);
        }
    }

    /** Number of independent draws per channel (the number of patterns). */
    public int drawsPerChannel() {
        return sqrtCounts.length;
    }

    /** Number of epochs averaged. */
    public int epochs() {
        return epochs;
    }

    /**
     * Adds the evoked noise of every channel to {@code evoked} [channels x window length], row-major, for sensor
     * noise {@code noise} per continuous sample.
     */
    public void addTo(double[] evoked, SensorNoise noise, NormalizedGaussianSampler gauss) {
        int len = window.length();
        int n = noise.size();
        if (evoked.length != n * len) {
            throw new IllegalArgumentException("evoked of " + evoked.length + " values is not " + n
                    + " channels x " + len + " times");
        }
        if (noise.isDiagonal()) {
            // channel by channel: the draws are taken channel-major, so one channel's sums need only its own
            double[] sd = noise.sd();
            double[] sums = new double[len];
            for (int c = 0; c < n; c++) {
                java.util.Arrays.fill(sums, 0);
                double s = sd[c];
                for (int p = 0; p < sqrtCounts.length; p++) {
                    double z = s * sqrtCounts[p] * gauss.sample();
                    for (int k = starts[p], end = starts[p + 1]; k < end; k++) {
                        sums[flat[k]] += z;
                    }
                }
                averageInto(evoked, c * len, sums, 0);
            }
            return;
        }
        double[] sums = new double[n * len];
        double[][] l = noise.cholesky();
        double[] w = new double[n];
        for (int p = 0; p < sqrtCounts.length; p++) {
            for (int c = 0; c < n; c++) {
                w[c] = sqrtCounts[p] * gauss.sample();
            }
            for (int c = 0; c < n; c++) {
                double z = 0;
                for (int k = 0; k <= c; k++) {
                    z += l[c][k] * w[k];
                }
                for (int k = starts[p], end = starts[p + 1]; k < end; k++) {
                    sums[c * len + flat[k]] += z;
                }
            }
        }
        for (int c = 0; c < n; c++) {
            averageInto(evoked, c * len, sums, c * len);
        }
    }

    /** Adds one channel's epoch sums {@code sums[from..]}, baseline-corrected and averaged, to {@code evoked[off..]}. */
    private void averageInto(double[] evoked, int off, double[] sums, int from) {
        int len = window.length();
        int b0 = window.baseFrom() - window.start();
        int b1 = window.baseTo() - window.start();
        double base = 0;
        for (int j = b0; j <= b1; j++) {
            base += sums[from + j];
        }
        base /= (b1 - b0 + 1);
        for (int j = 0; j < len; j++) {
            evoked[off + j] += (sums[from + j] - base) / epochs;
        }
    }
}
