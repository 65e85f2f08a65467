package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import org.neuroinfer.dataset.SpectraConfig;
import org.neuroinfer.dataset.SpectraGenerator;

/**
 * The SGM data-set stage on a cluster: one part per block of speed strata (the units of {@code sgm generate --part}),
 * each read from the same experiment file by the worker that runs it (checking the shards an earlier run left),
 * then the manifest written by the driver from the checksum files: the bytes of one machine. The file and its
 * connectome travel with the job.
 */
public final class SpectraGeneration {
    private SpectraGeneration() {
    }

    /**
     * Generates the experiment of {@code config} into {@code out} on {@code master}; with {@code force}, a data set
     * of another configuration there is removed first. The folder must be at the same path on every worker.
     *
     * @return shards made by the cluster's parts
     */
    public static int onCluster(Path config, Path out, boolean force, int threads, Cluster cluster, String master,
                                IntConsumer progress) throws IOException {
        SpectraConfig c = SpectraConfig.read(config);
        SpectraGenerator g = new SpectraGenerator(c, threads);
        if (force) {
            g.generate(out, true, n -> { }, 0);
        }
        int blocks = g.plan().size() / c.noiseDb().size();
        String file = config.toAbsolutePath().toString();
        String dir = out.toAbsolutePath().toString();
        // every checksum file is checked or made by a part in this run: see Generation
        cluster.runParts(master, "neuroinfer sgm generate " + out.getFileName(), blocks,
                List.of(config, Path.of(c.connectome())), part -> new SpectraGenerator(
                        SpectraConfig.read(Path.of(file)), 1).generate(Path.of(dir), false, n -> { }, -1, part));
        int sealed = org.neuroinfer.io.Part.sealedCount(out.resolve("shards"));
        g.generate(out, false, progress, -1, null, true);
        return sealed;
    }

    /**
     * Generates the experiment of {@code config} on {@code master} into the folder {@code out} on a file system the
     * workers share ({@code hdfs://}, {@code s3a://}, ...): each block made on its worker and put there, then checked
     * and the manifest written, the bytes of one machine. A killed run resumes; with {@code force}, a data set of
     * another configuration there is removed first.
     *
     * @return shards made by the cluster's parts
     */
    public static int onCluster(Path config, RemoteFolder out, boolean force, Cluster cluster, String master)
            throws IOException {
        SpectraConfig c = SpectraConfig.read(config);
        SpectraGenerator g = new SpectraGenerator(c, 1);
        int conditions = c.noiseDb().size();
        List<String> plan = g.plan().stream().map(s -> s.file()).toList();
        List<List<String>> files = new java.util.ArrayList<>();
        for (int s = 0; s < plan.size(); s += conditions) {
            files.add(List.copyOf(plan.subList(s, s + conditions)));
        }
        String file = config.toAbsolutePath().toString();
        return RemoteDataset.build(new RemoteDataset.Plan(out, c.hash(), files, "neuroinfer sgm generate "
                        + out.uri(), List.of(config, Path.of(c.connectome()))),
                dir -> g.generate(dir, force, n -> { }, 0),
                (dir, part) -> new SpectraGenerator(SpectraConfig.read(Path.of(file)), 1).generate(dir, false,
                        n -> { }, -1, part),
                g::gather, cluster, master);
    }
}
