package org.neuroinfer.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.HdfFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;

/**
 * Recordings [n][channels][samples] with their {@link RecordingLayout}, read from the files neuroinfer writes and
 * reads: an evoked file or a data-set shard ({@code .h5}: {@code X} with a {@code unit} attribute, {@code times},
 * {@code channel_names}), a {@code simulate} or evoked archive ({@code .npz}: {@code X} or {@code signals},
 * {@code times} or {@code time}, {@code channel_names}, {@code unit} or {@code signal_unit}), or a bare
 * {@code .npy}, whose layout is unknown.
 *
 * @param x      recordings [n][channels][samples]
 * @param layout what their axes mean ({@link RecordingLayout#UNKNOWN} for a bare array)
 */
public record LabelledRecordings(float[][][] x, RecordingLayout layout) {

    /** The same recordings with every value multiplied by {@code factor} (a change of unit). */
    public float[][][] scaled(double factor) {
        if (factor == 1) {
            return x;
        }
        float[][][] y = new float[x.length][][];
        for (int i = 0; i < x.length; i++) {
            y[i] = new float[x[i].length][];
            for (int c = 0; c < x[i].length; c++) {
                y[i][c] = new float[x[i][c].length];
                for (int k = 0; k < y[i][c].length; k++) {
                    y[i][c][k] = (float) (x[i][c][k] * factor);
                }
            }
        }
        return y;
    }

