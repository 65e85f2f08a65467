package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Checksums;

/**
 * A small output folder (tables, part tables, plots: the files at its top) kept in a {@link RemoteFolder} and worked
 * on in a local copy: {@link #pull} copies it here, the stage works as on a local folder, {@link #push} puts back
 * what changed and removes what the stage removed. A task pushes only the files it changed, so tasks that work on
 * files of their own do not overwrite each other.
 */
final class RemoteMirror {
    private RemoteMirror() {
    }

    /**
     * Copies every file at the top of {@code remote} into {@code local}.
     *
     * @return their checksums by name, for {@link #push}
     */
    static Map<String, String> pull(RemoteFolder remote, Path local) throws IOException {
        Map<String, String> pulled = new TreeMap<>();
        Files.createDirectories(local);
        for (String name : remote.list("")) {
            byte[] bytes = remote.read(name);
            if (bytes != null) {
                AtomicFiles.write(local.resolve(name), true, out -> out.write(bytes));
                pulled.put(name, Checksums.sha256(bytes));
            }
        }
        return pulled;
    }

    /**
     * Puts each file at the top of {@code local} that is new or changed since {@link #pull} gave {@code pulled} into
     * {@code remote}, and deletes there the pulled files that {@code local} no longer holds.
     */
    static void push(Path local, RemoteFolder remote, Map<String, String> pulled) throws IOException {
        Map<String, String> now = new TreeMap<>();
        try (Stream<Path> files = Files.list(local)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                now.put(f.getFileName().toString(), Checksums.sha256(f));
            }
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!e.getValue().equals(pulled.get(e.getKey()))) {
                remote.put(local.resolve(e.getKey()), e.getKey());
            }
        }
        for (String name : pulled.keySet()) {
            if (!now.containsKey(name)) {
                remote.delete(name);
            }
        }
    }

    /** Runs {@code work} on a fresh local folder, removed afterwards whatever happens. */
    static <T> T inTemporaryFolder(String prefix, FolderWork<T> work) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        try {
            return work.run(dir);
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    /** Work on a local folder. */
    interface FolderWork<T> {
        T run(Path dir) throws IOException;
    }
}
