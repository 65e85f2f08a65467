package org.neuroinfer.io;

import io.jhdf.HdfFile;
import io.jhdf.JhdfInfo;
import io.jhdf.WritableHdfFile;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Opens HDF5 files for reading, turning the reader's bare errors into ones that name the file, and creates them
 * for writing with bytes that depend only on what is written.
 */
public final class HdfFiles {
    private HdfFiles() {
    }

    /** The root attribute jHDF stamps every file with: its version, the OS, the architecture, the byte order. */
    static final String WRITER_STAMP = "_jHDF";
    /** In a version-2/3 superblock with 8-byte offsets: the end-of-file address at byte 28, the checksum at 44. */
    private static final int EOF_AT = 28;
    private static final int CHECKSUM_AT = 44;

    /** What is written into a new file. */
    @FunctionalInterface
    public interface Filling {
        void into(WritableHdfFile h) throws IOException;
    }

    /**
     * Writes {@code file} with {@code body}, its bytes depending only on what {@code body} writes. jHDF stamps every
     * file with its own version (read from its jar's manifest, so "null" inside a shaded jar), the operating system
     * and the architecture, twice: as the root attribute {@code _jHDF} and as bytes appended after the last object.
     * The same data written on Linux and on macOS, or through {@code spark-submit}'s single jar, would then differ in
     * bytes and checksums. The attribute is removed before writing, and the appended bytes are cut off afterwards
     * (the superblock's end-of-file address and checksum set to match), which leaves a valid HDF5 file.
     *
     * @throws IOException if the file cannot be written, or jHDF did not end it with its stamp as expected
     */
    public static void write(Path file, Filling body) throws IOException {
        try (WritableHdfFile h = HdfFile.write(file)) {
            h.removeAttribute(WRITER_STAMP);
            body.into(h);
        }
        cutWritersStamp(file);
    }

    private static void cutWritersStamp(Path file) throws IOException {
        byte[] stamp = ("jHDF - " + JhdfInfo.VERSION + " - " + JhdfInfo.OS + " - " + JhdfInfo.ARCH + " - "
                + JhdfInfo.BYTE_ORDER).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer superblock = ByteBuffer.allocate(CHECKSUM_AT + 4).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer tail = ByteBuffer.allocate(stamp.length);
            if (size < superblock.capacity() + stamp.length || ch.read(superblock, 0) != superblock.capacity()
                    || ch.read(tail, size - stamp.length) != stamp.length || !Arrays.equals(tail.array(), stamp)
                    || (superblock.get(8) != 2 && superblock.get(8) != 3) || superblock.getLong(EOF_AT) != size) {
                throw new IOException(file + ": jHDF " + JhdfInfo.VERSION + " did not end the file with its stamp "
                        + "after a version-2/3 superblock; the writer's stamp cannot be removed");
            }
            long end = size - stamp.length;
            superblock.putLong(EOF_AT, end);
            superblock.putInt(CHECKSUM_AT, ChecksumUtils.checksum(Arrays.copyOf(superblock.array(), CHECKSUM_AT)));
            superblock.rewind();
            ch.write(superblock, 0);
            ch.truncate(end);
        }
    }

    /**
     * Opens {@code file}.
     *
     * @throws IOException naming the file if it is missing, or is not HDF5 or is damaged (e.g. truncated)
     */
    public static HdfFile open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try {
            return new HdfFile(file);
        } catch (HdfException e) {
            throw damaged(file, e);
        }
    }

    /** What is read from an open file. */
    @FunctionalInterface
    public interface Reading<T> {
        T from(HdfFile h) throws IOException;
    }

    /**
     * Opens {@code file} and reads it with {@code body}; the reader's failures on a damaged file (a truncated one
     * fails only when a dataset is read) become an {@link IOException} naming the file.
     */
    public static <T> T read(Path file, Reading<T> body) throws IOException {
        try (HdfFile h = open(file)) {
            return body.from(h);
        } catch (HdfException | java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw damaged(file, e);
        }
    }

    private static IOException damaged(Path file, RuntimeException e) {
        return new IOException(file + ": not an HDF5 file, or a damaged one (" + e.getMessage() + ")", e);
    }

    /**
     * The data of dataset {@code path} of {@code h} (opened from {@code file}), refusing a dataset whose bytes lie
     * past the end of a truncated file (the reader would otherwise return whatever it finds there).
     *
     * @throws IOException naming the file and the dataset if it is truncated
     */
    public static Object data(HdfFile h, Path file, String path) throws IOException {
        io.jhdf.api.Dataset d = h.getDatasetByPath(path);
        if (d instanceof io.jhdf.api.dataset.ContiguousDataset c && !d.isEmpty()) {
            long end = c.getDataAddress() + d.getSizeInBytes();
            long size = Files.size(file);
            if (end > size) {
                throw new IOException(file + ": truncated: dataset '" + path + "' ends at byte " + end + ", the file "
                        + "has " + size);
            }
        }
        return d.getData();
    }
}
