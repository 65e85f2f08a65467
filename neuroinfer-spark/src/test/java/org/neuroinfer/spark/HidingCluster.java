package org.neuroinfer.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import org.neuroinfer.pipeline.Cluster;

/**
 * Spark, with a folder of inputs moved away while the parts run (by the first part on each executor; put back by the
 * driver after the job): a part that opened an input at the driver's path instead of the copy shipped with the job
 * would fail.
 */
final class HidingCluster implements Cluster {
    private final SparkCluster spark = new SparkCluster();
    private final String folder;
    private int hidden;

    HidingCluster(Path folder) {
        this.folder = folder.toAbsolutePath().toString();
    }

    /** Jobs whose parts ran with the folder out of reach. */
    int hiddenJobs() {
        return hidden;
    }

    @Override
    public void runParts(String master, String name, int count, Collection<Path> inputs, PartWork work)
            throws IOException {
        String f = folder;
        Path away = Path.of(f + ".hidden");
        try {
            spark.runParts(master, name, count, inputs, part -> {
                hide(f);
                if (Files.exists(Path.of(f))) {
                    throw new IllegalStateException(f + " is still there");
                }
                work.run(part);
            });
        } finally {
            if (Files.exists(away)) {
                hidden++;
                Files.move(away, Path.of(f));
            }
        }
    }

    private static synchronized void hide(String folder) throws IOException {
        Path f = Path.of(folder);
        try {
            if (Files.exists(f)) {
                Files.move(f, Path.of(folder + ".hidden"));
            }
        } catch (NoSuchFileException e) { // another executor moved it first
        }
    }
}
