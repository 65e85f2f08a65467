package org.neuroinfer.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File checksums. */
public final class Checksums {
    private Checksums() {
    }

    /** SHA-256 of a file's bytes, as lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** SHA-256 of the bytes {@code in} gives until its end, as lower-case hex; the stream is left open. */
    public static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of {@code bytes}, as lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of matrices' shapes and values (little-endian float64), as lower-case hex: a content key. */
    public static String sha256(java.util.List<double[][]> matrices) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double[][] m : matrices) {
            b.clear();
            bytes.write(b.putLong(m.length).array(), 0, 8);
            for (double[] row : m) {
                b.clear();
                bytes.write(b.putLong(row.length).array(), 0, 8);
                for (double v : row) {
                    b.clear();
                    bytes.write(b.putDouble(v).array(), 0, 8);
                }
            }
        }
        return sha256(bytes.toByteArray());
    }
}
