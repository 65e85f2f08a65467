package org.neuroinfer.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes files under a temporary name in the target's folder and renames them, so no half-written file remains. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Checks, before any work, that {@code target} can be written: it does not exist (or {@code force}), it is not a
     * folder, and its nearest existing folder is a writable folder rather than a file.
     *
     * @throws OutputExistsException    if it exists and {@code force} is false
     * @throws IllegalArgumentException naming the path and the reason otherwise
     */
    public static void checkWritable(Path target, boolean force) {
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(target + " is a folder; give a file name");
        }
        if (!force && Files.exists(target)) {
            throw new OutputExistsException(target);
        }
        checkFolder(target.toAbsolutePath().getParent(), target);
    }

    /**
     * Checks that {@code dir} is, or can be made as, a writable folder for {@code target}.
     *
     * @throws IllegalArgumentException naming the file in the way, or the folder that is not writable
     */
    public static void checkFolder(Path dir, Path target) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new IllegalArgumentException(target + " cannot be written: " + p + " is a file, not a "
                            + "folder");
                }
                if (!Files.isWritable(p)) {
                    throw new IllegalArgumentException(target + " cannot be written: the folder " + p + " is not "
                            + "writable");
                }
                return;
            }
        }
    }

    /**
     * Writes {@code content} to {@code target} atomically.
     *
     * @param force replace an existing file; otherwise an existing file is an {@link OutputExistsException}
     */
    public static void write(Path target, boolean force, Content content) throws IOException {
        checkWritable(target, force);
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        removeLeftovers(abs);
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime())
                + Thread.currentThread().getId() + ".part");
        try {
            // CREATE_NEW respects the umask (createTempFile would make the file private)
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
                content.writeTo(out);
            }
            try {
                if (force) {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Files whose earlier temporary files this process has already looked for. */
    private static final java.util.Set<Path> CLEARED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Removes the temporary files an earlier, killed process left while writing {@code target} ({@code
     * .NAME.*.part} beside it, older than this process), once per file and process, so a file rewritten as work
     * goes on does not list its folder each time; those of this process's other writers are left alone.
     */
    static void removeLeftovers(Path target) throws IOException {
        Path dir = target.getParent();
        if (dir == null || !CLEARED.add(target)) {
            return;
        }
        String prefix = "." + target.getFileName() + ".";
        long started = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        try (java.nio.file.DirectoryStream<Path> parts = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".part");
        })) {
            for (Path p : parts) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < started) {
                        Files.deleteIfExists(p);
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // another process finished with it
                }
            }
        }
    }

    /** Deletes {@code dir} and everything below it; nothing if it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
