package org.neuroinfer.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Event onsets of a continuous recording, as sample indices from its first sample, with a code each.
 *
 * @param samples onset of each event, samples from the recording's first sample, increasing
 * @param codes   the event's code (trigger value; 1 when the source has none)
 */
public record Events(int[] samples, int[] codes) {
    /** No events. */
    public static final Events NONE = new Events(new int[0], new int[0]);

    public Events {
        if (samples.length != codes.length) {
            throw new IllegalArgumentException(samples.length + " event onsets but " + codes.length + " codes");
        }
    }

    /** The same onsets, each with code 1. */
    public Events withCodesOne() {
        int[] c = new int[samples.length];
        Arrays.fill(c, 1);
        return new Events(samples, c);
    }

    /** Number of events. */
    public int size() {
        return samples.length;
    }

    /**
     * The events of a trigger channel (BioSemi's Status: the low 16 bits): an event wherever the trigger value
     * changes to a value that is not 0.
     */
    public static Events ofTriggerChannel(int[] status) {
        List<int[]> ev = new ArrayList<>();
        int prev = 0;
        for (int k = 0; k < status.length; k++) {
            int v = status[k] & 0xFFFF;
            if (v != prev && v != 0) {
                ev.add(new int[] {k, v});
            }
            prev = v;
        }
        return new Events(ev.stream().mapToInt(e -> e[0]).toArray(), ev.stream().mapToInt(e -> e[1]).toArray());
    }

    /** The events whose code is in {@code keep} (all if {@code keep} is empty). */
    public Events withCodes(int[] keep) {
        if (keep.length == 0) {
            return this;
        }
        int[] idx = java.util.stream.IntStream.range(0, size())
                .filter(i -> Arrays.stream(keep).anyMatch(c -> c == codes[i])).toArray();
        return new Events(Arrays.stream(idx).map(i -> samples[i]).toArray(),
                Arrays.stream(idx).map(i -> codes[i]).toArray());
    }

    /** The distinct codes, sorted, with their counts, e.g. "1 (59), 2 (3)". */
    public String codeCounts() {
        return Arrays.stream(codes).distinct().sorted().mapToObj(c -> c + " (" + Arrays.stream(codes)
                .filter(x -> x == c).count() + ")").reduce((a, b) -> a + ", " + b).orElse("none");
    }

    /**
     * Reads events from a CSV file with a header: a column {@code onset} (seconds from the recording's first
     * sample, as in BIDS events.tsv) or {@code sample}, and optionally {@code code} (or {@code value},
     * {@code trial_type} when numeric). Commas or tabs separate the columns.
     *
     * @throws IllegalArgumentException naming the file, line and column for a bad value or a missing column
     */
    public static Events readCsv(Path file, double sampleRate) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("--events: " + file + " is empty");
        }
        String sep = lines.get(0).contains("\t") ? "\t" : ",";
        List<String> head = Arrays.stream(lines.get(0).split(sep)).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .toList();
        int onset = head.indexOf("onset");
        int sample = head.indexOf("sample");
        int code = head.indexOf("code");
        code = code >= 0 ? code : head.indexOf("value") >= 0 ? head.indexOf("value") : head.indexOf("trial_type");
        if (onset < 0 && sample < 0) {
            throw new IllegalArgumentException("--events: " + file + " needs a column 'onset' (s) or 'sample'; its "
                    + "header is " + head);
        }
        int n = lines.size() - 1;
        int[] s = new int[n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(sep);
            try {
                s[i] = sample >= 0 ? Integer.parseInt(f[sample].trim())
                        : (int) Math.round(Double.parseDouble(f[onset].trim()) * sampleRate);
                c[i] = code >= 0 && code < f.length ? (int) Double.parseDouble(f[code].trim()) : 1;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--events: " + file + " line " + (i + 2) + ": '" + lines.get(i + 1)
                        + "' is not a number in column " + (sample >= 0 ? "sample" : "onset")
                        + (code >= 0 ? " or " + head.get(code) : ""));
            }
            if (s[i] < 0 || i > 0 && s[i] < s[i - 1]) {
                throw new IllegalArgumentException("--events: " + file + " line " + (i + 2) + ": onsets must be >= 0 "
                        + "and increasing, got sample " + s[i]);
            }
        }
        return new Events(s, c);
    }
}
