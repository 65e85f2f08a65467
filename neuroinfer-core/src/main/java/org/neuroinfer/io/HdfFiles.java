package org.neuroinfer.io;

import io.jhdf.HdfFile;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens HDF5 files for reading, turning the reader's bare errors into ones that name the file. */
public final class HdfFiles {
    private HdfFiles() {
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
