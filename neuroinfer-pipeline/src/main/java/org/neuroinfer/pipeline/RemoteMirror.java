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
 * A small output folder (tables, part tables, plots, a trained model) kept in a {@link RemoteFolder} and worked on
 * in a local copy: {@link #pull} copies it here, the stage works as on a local folder, {@link #push} puts back
 * what changed since and removes what the stage removed. A task pushes only the files it changed, so tasks that
 * work on files of their own do not overwrite each other.
 */
final class RemoteMirror {
    private final RemoteFolder remote;
    private final Path local;
    private Map<String, String> synced;

    private RemoteMirror(RemoteFolder remote, Path local, Map<String, String> synced) {
        this.remote = remote;
        this.local = local;
        this.synced = synced;
    }

    /** Copies every file under {@code remote} into {@code local}. */
    static RemoteMirror pull(RemoteFolder remote, Path local) throws IOException {
        Map<String, String> pulled = new TreeMap<>();
        Files.createDirectories(local);
        for (String name : remote.tree()) {
            if (name.substring(name.lastIndexOf('/') + 1).matches("\\..*\\.tmp-.*")) {
                continue; // a temporary that a killed put left
            }
            byte[] bytes = remote.read(name);
            if (bytes != null) {
                Path f = local.resolve(name);
                Files.createDirectories(f.getParent());
                AtomicFiles.write(f, true, out -> out.write(bytes));
                pulled.put(name, Checksums.sha256(bytes));
            }
        }
        return new RemoteMirror(remote, local, pulled);
    }

    /**
     * Puts each file of the local copy that is new or changed since the last pull or push into the remote folder,
     * and deletes there the files the copy no longer holds.
     */
    void push() throws IOException {
        Map<String, String> now = new TreeMap<>();
        try (Stream<Path> files = Files.walk(local)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                now.put(local.relativize(f).toString().replace(java.io.File.separatorChar, '/'), Checksums.sha256(f));
            }
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!e.getValue().equals(synced.get(e.getKey()))) {
                remote.put(local.resolve(e.getKey()), e.getKey());
            }
        }
        for (String name : synced.keySet()) {
            if (!now.containsKey(name)) {
                remote.delete(name);
            }
        }
        synced = now;
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
