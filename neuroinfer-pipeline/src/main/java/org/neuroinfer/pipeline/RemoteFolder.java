package org.neuroinfer.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder on a file system that a cluster's workers share but this machine does not mount ({@code hdfs://},
 * {@code s3a://}, ...), named by URI; files in it are named by paths relative to it ({@code shards/c00_s0000.h5}).
 * Travels to the workers with a part's work. Found through {@link Cluster#folder}.
 */
public interface RemoteFolder extends Serializable {
    /** The folder's URI, as given. */
    String uri();

    /** The bytes of the (small) file {@code name}, or null when there is none. */
    byte[] read(String name) throws IOException;

    /** Whether the file {@code name} exists. */
    boolean exists(String name) throws IOException;

    /**
     * Copies the local file {@code local} to {@code name}: written under a temporary name in the same folder, then
     * renamed, replacing a file of that name, so no half-written file ever has it.
     */
    void put(Path local, String name) throws IOException;

    /** Writes {@code bytes} to {@code name} as {@link #put} does. */
    void write(String name, byte[] bytes) throws IOException;

    /**
     * Copies the file {@code name} to the local file {@code local} (replacing it), streaming.
     *
     * @throws java.io.FileNotFoundException when there is none
     */
    void get(String name, Path local) throws IOException;

    /** Deletes the file or folder {@code name} (nothing when there is none). */
    void delete(String name) throws IOException;

    /**
     * The names (relative to this folder) of the files in its sub-folder {@code dir} ({@code ""}: at its top), in
     * order; empty when there is none.
     */
    List<String> list(String dir) throws IOException;

    /** The names (relative to this folder, with {@code /}) of every file under it, sub-folders included, in order. */
    List<String> tree() throws IOException;

    /** The SHA-256 of the file {@code name}, in hex, read as it streams past; null when there is none. */
    String sha256(String name) throws IOException;

    /** Copies every file under this folder into the local folder {@code local}, at the same relative paths. */
    default void getTree(Path local) throws IOException {
        for (String name : tree()) {
            Path target = local.resolve(name);
            java.nio.file.Files.createDirectories(target.getParent());
            get(name, target);
        }
    }
}
