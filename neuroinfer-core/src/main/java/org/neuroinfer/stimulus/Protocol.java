package org.neuroinfer.stimulus;

import java.util.Arrays;

/**
 * An event-related stimulation protocol sampled at {@code sfreq}: rectangular unit pulses of {@code pulseSamples}
 * samples starting at the onset samples. The input is piecewise constant: I(t) = 1 on [e dt, (e + pulse) dt).
 *
 * @param sfreq        sampling (and output) rate in Hz
 * @param nSamples     number of samples, t_k = k / sfreq for k = 0 .. nSamples-1
 * @param onsets       stimulus onset samples, ascending
 * @param pulseSamples pulse length in samples
 */
public record Protocol(double sfreq, int nSamples, int[] onsets, int pulseSamples) {

    public Protocol {
        if (!(sfreq > 0) || Double.isInfinite(sfreq)) {
            throw new IllegalArgumentException("sampling rate must be a positive finite number of Hz, got " + sfreq);
        }
        if (nSamples < 1) {
            throw new IllegalArgumentException("duration must be at least one sample, got " + nSamples + " samples");
        }
        if (pulseSamples < 0) {
            throw new IllegalArgumentException("pulse length must be >= 0 samples, got " + pulseSamples);
        }
        onsets = onsets.clone();
        for (int i = 1; i < onsets.length; i++) {
            if (onsets[i] <= onsets[i - 1]) {
                throw new IllegalArgumentException("stimulus onsets must be strictly ascending");
            }
        }
    }

    /**
     * The seed benchmark's protocol (deepjr EventRelatedExp): 61 s at 1 kHz, 60 pulses of 50 ms at 1, 2, ..., 60 s.
     */
    public static Protocol benchmark() {
        int[] onsets = new int[60];
        for (int n = 1; n <= 60; n++) {
            onsets[n - 1] = 1000 * n;
        }
        return new Protocol(1000.0, 61000, onsets, 50);
    }

    /** The same stimulation cut (or extended without new pulses) to {@code seconds}. */
    public Protocol withDuration(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("duration must be a positive finite number of seconds, got " + seconds);
        }
        long n = Math.round(seconds * sfreq);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("duration " + seconds + " s gives " + n + " samples at " + sfreq
                    + " Hz; valid: 1 .. " + Integer.MAX_VALUE + " samples");
        }
        int[] kept = Arrays.stream(onsets).filter(e -> e < n).toArray();
        return new Protocol(sfreq, (int) n, kept, pulseSamples);
    }

    /** Sampling interval in seconds. */
    public double dt() {
        return 1.0 / sfreq;
    }

    /** Duration in seconds. */
    public double duration() {
        return nSamples / sfreq;
    }

    /** Time of sample k in seconds. */
    public double time(int k) {
        return k / sfreq;
    }

    /** Times of all samples, t_k = k / sfreq, in seconds. */
    public double[] times() {
        double[] t = new double[nSamples];
        for (int k = 0; k < t.length; k++) {
            t[k] = time(k);
        }
        return t;
    }

    /** The unit pulse train I[k] for every sample. */
    public double[] input() {
        double[] u = new double[nSamples];
        for (int e : onsets) {
            for (int k = Math.max(0, e); k < Math.min(nSamples, e + pulseSamples); k++) {
                u[k] = 1.0;
            }
        }
        return u;
    }

    @Override
    public int[] onsets() {
        return onsets.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Protocol p && p.sfreq == sfreq && p.nSamples == nSamples
                && p.pulseSamples == pulseSamples && Arrays.equals(p.onsets, onsets);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(sfreq) * 31 + nSamples * 17 + Arrays.hashCode(onsets) + pulseSamples;
    }

    @Override
    public String toString() {
        return String.format("Protocol[%.0f Hz, %d samples, %d pulses of %d samples]", sfreq, nSamples,
                onsets.length, pulseSamples);
    }
}
