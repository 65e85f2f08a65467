package org.neuroinfer.data;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes columns of numbers as CSV (header line, then one row per index), atomically. */
public final class Csv {
    private Csv() {
    }

    /**
     * Writes {@code columns} (all of equal length) under {@code header} to {@code file}.
     *
     * @param force replace an existing file
     */
    public static void write(Path file, String[] header, double[][] columns, boolean force) throws IOException {
        if (header.length != columns.length) {
            throw new IllegalArgumentException(header.length + " column names for " + columns.length + " columns");
        }
        int rows = columns.length == 0 ? 0 : columns[0].length;
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
                for (int j = 0; j < columns.length; j++) {
                    if (j > 0) {
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
}
