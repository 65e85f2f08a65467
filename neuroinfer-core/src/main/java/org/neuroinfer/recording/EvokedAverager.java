package org.neuroinfer.recording;

import java.util.Arrays;
import java.util.function.DoubleConsumer;
import org.neuroinfer.observe.EpochWindow;

/**
 * The evoked response of a continuous recording: an epoch around each event, resampled to the target rate
 * ({@link SincResampler}), re-referenced to the average of its channels, baseline-corrected, rejected when a
 * channel's peak-to-peak amplitude exceeds a threshold, and averaged — MNE's {@code Epochs(..., baseline,
 * reject).average()} after {@code set_eeg_reference('average')}, with the window of the target.
 */
public final class EvokedAverager {
    private EvokedAverager() {
    }

    /**
     * An evoked response and how it was made.
     *
     * @param data       [channels][samples] in volts
     * @param layout     channel names, rate, start time and unit (V)
     * @param epochs     epochs averaged
     * @param rejected   epochs left out for their amplitude
     * @param incomplete events whose window (with the resampler's margin) runs past the recording
     * @param medianSd   median over epochs and channels of the within-epoch standard deviation, V
     */
    public record Evoked(float[][] data, RecordingLayout layout, int epochs, int rejected, int incomplete,
                         double medianSd) {
    }

    /**
     * Averages the epochs of {@code volts} [channels][samples] at {@code rate} around {@code events}.
     *
     * @param names          the channels' names (the target's order)
     * @param window         epoch window and baseline in target samples from the event
     * @param targetRate     samples per second of the result
     * @param rejectVolts    largest peak-to-peak amplitude an epoch may have on any channel, V (0: keep every epoch)
     * @param averageRef     re-reference each epoch to the mean of its channels
     * @param plausibility   told the median within-epoch standard deviation (V) before any epoch is rejected; may
     *                       throw to refuse the recording
     * @throws IllegalArgumentException if no event has a complete epoch or every epoch is rejected
     */
    public static Evoked average(float[][] volts, double rate, Events events, java.util.List<String> names,
                                 EpochWindow window, double targetRate, double rejectVolts, boolean averageRef,
                                 DoubleConsumer plausibility) {
        int c = volts.length;
        int t = window.length();
        int n = volts[0].length;
        SincResampler rs = new SincResampler(rate, targetRate);
        double[] w = new double[rs.taps()];
        boolean same = rate == targetRate; // whole-sample onsets at the same rate: the samples themselves
        int b0 = window.baseFrom() - window.start();
        int b1 = window.baseTo() - window.start();
        java.util.List<double[][]> kept = new java.util.ArrayList<>();
        int incomplete = 0;
        double[] sds = new double[0];
        int nsd = 0;
        for (int e = 0; e < events.size(); e++) {
            int onset = events.samples()[e];
            double[][] ep = new double[c][t];
            if (same) {
                if (onset + window.start() < 0 || onset + window.end() > n - 1) {
                    incomplete++;
                    continue;
                }
                for (int ch = 0; ch < c; ch++) {
                    for (int k = 0; k < t; k++) {
                        ep[ch][k] = volts[ch][onset + window.start() + k];
                    }
                }
            } else {
                double first = onset + window.start() * rate / targetRate;
                double last = onset + window.end() * rate / targetRate;
                if (Math.floor(first) - rs.halfWidth() + 1 < 0 || Math.floor(last) + rs.halfWidth() > n - 1) {
                    incomplete++;
                    continue;
                }
                for (int k = 0; k < t; k++) {
                    int at = rs.weights(onset + (window.start() + k) * rate / targetRate, w);
                    for (int ch = 0; ch < c; ch++) {
                        float[] x = volts[ch];
                        double s = 0;
                        for (int j = 0; j < w.length; j++) {
                            s += w[j] * x[at + j];
                        }
                        ep[ch][k] = s;
                    }
                }
            }
            if (averageRef) {
                for (int k = 0; k < t; k++) {
                    double m = 0;
                    for (int ch = 0; ch < c; ch++) {
                        m += ep[ch][k];
                    }
                    m /= c;
                    for (int ch = 0; ch < c; ch++) {
                        ep[ch][k] -= m;
                    }
                }
            }
            if (nsd + c > sds.length) {
                sds = Arrays.copyOf(sds, Math.max(64, 2 * sds.length + c));
            }
            for (double[] ch : ep) {
                double base = 0;
                for (int k = b0; k <= b1; k++) {
                    base += ch[k];
                }
                base /= b1 - b0 + 1;
                double m = 0;
                for (int k = 0; k < t; k++) {
                    ch[k] -= base;
                    m += ch[k];
                }
                m /= t;
                double ss = 0;
                for (double v : ch) {
                    ss += (v - m) * (v - m);
                }
                sds[nsd++] = Math.sqrt(ss / Math.max(1, t - 1));
            }
            kept.add(ep);
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("none of the " + events.size() + " events has a complete epoch ("
                    + window.start() / targetRate + " .. " + window.end() / targetRate + " s around it) inside the "
                    + "recording of " + n / rate + " s");
        }
        double[] sorted = Arrays.copyOf(sds, nsd);
        Arrays.sort(sorted);
        double medianSd = sorted[nsd / 2];
        plausibility.accept(medianSd);
        double[][] sum = new double[c][t];
        int used = 0;
        for (double[][] ep : kept) {
            if (rejectVolts > 0 && peakToPeak(ep) > rejectVolts) {
                continue;
            }
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < t; k++) {
                    sum[ch][k] += ep[ch][k];
                }
            }
            used++;
        }
        if (used == 0) {
            throw new IllegalArgumentException("every one of the " + kept.size() + " epochs exceeds the rejection "
                    + "threshold of " + rejectVolts * 1e6 + " uV peak to peak on some channel; raise --reject or give "
                    + "--reject 0 to keep every epoch");
        }
        float[][] avg = new float[c][t];
        for (int ch = 0; ch < c; ch++) {
            for (int k = 0; k < t; k++) {
                avg[ch][k] = (float) (sum[ch][k] / used);
            }
        }
        RecordingLayout layout = new RecordingLayout(names, targetRate, window.start() / targetRate, "V");
        return new Evoked(avg, layout, used, kept.size() - used, incomplete, medianSd);
    }

    private static double peakToPeak(double[][] ep) {
        double worst = 0;
        for (double[] ch : ep) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : ch) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            worst = Math.max(worst, hi - lo);
        }
        return worst;
    }
}
