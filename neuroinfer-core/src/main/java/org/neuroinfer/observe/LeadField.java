package org.neuroinfer.observe;

import java.util.Arrays;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.observe.head.SphericalHead;

/**
 * A lead field: the potential at each channel of a unit dipole at each source, [channels x sources] in V/(A·m),
 * with the channel names. Built from a head model and a montage, or read from a user's file.
 *
 * @param channels channel names in row order
 * @param matrix   row-major values, channels x sources
 * @param sources  number of sources (columns)
 */
public record LeadField(String[] channels, double[] matrix, int sources) {

    public LeadField {
        if (matrix.length != channels.length * sources) {
            throw new IllegalArgumentException("lead field of " + channels.length + " channels x " + sources
                    + " sources needs " + (channels.length * sources) + " values, got " + matrix.length);
        }
    }

    /**
     * Free-orientation lead field: three columns (x, y, z moment) per dipole, dipole positions [n][3] in metres.
     */
    public static LeadField free(SphericalHead head, Montage montage, double[][] dipoles) {
        double[][] el = montage.positions();
        int n = dipoles.length;
        double[] m = new double[el.length * 3 * n];
        double[] v = new double[3];
        for (int j = 0; j < n; j++) {
            checkPoint(dipoles[j], "dipole " + j);
            for (int c = 0; c < el.length; c++) {
                head.potential(el[c], dipoles[j], v);
                System.arraycopy(v, 0, m, c * 3 * n + 3 * j, 3);
            }
        }
        return new LeadField(montage.channelNames(), m, 3 * n);
    }

    /** Fixed-orientation lead field: one column per dipole with its moment direction (normalised). */
    public static LeadField fixed(SphericalHead head, Montage montage, double[][] dipoles, double[][] orientations) {
        if (orientations.length != dipoles.length) {
            throw new IllegalArgumentException(dipoles.length + " dipoles but " + orientations.length
                    + " orientations; give one orientation (x, y, z) per dipole");
        }
        LeadField f = free(head, montage, dipoles);
        int n = dipoles.length;
        int ch = f.channels.length;
        double[] m = new double[ch * n];
        for (int j = 0; j < n; j++) {
            double[] q = unit(orientations[j], "orientation " + j);
            for (int c = 0; c < ch; c++) {
                int o = c * 3 * n + 3 * j;
                m[c * n + j] = f.matrix[o] * q[0] + f.matrix[o + 1] * q[1] + f.matrix[o + 2] * q[2];
            }
        }
        return new LeadField(f.channels, m, n);
    }

    /** Unit vectors from the head centre through each dipole (radial orientations). */
    public static double[][] radial(SphericalHead head, double[][] dipoles) {
        double[][] q = new double[dipoles.length][];
        for (int j = 0; j < q.length; j++) {
            q[j] = unit(new double[] {dipoles[j][0] - head.centre()[0], dipoles[j][1] - head.centre()[1],
                dipoles[j][2] - head.centre()[2]}, "dipole " + j);
        }
        return q;
    }

    /** The source of the Jansen-Rit benchmark: left caudal middle frontal gyrus, centre + (-0.038, 0.012, 0.050) m. */
    public static double[] benchmarkSource() {
        double[] c = Montage.HEAD_CENTRE;
        return new double[] {c[0] - 0.038, c[1] + 0.012, c[2] + 0.050};
    }

    /** The same lead field referenced to the channel average: P L with P = I - (1/n) 1 1^T. */
    public LeadField averageReferenced() {
        int ch = channels.length;
        double[] m = matrix.clone();
        for (int j = 0; j < sources; j++) {
            double mean = 0;
            for (int c = 0; c < ch; c++) {
                mean += matrix[c * sources + j];
            }
            mean /= ch;
            for (int c = 0; c < ch; c++) {
                m[c * sources + j] -= mean;
            }
        }
        return new LeadField(channels, m, sources);
    }

