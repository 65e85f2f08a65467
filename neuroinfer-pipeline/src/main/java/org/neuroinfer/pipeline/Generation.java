package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import org.neuroinfer.dataset.DatasetGenerator;
import org.neuroinfer.dataset.GenerationConfig;

/**
 * The data-set generation stage: the benchmark's labelled EEG recordings, every noise condition of a
 * {@link GenerationConfig}, into a folder of HDF5 shards and a manifest. A killed run resumes where it stopped and
 * gives the same bytes as an uninterrupted one, on any number of threads.
 */
public final class Generation {
    private Generation() {
    }

    /**
     * What to generate.
     *
     * @param config  the experiment (defaults filled in)
     * @param out     the data set's folder
     * @param force   start over when {@code out} holds a data set of another configuration
     * @param threads threads (the result does not depend on them)
     * @param part    the part of a generation split over jobs, or null for the whole (which also accepts the
     *                shards parts made and writes the manifest)
     */
    public record Spec(GenerationConfig config, Path out, boolean force, int threads,
                       org.neuroinfer.io.Part part) {
        /** The whole data set. */
        public Spec(GenerationConfig config, Path out, boolean force, int threads) {
            this(config, out, force, threads, null);
        }

        public Spec {
            config = config.withDefaults();
            config.validate();
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
        }
    }

    /**
     * What was generated.
     *
     * @param made       shards made now (the others were kept from an earlier run or made by parts)
     * @param shards     shards in the plan (of its part, for a part)
     * @param recordings recordings in the data set
     * @param seconds    wall time
     */
    public record Result(Path out, int made, int shards, long recordings, double seconds) {
    }

    /** Generates {@code spec}, telling {@code progress} the recordings finished (kept shards included). */
    public static Result run(Spec spec, IntConsumer progress) throws IOException {
        return run(spec, progress, -1);
    }

    /** As {@link #run(Spec, IntConsumer)}, stopping after making {@code stopAfter} shards (negative: no limit). */
    public static Result run(Spec spec, IntConsumer progress, int stopAfter) throws IOException {
        DatasetGenerator g = new DatasetGenerator(spec.config(), spec.threads());
        long t0 = System.nanoTime();
        int made = g.generate(spec.out(), spec.force(), progress, stopAfter, spec.part());
        int shards = spec.part() == null ? g.plan().size() : spec.part().ownedOf(g.plan().size());
        return new Result(spec.out(), made, shards, g.total(), (System.nanoTime() - t0) / 1e9);
    }
}
