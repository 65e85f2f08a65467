package org.neuroinfer.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the folder of shared reference data (connectomes, reference traces) that neuroinfer reads but never
 * bundles: the system property {@code neuroinfer.shared}, else the environment variable {@code NEUROINFER_SHARED},
 * else a folder {@code shared} beside the working directory or one of its parents.
 */
public final class SharedFolder {
    private SharedFolder() {
    }

    /** The shared folder, if one is found. */
    public static Optional<Path> locate() {
        String prop = System.getProperty("neuroinfer.shared");
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Path.of(prop).toAbsolutePath().normalize());
        }
        String env = System.getenv("NEUROINFER_SHARED");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env).toAbsolutePath().normalize());
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("reference"))) {
                return Optional.of(candidate.normalize());
            }
        }
        return Optional.empty();
    }

    /**
     * The shared folder.
     *
     * @throws IllegalArgumentException saying how to point neuroinfer at it, if it is not found
     */
    public static Path require() {
        return locate().orElseThrow(() -> new IllegalArgumentException("shared reference folder not found: set "
                + "-Dneuroinfer.shared=DIR or NEUROINFER_SHARED=DIR (the folder holding reference/)"));
    }
}
