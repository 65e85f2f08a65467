package org.neuroinfer.observe;

/**
 * An epoch window around each event, in samples relative to the onset, with the baseline interval subtracted per
 * epoch: the semantics of MNE {@code Epochs(tmin, tmax, baseline=(bmin, bmax))}, both ends inclusive.
 *
 * @param start    first sample of the window (e.g. -200 for tmin = -0.2 s at 1 kHz)
 * @param end      last sample of the window (e.g. 1000)
 * @param baseFrom first baseline sample (e.g. -200)
 * @param baseTo   last baseline sample (e.g. 0)
 */
public record EpochWindow(int start, int end, int baseFrom, int baseTo) {

    public EpochWindow {
        if (end < start) {
            throw new IllegalArgumentException("epoch window end " + end + " is before its start " + start);
        }
        if (baseFrom < start || baseTo > end || baseTo < baseFrom) {
            throw new IllegalArgumentException("baseline [" + baseFrom + ", " + baseTo
                    + "] must lie inside the epoch window [" + start + ", " + end + "]");
        }
    }

    /** The seed benchmark's window: -0.2 .. 1.0 s with the pre-stimulus baseline, at 1 kHz. */
    public static EpochWindow benchmark() {
        return new EpochWindow(-200, 1000, -200, 0);
    }

    /** Times of the window's samples from the stimulus, in seconds, at sampling rate {@code sfreq}. */
    public double[] times(double sfreq) {
        double[] t = new double[length()];
        for (int j = 0; j < t.length; j++) {
            t[j] = (start + j) / sfreq;
        }
        return t;
    }

    /** Number of samples per epoch. */
    public int length() {
        return end - start + 1;
    }

    /** The onsets whose whole window fits into a recording of {@code nSamples} samples. */
    public int[] completeEpochs(int[] onsets, int nSamples) {
        return java.util.Arrays.stream(onsets).filter(e -> e + start >= 0 && e + end <= nSamples - 1).toArray();
    }
}
