package org.neuroinfer.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy's {@code .npy} format (version 1.0) and {@code .npz} archives: little-endian float64
 * ({@code <f8}) arrays and fixed-width unicode ({@code <U}) string arrays, C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Writes a float64 array in {@code .npy} format. */
    public static void write(OutputStream out, NpyArray a) throws IOException {
        header(out, "<f8", a.shape());
        ByteBuffer buf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
        double[] d = a.data();
        for (int i = 0; i < d.length; i += 8192) {
            int n = Math.min(8192, d.length - i);
            buf.clear();
            buf.asDoubleBuffer().put(d, i, n);
            out.write(buf.array(), 0, 8 * n);
        }
    }

    /** Writes a 1-D array of strings as NumPy unicode ({@code <U<width>}). */
    public static void writeStrings(OutputStream out, String[] values) throws IOException {
        int width = Math.max(1, Arrays.stream(values).mapToInt(s -> s.codePointCount(0, s.length())).max().orElse(1));
        header(out, "<U" + width, new int[] {values.length});
        ByteBuffer buf = ByteBuffer.allocate(4 * width).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : values) {
            buf.clear();
            s.codePoints().forEach(buf::putInt);
            while (buf.hasRemaining()) {
                buf.putInt(0);
            }
            out.write(buf.array());
        }
    }

    private static void header(OutputStream out, String descr, int[] shape) throws IOException {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]).append(shape.length == 1 ? "," : (i < shape.length - 1 ? ", " : ""));
        }
        sh.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(h.length() & 0xff);
        out.write((h.length() >> 8) & 0xff);
        out.write(h.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes a float64 array to a {@code .npy} file atomically. */
    public static void save(Path file, NpyArray a, boolean force) throws IOException {
        AtomicFiles.write(file, force, out -> write(out, a));
    }

    /** Reads a float64 (or float32 / int64 / int32, converted) {@code .npy} file. */
    public static NpyArray load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(InputFiles.local(file))) {
            return read(in, file.toString());
        }
    }

    /** Reads a {@code .npy} stream; {@code name} appears in error messages. */
    public static NpyArray read(InputStream input, String name) throws IOException {
        try {
            return readChecked(input, name);
        } catch (java.io.EOFException e) {
            throw new IOException(name + ": truncated (it ends inside its header or data)", e);
        }
    }

    private static NpyArray readChecked(InputStream input, String name) throws IOException {
        DataInputStream in = new DataInputStream(input);
        byte[] magic = new byte[6];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(name + ": not a .npy file (bad magic bytes)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int hlen;
        if (major == 1) {
            hlen = in.readUnsignedByte() | (in.readUnsignedByte() << 8);
        } else if (major == 2 || major == 3) {
            byte[] b = new byte[4];
            in.readFully(b);
            hlen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new IOException(name + ": unsupported .npy version " + major);
        }
        byte[] hb = new byte[hlen];
        in.readFully(hb);
        String h = new String(hb, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, h, name, "descr");
        boolean fortran = "True".equals(group(FORTRAN, h, name, "fortran_order"));
        String shapeText = group(SHAPE, h, name, "shape").trim();
        int[] shape = shapeText.isEmpty() ? new int[0]
                : Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException(name + ": array of " + n + " values is too large");
        }
        int width;
        ByteOrder order;
        char kind;
        Matcher m = Pattern.compile("([<>|=])([fi])(\\d)").matcher(descr);
        if (!m.matches()) {
            throw new IOException(name + ": unsupported dtype '" + descr + "' (valid: float64, float32, int64, int32)");
        }
        order = ">".equals(m.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        kind = m.group(2).charAt(0);
        width = Integer.parseInt(m.group(3));
        if (!(width == 8 || width == 4)) {
            throw new IOException(name + ": unsupported dtype '" + descr + "'");
        }
        byte[] raw = new byte[(int) n * width];
        try {
            in.readFully(raw);
        } catch (java.io.EOFException e) {
            throw new IOException(name + ": file is truncated (expected " + n + " values of shape "
                    + Arrays.toString(shape) + ")", e);
        }
        ByteBuffer bb = ByteBuffer.wrap(raw).order(order);
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) {
            if (kind == 'f') {
                d[i] = width == 8 ? bb.getDouble() : bb.getFloat();
            } else {
                d[i] = width == 8 ? bb.getLong() : bb.getInt();
            }
        }
        return new NpyArray(shape, fortran ? toRowMajor(d, shape) : d);
    }

    /** Reorders column-major (Fortran) values of {@code shape} into row-major (C) order. */
    private static double[] toRowMajor(double[] f, int[] shape) {
        double[] c = new double[f.length];
        int[] idx = new int[shape.length];
        for (int i = 0; i < c.length; i++) {
            // idx is the multi-index of C position i; its Fortran position is idx0 + s0 (idx1 + s1 (...))
            int fpos = 0;
            for (int k = shape.length - 1; k >= 0; k--) {
                fpos = fpos * shape[k] + idx[k];
            }
            c[i] = f[fpos];
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return c;
    }

    private static String group(Pattern p, String header, String name, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(name + ": .npy header has no '" + key + "'");
        }
        return m.group(1);
    }

    /**
     * Reads every numeric entry of an {@code .npz} archive, by name (without {@code .npy}), in archive order; text
     * entries (numpy's {@code <U} and {@code |S} dtypes, e.g. parameter names) are passed over.
     *
     * @throws IOException naming the file if it is not a zip of {@code .npy} entries
     */
    public static java.util.LinkedHashMap<String, NpyArray> loadArchive(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(InputFiles.local(file))) {
            return loadArchive(in, file.toString());
        }
    }

    /** As {@link #loadArchive(Path)}, the archive's bytes given ({@code name} for messages). */
    public static java.util.LinkedHashMap<String, NpyArray> loadArchive(byte[] bytes, String name) throws IOException {
        return loadArchive(new java.io.ByteArrayInputStream(bytes), name);
    }

    private static java.util.LinkedHashMap<String, NpyArray> loadArchive(java.io.InputStream in, String file)
            throws IOException {
        java.util.LinkedHashMap<String, NpyArray> out = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    throw new IOException(file + ": entry " + name + " is not a .npy array");
                }
                byte[] entry = zip.readAllBytes();
                String head = new String(entry, 0, Math.min(entry.length, 256), StandardCharsets.ISO_8859_1);
                if (head.matches("(?s).*'descr':\\s*'[<>|=]?[US].*")) {
                    continue;
                }
                out.put(name.substring(0, name.length() - 4), read(new java.io.ByteArrayInputStream(entry),
                        file + ":" + name));
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not an .npz archive (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": not an .npz archive (no entries)");
        }
        return out;
    }

    /**
     * Reads every text entry of an {@code .npz} archive (numpy's fixed-width {@code <U} unicode and {@code |S} byte
     * strings, any shape, flattened in C order; a 0-d entry gives one string), by name, in archive order.
     *
     * @throws IOException naming the file if it is not a zip of {@code .npy} entries
     */
    public static java.util.LinkedHashMap<String, String[]> loadTextArchive(Path file) throws IOException {
        java.util.LinkedHashMap<String, String[]> out = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                Files.newInputStream(InputFiles.local(file)))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] entry = zip.readAllBytes();
                String[] text = strings(entry, file + ":" + e.getName());
                if (text != null) {
                    out.put(e.getName().replaceFirst("\\.npy$", ""), text);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not an .npz archive (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** The strings of one {@code .npy} entry, or null if it is not a text array. */
    private static String[] strings(byte[] entry, String name) throws IOException {
        if (entry.length < 10 || !Arrays.equals(Arrays.copyOf(entry, 6), MAGIC)) {
            return null;
        }
        ByteBuffer bb = ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN);
        int major = entry[6];
        int hlen = major == 1 ? Short.toUnsignedInt(bb.getShort(8)) : bb.getInt(8);
        int start = (major == 1 ? 10 : 12) + hlen;
        String h = new String(entry, 0, Math.min(entry.length, start), StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("([<>|=]?)([US])(\\d+)").matcher(group(DESCR, h, name, "descr"));
        if (!m.matches()) {
            return null;
        }
        boolean unicode = m.group(2).equals("U");
        ByteOrder order = ">".equals(m.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int width = Integer.parseInt(m.group(3));
        String shapeText = group(SHAPE, h, name, "shape").trim();
        int n = 1;
        for (String d : shapeText.split(",")) {
            if (!d.isBlank()) {
                n = Math.multiplyExact(n, Integer.parseInt(d.trim()));
            }
        }
        int size = unicode ? 4 * width : width;
        if (start + (long) n * size > entry.length) {
            throw new IOException(name + ": truncated (expected " + n + " strings of " + size + " bytes)");
        }
        String[] out = new String[n];
        ByteBuffer data = ByteBuffer.wrap(entry).order(order);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < width; k++) {
                int at = start + i * size + (unicode ? 4 * k : k);
                int c = unicode ? data.getInt(at) : Byte.toUnsignedInt(entry[at]);
                if (c == 0) {
                    break;
                }
                sb.appendCodePoint(c);
            }
            out[i] = sb.toString();
        }
        return out;
    }

    /** Fixed entry time (1980-01-01 UTC) so the same arrays always give the same archive bytes. */
    static final long ENTRY_TIME = 315532800000L;

    /** Builds an {@code .npz} archive (a zip of {@code .npy} entries) written atomically by {@link #save}. */
    public static final class Archive {
        private final java.util.LinkedHashMap<String, Object> entries = new java.util.LinkedHashMap<>();

        /** Adds a float64 array called {@code name}. */
        public Archive put(String name, NpyArray a) {
            entries.put(name, a);
            return this;
        }

        /** Adds a string array called {@code name}. */
        public Archive put(String name, String[] values) {
            entries.put(name, values.clone());
            return this;
        }

        /** Writes the archive to {@code file} atomically. */
        public void save(Path file, boolean force) throws IOException {
            AtomicFiles.write(file, force, this::writeTo);
        }

        /** The archive's bytes, as {@link #save} writes them. */
        public byte[] toBytes() throws IOException {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            writeTo(bos);
            return bos.toByteArray();
        }

        private void writeTo(java.io.OutputStream out) throws IOException {
            ZipOutputStream zip = new ZipOutputStream(out);
            // like numpy.savez: no compression (noisy floats barely compress and deflating costs seconds)
            zip.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            for (var e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setTime(ENTRY_TIME);
                zip.putNextEntry(entry);
                if (e.getValue() instanceof NpyArray a) {
                    write(zip, a);
                } else {
                    writeStrings(zip, (String[]) e.getValue());
                }
                zip.closeEntry();
            }
            zip.finish();
        }
    }

    /** Serialises a float64 array to bytes (for checksums and tests). */
    public static byte[] toBytes(NpyArray a) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        write(bos, a);
        return bos.toByteArray();
    }
}
