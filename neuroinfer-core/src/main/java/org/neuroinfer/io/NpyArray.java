package org.neuroinfer.io;

import java.util.Arrays;

/**
 * A float64 array with a shape, in C (row-major) order, as held in a NumPy {@code .npy} file.
 *
 * @param shape dimensions
 * @param data  values in row-major order
 */
public record NpyArray(int[] shape, double[] data) {

    public NpyArray {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, data has "
                    + data.length);
        }
    }

    /** A 1-D array. */
    public static NpyArray of(double[] values) {
        return new NpyArray(new int[] {values.length}, values);
    }

    /** A 2-D array from rows of equal length. */
    public static NpyArray of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] d = new double[Math.multiplyExact(rows.length, cols)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new NpyArray(new int[] {rows.length, cols}, d);
    }

    /** A 3-D array [n][c][t] from nested arrays of equal lengths (recordings: channels × samples). */
    public static NpyArray of(float[][][] x) {
        int n = x.length;
        int c = n == 0 ? 0 : x[0].length;
        int t = c == 0 ? 0 : x[0][0].length;
        double[] d = new double[Math.multiplyExact(Math.multiplyExact(n, c), t)];
        for (int i = 0; i < n; i++) {
            if (x[i].length != c) {
                throw new IllegalArgumentException("item " + i + " has " + x[i].length + " rows, expected " + c);
            }
            for (int ch = 0; ch < c; ch++) {
                if (x[i][ch].length != t) {
                    throw new IllegalArgumentException("item " + i + ", row " + ch + " has " + x[i][ch].length
                            + " values, expected " + t);
                }
                for (int k = 0; k < t; k++) {
                    d[(i * c + ch) * t + k] = x[i][ch][k];
                }
            }
        }
        return new NpyArray(new int[] {n, c, t}, d);
    }

    /** A 2-D array as rows. */
    public double[][] rows() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("expected a 2-D array, got shape " + Arrays.toString(shape));
        }
        double[][] m = new double[shape[0]][];
        for (int i = 0; i < m.length; i++) {
            m[i] = row(i);
        }
        return m;
    }

    /** Row {@code i} of a 2-D array. */
    public double[] row(int i) {
        int cols = shape[1];
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }
}
