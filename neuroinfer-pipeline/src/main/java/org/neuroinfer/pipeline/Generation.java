package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Generates {@code spec} (which names no part) on a cluster: one part per shard, run where {@code cluster} places
     * it with one thread each (which checks a shard kept from an earlier run against its checksum file, or makes it),
     * then the manifest written here from the checksum files, the same bytes as
     * {@link #run(Spec, IntConsumer)}; the files the experiment names travel with the job. With {@code force}, a
     * data set of another configuration in the folder is removed first.
     */
    public static Result onCluster(Spec spec, Cluster cluster, String master, IntConsumer progress)
            throws IOException {
        if (spec.part() != null) {
            throw new IllegalArgumentException("--spark runs every part itself; leave out --part");
        }
        long t0 = System.nanoTime();
        DatasetGenerator g = new DatasetGenerator(spec.config(), 1);
        g.prepare(spec.out(), spec.force());
        int shards = g.plan().size();
        String json = spec.config().canonicalJson();
        String out = spec.out().toAbsolutePath().toString();
        // each part reads back every shard of its own that is already there (kept from an earlier run) against its
        // checksum and makes the rest, checksumming each as written: so every checksum file was checked in this
        // run, on the workers, and the driver writes the manifest from them without reading a shard
        cluster.runParts(master, "neuroinfer generate " + spec.out().getFileName(), shards,
                spec.config().inputFiles(),
                part -> run(new Spec(GenerationConfig.ofJson(json), Path.of(out), false, 1, part), n -> { }));
        int sealed = org.neuroinfer.io.Part.sealedCount(spec.out().resolve("shards"));
        DatasetGenerator whole = new DatasetGenerator(spec.config(), spec.threads());
        int made = whole.generate(spec.out(), false, progress, -1, null, true);
        return new Result(spec.out(), sealed + made, shards, whole.total(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Generates {@code spec} (whose folder is ignored) on a cluster into the folder {@code out} on a file system the
     * workers share ({@code hdfs://}, {@code s3a://}, ...): one part per shard, each made on its worker and put there,
     * then checked and the manifest written, the same bytes as {@link #run(Spec, IntConsumer)}. A killed run
     * resumes; with {@code force}, a data set of another configuration there is removed first.
     *
     * @return what was generated, {@link Result#out()} null
     */
    public static Result onCluster(Spec spec, RemoteFolder out, Cluster cluster, String master) throws IOException {
        if (spec.part() != null) {
            throw new IllegalArgumentException("--spark runs every part itself; leave out --part");
        }
        long t0 = System.nanoTime();
        DatasetGenerator g = new DatasetGenerator(spec.config(), 1);
        List<List<String>> files = g.plan().stream().map(s -> List.of(s.file())).toList();
        String json = spec.config().canonicalJson();
        int made = RemoteDataset.build(new RemoteDataset.Plan(out, spec.config().hash(), files,
                        "neuroinfer generate " + out.uri(), spec.config().inputFiles()),
                dir -> g.prepare(dir, spec.force()),
                (dir, part) -> run(new Spec(GenerationConfig.ofJson(json), dir, false, 1, part), n -> { }),
                g::gather, cluster, master);
        return new Result(null, made, files.size(), g.total(), (System.nanoTime() - t0) / 1e9);
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
