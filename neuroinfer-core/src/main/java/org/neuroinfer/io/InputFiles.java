package org.neuroinfer.io;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a file that a configuration names (a lead field, a connectome, ALN tables, a study file, a model) is read.
 * On one machine that is the file itself. On a cluster's worker it is the copy the cluster shipped there
 * ({@link #install}): the configuration keeps the driver's paths, so its hash and every byte made from it are the
 * same on the worker, and the worker needs no shared file system for its inputs. The readers of named inputs ask
 * here before they open a file; a path under a shipped folder reads the same place in the folder's copy.
 */
public final class InputFiles {
    private static final Map<Path, Path> COPIES = new ConcurrentHashMap<>();

    private InputFiles() {
    }

    /** The file to open for {@code named}: its shipped copy on a cluster's worker, otherwise {@code named}. */
    public static Path local(Path named) {
        if (COPIES.isEmpty()) {
            return named;
        }
        Path p = named.toAbsolutePath().normalize();
        for (Path q = p; q != null; q = q.getParent()) {
            Path copy = COPIES.get(q);
            if (copy != null) {
                return q.equals(p) ? copy : copy.resolve(q.relativize(p).toString());
            }
        }
        return named;
    }

    /** From now on in this JVM, each named file or folder (a key) is read from its copy (the value). */
    public static void install(Map<Path, Path> copies) {
        copies.forEach((named, copy) -> COPIES.put(named.toAbsolutePath().normalize(), copy));
    }

    /** Reads {@code named} files and folders from themselves again. */
    public static void remove(Collection<Path> named) {
        for (Path p : named) {
            COPIES.remove(p.toAbsolutePath().normalize());
        }
    }
}
