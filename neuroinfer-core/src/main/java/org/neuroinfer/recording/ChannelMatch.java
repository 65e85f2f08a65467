package org.neuroinfer.recording;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which channel of a recording feeds each channel of a montage, matched by name: case and an "EEG " prefix or a
 * "-REF"/"-Ref" suffix are ignored, and BioSemi's A1..A32, B1..B32 labels are read as the positions of a 64-channel
 * montage in BioSemi's own order. Montage channels the recording lacks are {@code missing}; recording channels no
 * montage channel reads are {@code extra}.
 *
 * @param source  for each montage channel, the index of the recording channel, or -1 if missing
 * @param missing names of the montage channels the recording lacks
 * @param extra   names of the recording channels left out
 * @param note    how the names were read, or empty
 */
public record ChannelMatch(int[] source, List<String> missing, List<String> extra, String note) {
    /** Matches {@code recording} names to {@code montage} names. */
    public static ChannelMatch of(List<String> recording, List<String> montage) {
        List<String> names = recording;
        String note = "";
        if (montage.size() == 64 && isBiosemiAbc(recording)) {
            names = new ArrayList<>();
            for (String r : recording) {
                String k = r.trim().toUpperCase(Locale.ROOT);
                int idx = k.matches("[AB]([1-9]|[12][0-9]|3[0-2])")
                        ? (k.charAt(0) - 'A') * 32 + Integer.parseInt(k.substring(1)) - 1 : -1;
                names.add(idx >= 0 ? montage.get(idx) : r);
            }
            note = "BioSemi labels A1..B32 read as the 64 positions of the montage in BioSemi's order (A1 = "
                    + montage.get(0) + ", B32 = " + montage.get(63) + ")";
        }
        Map<String, Integer> byKey = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer before = byKey.putIfAbsent(key(names.get(i)), i);
            if (before != null) {
                throw new IllegalArgumentException("the recording has channel " + names.get(i) + " twice (channels "
                        + before + " and " + i + ")");
            }
        }
        int[] source = new int[montage.size()];
        List<String> missing = new ArrayList<>();
        boolean[] used = new boolean[names.size()];
        for (int m = 0; m < montage.size(); m++) {
            Integer i = byKey.get(key(montage.get(m)));
            source[m] = i == null ? -1 : i;
            if (i == null) {
                missing.add(montage.get(m));
            } else {
                used[i] = true;
            }
        }
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                extra.add(recording.get(i));
            }
        }
        return new ChannelMatch(source, missing, extra, note);
    }

    private static boolean isBiosemiAbc(List<String> names) {
        long abc = names.stream().map(n -> n.trim().toUpperCase(Locale.ROOT))
                .filter(n -> n.matches("[AB]([1-9]|[12][0-9]|3[0-2])")).distinct().count();
        return abc == 64;
    }

    /** The name as matched: without case, an "EEG " prefix or a "-REF" suffix. */
    static String key(String name) {
        String k = name.trim().toUpperCase(Locale.ROOT);
        if (k.startsWith("EEG ")) {
            k = k.substring(4).trim();
        }
        if (k.endsWith("-REF")) {
            k = k.substring(0, k.length() - 4);
        }
        return k;
    }

    /** Whether every montage channel was found. */
    public boolean complete() {
        return missing.isEmpty();
    }

    /**
     * Weights that fill each missing montage channel from the {@code k} nearest present ones, by inverse squared
     * angular distance on the head ({@code positions} [montage channels][3], any common centre): [montage][k]
     * pairs of (present montage index, weight), or null rows for channels that are present.
     */
    public double[][][] interpolation(double[][] positions, double[] centre, int k) {
        int m = source.length;
        double[][][] w = new double[m][][];
        for (int i = 0; i < m; i++) {
            if (source[i] >= 0) {
                continue;
            }
            List<double[]> near = new ArrayList<>();
            for (int j = 0; j < m; j++) {
                if (source[j] >= 0) {
                    near.add(new double[] {j, angle(positions[i], positions[j], centre)});
                }
            }
            near.sort((a, b) -> Double.compare(a[1], b[1]));
            int take = Math.min(k, near.size());
            if (take == 0) {
                throw new IllegalArgumentException("no channel of the montage is present to interpolate from");
            }
            double sum = 0;
            w[i] = new double[take][];
            for (int q = 0; q < take; q++) {
                double d = near.get(q)[1];
                w[i][q] = new double[] {near.get(q)[0], 1 / (d * d)};
                sum += w[i][q][1];
            }
            for (double[] p : w[i]) {
                p[1] /= sum;
            }
        }
        return w;
    }

    private static double angle(double[] a, double[] b, double[] c) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int d = 0; d < 3; d++) {
            double x = a[d] - c[d];
            double y = b[d] - c[d];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))));
    }
}
