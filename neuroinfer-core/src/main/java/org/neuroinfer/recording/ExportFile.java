package org.neuroinfer.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuroinfer.io.HdfFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;

/**
 * A continuous recording exported from MNE-Python (or anything else) as {@code .npz} or HDF5 with the entries
 * {@code data} [channels, samples], {@code ch_names}, {@code sfreq}, and optionally {@code unit} (default V, what
 * MNE's {@code get_data()} returns) and {@code events} (onset samples from the first sample of {@code data}, or
 * MNE's [n, 3] events array with its first column so counted and the code in its third).
 */
public final class ExportFile {
    private ExportFile() {
    }

    /** The entries of an export, named. */
    public static final List<String> ENTRIES = List.of("data", "ch_names", "sfreq", "unit", "events");

    /**
     * Reads an {@code .npz} or {@code .h5}/{@code .hdf5} export.
     *
     * @throws IllegalArgumentException naming the file and the entry that is missing or of the wrong shape
     */
    public static ContinuousRecording read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            Map<String, NpyArray> num = Npy.loadArchive(file);
            Map<String, String[]> text = Npy.loadTextArchive(file);
            return build(file, num.get("data"), text.get("ch_names"), num.get("sfreq"), text.get("unit"),
                    num.get("events"), "MNE export (.npz)");
        }
        if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            return HdfFiles.read(file, h -> {
                NpyArray data = numeric(h, file, "data");
                String[] names = text(h, file, "ch_names");
                String[] unit = text(h, file, "unit");
                return build(file, data, names, numeric(h, file, "sfreq"), unit, numeric(h, file, "events"),
                        "MNE export (.h5)");
            });
        }
        throw new IllegalArgumentException(file + ": an export is .npz or .h5; EDF/BDF files are read by their "
                + "header");
    }

    private static ContinuousRecording build(Path file, NpyArray data, String[] names, NpyArray sfreq, String[] unit,
                                             NpyArray events, String format) {
        if (data == null || names == null || sfreq == null) {
            throw new IllegalArgumentException(file + ": an export needs the entries data [channels, samples], "
                    + "ch_names and sfreq; missing: " + (data == null ? "data " : "") + (names == null ? "ch_names "
                    : "") + (sfreq == null ? "sfreq" : "") + " (see docs/recordings.md for the three lines of MNE)");
        }
        int[] s = data.shape();
        if (s.length != 2 || s[0] != names.length) {
            throw new IllegalArgumentException(file + ": data has shape " + Arrays.toString(s) + "; expected ["
                    + names.length + " channels (as in ch_names), samples]");
        }
        if (sfreq.data().length != 1) {
            throw new IllegalArgumentException(file + ": sfreq must be one number, got " + sfreq.data().length);
        }
        if (unit != null && unit.length != 1) {
            throw new IllegalArgumentException(file + ": unit must be one string (all channels share it), got "
                    + Arrays.toString(unit));
        }
        float[][] x = new float[s[0]][s[1]];
        for (int c = 0; c < s[0]; c++) {
            for (int k = 0; k < s[1]; k++) {
                x[c][k] = (float) data.data()[c * s[1] + k];
            }
        }
        return new ContinuousRecording(List.of(names), x, sfreq.data()[0], unit == null ? "V" : unit[0],
                events == null ? Events.NONE : events(file, events), format);
    }

    private static Events events(Path file, NpyArray e) {
        int[] s = e.shape();
        if (s.length == 1) {
            int[] onsets = Arrays.stream(e.data()).mapToInt(v -> (int) v).toArray();
            return new Events(onsets, new int[onsets.length]).withCodesOne();
        }
        if (s.length == 2 && s[1] == 3) {
            int n = s[0];
            int[] onsets = new int[n];
            int[] codes = new int[n];
            for (int i = 0; i < n; i++) {
                onsets[i] = (int) e.data()[3 * i];
                codes[i] = (int) e.data()[3 * i + 2];
            }
            return new Events(onsets, codes);
        }
        throw new IllegalArgumentException(file + ": events has shape " + Arrays.toString(s) + "; expected [n] onset "
                + "samples or MNE's [n, 3] events array");
    }

    private static NpyArray numeric(io.jhdf.HdfFile h, Path file, String path) throws IOException {
        if (h.getChild(path) == null) {
            return null;
        }
        Object d = HdfFiles.data(h, file, path);
        io.jhdf.api.Dataset ds = h.getDatasetByPath(path);
        int[] shape = ds.getDimensions();
        double[] flat = new double[Math.toIntExact(ds.getSize())];
        flatten(d, flat, new int[1]);
        return new NpyArray(shape, flat);
    }

    private static void flatten(Object d, double[] out, int[] at) {
        if (d instanceof double[] a) {
            for (double v : a) {
                out[at[0]++] = v;
            }
        } else if (d instanceof float[] a) {
            for (float v : a) {
                out[at[0]++] = v;
            }
        } else if (d instanceof long[] a) {
            for (long v : a) {
                out[at[0]++] = v;
            }
        } else if (d instanceof int[] a) {
            for (int v : a) {
                out[at[0]++] = v;
            }
        } else if (d instanceof Object[] a) {
            for (Object o : a) {
                flatten(o, out, at);
            }
        } else if (d instanceof Number n) {
            out[at[0]++] = n.doubleValue();
        } else {
            throw new IllegalArgumentException("not a numeric dataset: " + d.getClass().getSimpleName());
        }
    }

    private static String[] text(io.jhdf.HdfFile h, Path file, String path) throws IOException {
        if (h.getChild(path) == null) {
            return null;
        }
        Object d = HdfFiles.data(h, file, path);
        if (d instanceof String[] a) {
            return a;
        }
        if (d instanceof String one) {
            return new String[] {one};
        }
        throw new IllegalArgumentException(file + ": " + path + " is not text");
    }
}
