package org.neuroinfer.recording;

import java.util.List;

/**
 * A continuous multichannel recording as read from a file: channels by name, samples in the file's unit, the rate,
 * and its events.
 *
 * @param channelNames channel names, in the order of {@code data}
 * @param data         [channels][samples] in {@code unit}
 * @param sampleRate   samples per second
 * @param unit         the values' unit as the file states it (V, mV, uV, ...)
 * @param events       event onsets (may be {@link Events#NONE})
 * @param format       what the file was ("BDF", "EDF", "MNE export (.npz)", ...)
 */
public record ContinuousRecording(List<String> channelNames, float[][] data, double sampleRate, String unit,
                                  Events events, String format) {
    public ContinuousRecording {
        channelNames = List.copyOf(channelNames);
        if (data.length != channelNames.size()) {
            throw new IllegalArgumentException(data.length + " channels of data but " + channelNames.size()
                    + " channel names");
        }
        if (!(sampleRate > 0) || Double.isInfinite(sampleRate)) {
            throw new IllegalArgumentException("sampling rate must be finite and > 0, got " + sampleRate);
        }
        for (int c = 1; c < data.length; c++) {
            if (data[c].length != data[0].length) {
                throw new IllegalArgumentException("channel " + channelNames.get(c) + " has " + data[c].length
                        + " samples, channel " + channelNames.get(0) + " " + data[0].length);
            }
        }
    }

    /** Samples per channel. */
    public int samples() {
        return data.length == 0 ? 0 : data[0].length;
    }

    /** The same recording with other events. */
    public ContinuousRecording withEvents(Events e) {
        return new ContinuousRecording(channelNames, data, sampleRate, unit, e, format);
    }
}
