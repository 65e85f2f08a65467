package org.neuroinfer.recording;

import java.util.List;

/**
 * What the axes of a recording mean: its channels by name, in order, its sampling rate, the time of its first
 * sample relative to the event and its unit. A bare array has none of these ({@link #UNKNOWN}).
 *
 * @param channelNames channel names in the order of the channel axis (empty if unknown)
 * @param sampleRate   samples per second (NaN if unknown)
 * @param start        time of the first sample relative to the event, s (NaN if unknown)
 * @param unit         unit of the values ("V", "uV", ...; null if unknown)
 */
public record RecordingLayout(List<String> channelNames, double sampleRate, double start, String unit) {
    /** Nothing known. */
    public static final RecordingLayout UNKNOWN = new RecordingLayout(List.of(), Double.NaN, Double.NaN, null);

    public RecordingLayout {
        channelNames = List.copyOf(channelNames);
    }

    /**
     * The layout of a recording sampled at {@code times} (seconds, evenly spaced, at least two).
     *
     * @throws IllegalArgumentException if the times are not evenly spaced
     */
    public static RecordingLayout ofTimes(List<String> channelNames, double[] times, String unit) {
        if (times.length < 2) {
            return new RecordingLayout(channelNames, Double.NaN, times.length == 1 ? times[0] : Double.NaN, unit);
        }
        double step = (times[times.length - 1] - times[0]) / (times.length - 1);
        for (int k = 1; k < times.length; k++) {
            if (Math.abs(times[k] - times[k - 1] - step) > 1e-6 * Math.abs(step)) {
                throw new IllegalArgumentException("times are not evenly spaced (samples " + (k - 1) + " and " + k
                        + " are " + (times[k] - times[k - 1]) + " s apart, the mean step is " + step + " s)");
            }
        }
        return new RecordingLayout(channelNames, 1 / step, times[0], unit);
    }

    /** Whether channel names, rate, start and unit are all known. */
    public boolean known() {
        return !channelNames.isEmpty() && Double.isFinite(sampleRate) && Double.isFinite(start) && unit != null;
    }

    /** Times of {@code n} samples from {@link #start}, s. */
    public double[] times(int n) {
        double[] t = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = start + k / sampleRate;
        }
        return t;
    }

    /** One line for a report: channels, rate, window and unit. */
    public String describe(int samples) {
        return channelNames.size() + " channels (" + (channelNames.isEmpty() ? "names unknown"
                : channelNames.get(0) + " .. " + channelNames.get(channelNames.size() - 1)) + "), "
                + fmt(sampleRate) + " Hz, " + fmt(start) + " .. " + fmt(start + (samples - 1) / sampleRate) + " s, "
                + (unit == null ? "unit unknown" : unit);
    }

    /** {@code v} to six significant digits without trailing zeros ("2048", "-0.2"); "?" for NaN. */
    public static String fmt(double v) {
        return Double.isNaN(v) ? "?" : new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.6g", v))
                .stripTrailingZeros().toPlainString();
    }
}
