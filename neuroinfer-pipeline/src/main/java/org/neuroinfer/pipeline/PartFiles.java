package org.neuroinfer.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neuroinfer.io.AtomicFiles;

/**
 * Where the parts of a cluster job leave their results (a candidate's score, a block of simulations) for the driver
 * to gather: the output folder, which every worker reaches, or a folder on the cluster's file system. Each file is
 * written whole under its name (temporary name, then rename), so a file there is complete.
 */
interface PartFiles extends Serializable {
    /** The bytes of {@code name}, or null when there is none. */
    byte[] read(String name) throws IOException;

    /** Writes {@code name} atomically. */
    void write(String name, byte[] bytes) throws IOException;

    /** Deletes the file or folder {@code name} (nothing when there is none). */
    void delete(String name) throws IOException;

    /** Part files in the folder {@code dir}. */
    static PartFiles in(Path dir) {
        return new Local(dir.toAbsolutePath().toString());
    }

    /** Part files in a folder on the cluster's file system. */
    static PartFiles in(RemoteFolder folder) {
        return new Remote(folder);
    }

    /** In a folder every worker reaches. */
    record Local(String dir) implements PartFiles {
        @Override
        public byte[] read(String name) throws IOException {
            Path f = Path.of(dir).resolve(name);
            return Files.exists(f) ? Files.readAllBytes(f) : null;
        }

        @Override
        public void write(String name, byte[] bytes) throws IOException {
            AtomicFiles.write(Path.of(dir).resolve(name), true, o -> o.write(bytes));
        }

        @Override
        public void delete(String name) throws IOException {
            Path f = Path.of(dir).resolve(name);
            if (Files.isDirectory(f)) {
                AtomicFiles.deleteTree(f); // with any temporary a killed task left
            } else {
                Files.deleteIfExists(f);
            }
        }
    }

    /** In a folder on the cluster's file system. */
    record Remote(RemoteFolder folder) implements PartFiles {
        @Override
        public byte[] read(String name) throws IOException {
            return folder.read(name);
        }

        @Override
        public void write(String name, byte[] bytes) throws IOException {
            folder.write(name, bytes);
        }

        @Override
        public void delete(String name) throws IOException {
            folder.delete(name);
        }
    }
}
