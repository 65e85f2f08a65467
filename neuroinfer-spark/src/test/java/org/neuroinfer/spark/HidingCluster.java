package org.neuroinfer.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import org.neuroinfer.pipeline.Cluster;

/**
 * Spark, with a folder of inputs moved away while the parts run (by the first part on each executor; put back by the
 * driver when the session closes): a part that opened an input at the driver's path instead of the copy shipped with the job
 * would fail.
 */
final class HidingCluster implements Cluster {
    private final SparkCluster spark = new SparkCluster();
    private final String folder;
    private int hidden;

    HidingCluster(Path folder) {
        this.folder = folder.toAbsolutePath().toString();
    }

    /** Sessions whose parts ran with the folder out of reach. */
    int hiddenJobs() {
        return hidden;
    }

    @Override
    public Session open(String master, String name, Collection<Path> inputs) throws IOException {
        Session session = spark.open(master, name, inputs);
        String f = folder;
        Path away = Path.of(f + ".hidden");
        return new Session() {
            @Override
            public void runParts(String round, int count, PartWork work) throws IOException {
                session.runParts(round, count, part -> {
                    hide(f);
                    if (Files.exists(Path.of(f))) {
                        throw new IllegalStateException(f + " is still there");
                    }
                    work.run(part);
                });
            }

            @Override
            public void close() throws IOException {
                try {
                    session.close();
                } finally {
                    if (Files.exists(away)) {
                        hidden++;
                        Files.move(away, Path.of(f));
                    }
                }
            }
        };
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
