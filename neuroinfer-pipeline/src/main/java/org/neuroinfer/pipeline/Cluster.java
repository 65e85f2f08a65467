package org.neuroinfer.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.ServiceLoader;
import org.neuroinfer.io.Part;

/**
 * A cluster that runs the parts of a split stage (the units of {@code --part K/N}) wherever it places them, retrying
 * a part whose worker died. The implementation on Apache Spark is in the neuroinfer-spark module and is found through
 * {@link ServiceLoader}; the plain command-line program does not carry it. A part is deterministic and writes each
 * unit atomically, so a part run twice leaves the same files.
 */
public interface Cluster {
    /** A part's work, shipped to the worker that runs it. */
    interface PartWork extends Serializable {
        /** Makes the units of {@code part}. */
        void run(Part part) throws Exception;
    }

    /**
     * A job's context on the cluster, kept open across several rounds of parts (a fit's generations), its inputs
     * shipped once.
     */
    interface Session extends AutoCloseable {
        /**
         * Runs {@code work} for parts 0 to {@code count - 1} of {@code count}, returning when every part has
         * succeeded.
         *
         * @param name what this round is called in the cluster's user interface
         * @throws IllegalStateException naming the part and the cause when a part fails for good
         */
        void runParts(String name, int count, PartWork work) throws IOException;

        /** Ends the job's context and removes the copies of its inputs. */
        @Override
        void close() throws IOException;
    }

    /**
     * Opens a job's context on {@code master}. The {@code inputs} (files and folders a part reads, named as the
     * driver sees them) are shipped to the workers and read there from their copies
     * ({@link org.neuroinfer.io.InputFiles}), so a worker needs no shared file system for them.
     *
     * @param name what the job is called in the cluster's user interface
     * @throws IOException when the driver cannot read or stage an input
     * @throws IllegalArgumentException for a master the cluster cannot reach or an input that does not exist
     */
    Session open(String master, String name, Collection<Path> inputs) throws IOException;

    /**
     * Refuses a master this cluster surely cannot reach, before a stage writes anything.
     *
     * @throws IllegalArgumentException naming the master and why
     */
    default void check(String master) {
    }

    /**
     * The folder at {@code uri} on a file system the workers share ({@code hdfs://}, {@code s3a://}, ...), checked
     * before a stage writes anything.
     *
     * @throws IllegalArgumentException naming the URI when this cluster has no file system for its scheme
     */
    default RemoteFolder folder(String uri) {
        throw new IllegalArgumentException(uri + ": this cluster writes no remote file systems; give a folder every "
                + "worker mounts");
    }

    /** Runs {@code work} for parts 0 to {@code count - 1} of {@code count} as one job: {@link #open}, then its parts. */
    default void runParts(String master, String name, int count, Collection<Path> inputs, PartWork work)
            throws IOException {
        try (Session s = open(master, name, inputs)) {
            s.runParts(name, count, work);
        }
    }

    /**
     * The cluster on the class path.
     *
     * @throws IllegalArgumentException when there is none, saying how to get one
     */
    static Cluster find() {
        return ServiceLoader.load(Cluster.class).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "--spark needs the neuroinfer-spark module, which this program does not carry: run the command with "
                        + "./neuroinfer (which adds Spark when --spark is given) or submit "
                        + "neuroinfer-spark/target/neuroinfer-spark-submit.jar with spark-submit (docs/scale.md)"));
    }
}
