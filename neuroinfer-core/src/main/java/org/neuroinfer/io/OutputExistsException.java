package org.neuroinfer.io;

import java.nio.file.Path;

/** The output file exists already and overwriting was not asked for. */
public class OutputExistsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public OutputExistsException(Path path) {
        super("output file " + path + " exists already; choose another name or pass --force to replace it");
    }
}
