package org.neuroinfer.data;

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
            throw new IOException(file + ": not an HDF5 file, or a damaged one (" + e.getMessage() + ")", e);
        }
    }
}