    /**
     * Reads {@code file}; {@code dataset} names the recordings inside an {@code .h5} file.
     *
     * @throws IllegalArgumentException naming the file for a missing file, a wrong shape or type
     */
    public static LabelledRecordings read(Path file, String dataset) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--input: " + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return new LabelledRecordings(shaped(Npy.load(file), file), RecordingLayout.UNKNOWN);
        }
        if (name.endsWith(".npz")) {
            Map<String, NpyArray> num = Npy.loadArchive(file);
            Map<String, String[]> text = Npy.loadTextArchive(file);
            NpyArray x = num.containsKey("X") ? num.get("X") : num.get("signals");
            if (x == null) {
                throw new IllegalArgumentException("--input: " + file + " has no entry X (or signals); it has "
                        + num.keySet());
            }
            NpyArray times = num.containsKey("times") ? num.get("times") : num.get("time");
            String[] unit = text.containsKey("unit") ? text.get("unit") : text.get("signal_unit");
            return new LabelledRecordings(shaped(x, file), layout(file, text.get("channel_names"),
                    times == null ? null : times.data(), unit == null ? null : unit[0]));
        }
        if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            return HdfFiles.read(file, h -> {
                Object d;
                try {
                    d = HdfFiles.data(h, file, dataset);
                } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
                    if (h.getChild("source") != null && h.getAttribute("store") != null) {
                        throw new IllegalArgumentException("--input: " + file + " is a shard of a data set that "
                                + "stores the model's evoked response (store: source), not '" + dataset + "'; its "
                                + "EEG is rebuilt when the data set's folder is read (train, evaluate --data)");
                    }
                    throw new IllegalArgumentException("--input: " + file + " has no dataset '" + dataset + "'");
                }
                float[][][] x = floats(d, file, dataset);
                var unitAttr = h.getDatasetByPath(dataset).getAttribute("unit");
                String unit = unitAttr == null ? null : String.valueOf(unitAttr.getData());
                String[] names = h.getChild("channel_names") == null ? null
                        : (String[]) HdfFiles.data(h, file, "channel_names");
                double[] times = h.getChild("times") == null ? null : (double[]) HdfFiles.data(h, file, "times");
                return new LabelledRecordings(x, layout(file, names, times, unit));
            });
        }
        throw new IllegalArgumentException("--input: " + file + " is not .npy, .npz or .h5 (a continuous recording "
                + "is turned into an evoked file by the evoked command)");
    }

    /**
     * The parameters behind each recording of {@code file}, in the order of {@code names}, when it holds them (a
     * data-set shard's {@code y} and {@code param_names}, a {@code simulate} archive's {@code params} and
     * {@code param_names}), else null (also when a name is not among them).
     */
    public static double[][] parameters(Path file, List<String> names) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        double[] flat;
        String[] have;
        if (name.endsWith(".npz")) {
            NpyArray p = Npy.loadArchive(file).get("params");
            have = Npy.loadTextArchive(file).get("param_names");
            flat = p == null ? null : p.data();
        } else if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            Object[] yn = HdfFiles.read(file, h -> h.getChild("y") == null || h.getChild("param_names") == null
                    ? new Object[2] : new Object[] {HdfFiles.data(h, file, "y"), HdfFiles.data(h, file, "param_names")});
            have = (String[]) yn[1];
            flat = yn[0] instanceof double[][] y ? Arrays.stream(y).flatMapToDouble(Arrays::stream).toArray() : null;
        } else {
            return null;
        }
        if (flat == null || have == null || have.length == 0 || flat.length % have.length != 0) {
            return null;
        }
        int p = have.length;
        int[] col = new int[names.size()];
        for (int j = 0; j < col.length; j++) {
            col[j] = Arrays.asList(have).indexOf(names.get(j));
            if (col[j] < 0) {
                return null;
            }
        }
        double[][] out = new double[flat.length / p][col.length];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < col.length; j++) {
                out[i][j] = flat[i * p + col[j]];
            }
        }
        return out;
    }

    private static RecordingLayout layout(Path file, String[] names, double[] times, String unit) {
        if (names == null && times == null && unit == null) {
            return RecordingLayout.UNKNOWN;
        }
        try {
            return times == null ? new RecordingLayout(names == null ? List.of() : List.of(names), Double.NaN,
                    Double.NaN, unit) : RecordingLayout.ofTimes(names == null ? List.of() : List.of(names), times, unit);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--input: " + file + ": " + e.getMessage());
        }
    }

    private static float[][][] shaped(NpyArray a, Path file) {
        int[] s = a.shape();
        if (s.length < 2 || s.length > 3) {
            throw new IllegalArgumentException("--input: " + file + " has shape " + Arrays.toString(s)
                    + "; expected [n, channels, samples] or [channels, samples]");
        }
        int n = s.length == 3 ? s[0] : 1;
        int c = s[s.length - 2];
        int t = s[s.length - 1];
        float[][][] x = new float[n][c][t];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < t; k++) {
                    x[i][ch][k] = (float) a.data()[(i * c + ch) * t + k];
                }
            }
        }
        return x;
    }

    private static float[][][] floats(Object d, Path file, String dataset) {
        if (d instanceof float[][][] f) {
            return f;
        }
        if (d instanceof float[][] f) {
            return new float[][][] {f};
        }
        if (d instanceof double[][][] dd) {
            float[][][] f = new float[dd.length][][];
            for (int i = 0; i < dd.length; i++) {
                f[i] = new float[dd[i].length][];
                for (int c = 0; c < dd[i].length; c++) {
                    f[i][c] = new float[dd[i][c].length];
                    for (int k = 0; k < f[i][c].length; k++) {
                        f[i][c][k] = (float) dd[i][c][k];
                    }
                }
            }
            return f;
        }
        throw new IllegalArgumentException("--input: dataset '" + dataset + "' of " + file
                + " is not a float array [n, channels, samples]");
    }

    /**
     * Writes {@code x} [n][channels][samples] with its layout and {@code attributes} (numbers or text, e.g. the
     * provenance) atomically, as {@code .h5} or {@code .npz} by the file's extension, in the form {@link #read}
     * reads.
     */
    public static void write(Path file, float[][][] x, RecordingLayout layout, Map<String, Object> attributes,
                             boolean force) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        double[] times = layout.times(x[0][0].length);
        String[] names = layout.channelNames().toArray(String[]::new);
        if (name.endsWith(".npz")) {
            Npy.Archive a = new Npy.Archive().put("X", NpyArray.of(x)).put("times", NpyArray.of(times))
                    .put("channel_names", names).put("unit", new String[] {layout.unit()});
            for (var e : attributes.entrySet()) {
                if (e.getValue() instanceof Number v) {
                    a.put(e.getKey(), NpyArray.of(new double[] {v.doubleValue()}));
                } else {
                    a.put(e.getKey(), new String[] {String.valueOf(e.getValue())});
                }
            }
            a.save(file, force);
            return;
        }
        if (!(name.endsWith(".h5") || name.endsWith(".hdf5"))) {
            throw new IllegalArgumentException("--out: " + file + " must end in .h5 or .npz");
        }
        AtomicFiles.write(file, force, out -> {
            Path tmp = Files.createTempFile("neuroinfer-", ".h5");
            try {
                HdfFiles.write(tmp, h -> {
                    var xd = h.putDataset("X", x);
                    xd.putAttribute("unit", layout.unit());
                    xd.putAttribute("axes", new String[] {"recording", "channel", "time"});
                    h.putDataset("times", times);
                    h.putDataset("channel_names", names);
                    for (var e : attributes.entrySet()) {
                        if (e.getValue() instanceof Number v) {
                            h.putAttribute(e.getKey(), v.doubleValue());
                        } else {
                            h.putAttribute(e.getKey(), String.valueOf(e.getValue()));
                        }
                    }
                });
                Files.copy(tmp, out);
            } finally {
                Files.deleteIfExists(tmp);
            }
        });
    }
}