    /**
     * Reads a user's lead field: {@code .npy} [channels x sources] with channel names from {@code names} (a text
     * file, one name per line), or {@code .csv} with the channel name in the first column of each row (a header
     * row is allowed). Values in V/(A·m).
     */
    public static LeadField read(java.nio.file.Path file, java.nio.file.Path names) throws java.io.IOException {
        String f = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (f.endsWith(".npy")) {
            if (names == null) {
                throw new IllegalArgumentException("lead field " + file + ": give the channel names (a text file, "
                        + "one per line)");
            }
            org.neuroinfer.io.NpyArray a = org.neuroinfer.io.Npy.load(file);
            if (a.shape().length != 2) {
                throw new IllegalArgumentException("lead field " + file + ": expected [channels x sources], got shape "
                        + Arrays.toString(a.shape()));
            }
            String[] ch = java.nio.file.Files.readAllLines(org.neuroinfer.io.InputFiles.local(names)).stream()
                    .map(String::strip).filter(x -> !x.isEmpty()).toArray(String[]::new);
            if (ch.length != a.shape()[0]) {
                throw new IllegalArgumentException("lead field " + file + " has " + a.shape()[0] + " rows but "
                        + names + " names " + ch.length + " channels");
            }
            return checked(new LeadField(ch, a.data(), a.shape()[1]), file);
        }
        if (f.endsWith(".csv")) {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(
                    org.neuroinfer.io.InputFiles.local(file));
            java.util.List<String> ch = new java.util.ArrayList<>();
            java.util.List<double[]> rows = new java.util.ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] v = new double[cells.length - 1];
                try {
                    for (int k = 1; k < cells.length; k++) {
                        v[k - 1] = Double.parseDouble(cells[k].strip());
                    }
                } catch (NumberFormatException e) {
                    if (rows.isEmpty() && ch.isEmpty()) {
                        continue; // header row
                    }
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": not a number: " + e.getMessage());
                }
                if (!rows.isEmpty() && v.length != rows.get(0).length) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + v.length + " sources, "
                            + "expected " + rows.get(0).length);
                }
                ch.add(cells[0].strip());
                rows.add(v);
            }
            if (rows.isEmpty() || rows.get(0).length == 0) {
                throw new IllegalArgumentException(file + ": no lead-field rows (channel,value,...) found");
            }
            int n = rows.get(0).length;
            double[] m = new double[rows.size() * n];
            for (int c = 0; c < rows.size(); c++) {
                System.arraycopy(rows.get(c), 0, m, c * n, n);
            }
            return checked(new LeadField(ch.toArray(String[]::new), m, n), file);
        }
        throw new IllegalArgumentException("lead field " + file + ": valid formats: .npy (with channel names), .csv");
    }

    private static LeadField checked(LeadField lf, java.nio.file.Path file) {
        for (double v : lf.matrix) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("lead field " + file + " holds a non-finite value");
            }
        }
        return lf;
    }

    /** The summed columns {@code columns} (the sources of one region, as the benchmark sums its label's). */
    public double[] sum(int[] columns) {
        double[] g = new double[channels.length];
        for (int j : columns) {
            if (j < 0 || j >= sources) {
                throw new IllegalArgumentException("source column " + j + " outside 0 .. " + (sources - 1));
            }
            for (int c = 0; c < g.length; c++) {
                g[c] += matrix[c * sources + j];
            }
        }
        return g;
    }

    /**
     * Several sources with their own signals: X[c][t] = scale * sum_j L[c][columns[j]] signals[j][t], row-major
     * [channels x times].
     */
    public double[] project(int[] columns, double[][] signals, double scale) {
        if (columns.length != signals.length) {
            throw new IllegalArgumentException(columns.length + " source columns for " + signals.length + " signals");
        }
        int len = signals.length == 0 ? 0 : signals[0].length;
        double[] x = new double[channels.length * len];
        for (int j = 0; j < columns.length; j++) {
            if (columns[j] < 0 || columns[j] >= sources || signals[j].length != len) {
                throw new IllegalArgumentException("source " + j + ": column " + columns[j] + " outside 0 .. "
                        + (sources - 1) + " or a signal of another length");
            }
            for (int c = 0; c < channels.length; c++) {
                double g = scale * matrix[c * sources + columns[j]];
                for (int t = 0; t < len; t++) {
                    x[c * len + t] += g * signals[j][t];
                }
            }
        }
        return x;
    }

    /** Column {@code j} (one source's topography over the channels). */
    public double[] column(int j) {
        double[] g = new double[channels.length];
        for (int c = 0; c < g.length; c++) {
            g[c] = matrix[c * sources + j];
        }
        return g;
    }

    private static void checkPoint(double[] p, String what) {
        if (p.length != 3 || !Arrays.stream(p).allMatch(Double::isFinite)) {
            throw new IllegalArgumentException(what + " must be three finite coordinates in metres, got "
                    + Arrays.toString(p));
        }
    }

    private static double[] unit(double[] q, String what) {
        checkPoint(q, what);
        double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
        if (!(n > 0)) {
            throw new IllegalArgumentException(what + " has zero length");
        }
        return new double[] {q[0] / n, q[1] / n, q[2] / n};
    }
}
