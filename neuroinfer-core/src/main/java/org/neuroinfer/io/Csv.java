package org.neuroinfer.io;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Columns of numbers as CSV (header line, then one row per index, optionally led by a label), written atomically;
 * numeric matrices read.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * Writes {@code columns} (all of equal length) under {@code header} to {@code file}.
     *
     * @param force replace an existing file
     */
    public static void write(Path file, String[] header, double[][] columns, boolean force) throws IOException {
        write(file, header, null, columns, force);
    }

    /**
     * Writes a first column of {@code labels} (e.g. channel names; null: none) and then {@code columns}, all of
     * equal length, under {@code header} (which names the label column too) to {@code file}.
     *
     * @param force replace an existing file
     */
    public static void write(Path file, String[] header, String[] labels, double[][] columns, boolean force)
            throws IOException {
        int first = labels == null ? 0 : 1;
        if (header.length != columns.length + first) {
            throw new IllegalArgumentException(header.length + " column names for " + (columns.length + first)
                    + " columns");
        }
        int rows = labels != null ? labels.length : columns.length == 0 ? 0 : columns[0].length;
        for (double[] c : columns) {
            if (c.length != rows) {
                throw new IllegalArgumentException("CSV columns differ in length");
            }
        }
        AtomicFiles.write(file, force, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(String.join(",", header));
            w.write('\n');
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < rows; i++) {
                sb.setLength(0);
                if (labels != null) {
                    sb.append(labels[i]);
                }
                for (int j = 0; j < columns.length; j++) {
                    if (j > 0 || labels != null) {
                        sb.append(',');
                    }
                    sb.append(columns[j][i]);
                }
                sb.append('\n');
                w.write(sb.toString());
            }
            w.flush();
        });
    }

    /**
     * Reads a numeric matrix: one row per line, values separated by commas or white space; blank lines and lines
     * starting with {@code #} are skipped.
     *
     * @throws IllegalArgumentException naming the file and line of a value that is not a number or a ragged row
     */
    public static double[][] readMatrix(Path file) throws IOException {
        return readMatrix(file, java.nio.file.Files.readAllLines(InputFiles.local(file)), 0);
    }

    /**
     * A matrix whose first line names its columns (e.g. region names): the names, then the rows as
     * {@link #readMatrix(Path)} reads them.
     */
    public record Labelled(java.util.List<String> names, double[][] rows) {
    }

    /** Reads a matrix whose first line holds comma-separated column names. */
    public static Labelled readLabelledMatrix(Path file) throws IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(InputFiles.local(file));
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty file, expected a header line of names");
        }
        java.util.List<String> names = java.util.Arrays.stream(lines.get(0).split(",")).map(String::strip).toList();
        return new Labelled(names, readMatrix(file, lines, 1));
    }

    private static double[][] readMatrix(Path file, java.util.List<String> lines, int first) {
        java.util.List<double[]> rows = new java.util.ArrayList<>();
        for (int k = first; k < lines.size(); k++) {
            String line = lines.get(k).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[,\\s]+");
            double[] r = new double[parts.length];
            for (int j = 0; j < parts.length; j++) {
                try {
                    r[j] = Double.parseDouble(parts[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + (k + 1) + ": '" + parts[j]
                            + "' is not a number");
                }
            }
            if (!rows.isEmpty() && r.length != rows.get(0).length) {
                throw new IllegalArgumentException(file + " line " + (k + 1) + ": " + r.length + " values, the first "
                        + "row has " + rows.get(0).length);
            }
            rows.add(r);
        }
        return rows.toArray(double[][]::new);
    }
}
