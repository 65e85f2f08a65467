package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.dataset.DatasetInspector;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.pipeline.Generation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Generates a labelled EEG data set from a YAML experiment file. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a labelled EEG data set (X, y) from a YAML experiment file; resumable.",
                "",
                "Writes DIR/manifest.json and HDF5 shards DIR/shards/cNN_sMMMM.h5 (X float32 [n, 64, 1201] in V, "
                + "y float64 [n, 9], snr_db, valid, index, times, channel and parameter names; with store: source, "
                + "the model's evoked response instead of X, which every reader rebuilds bit for bit). Running the "
                + "same command again after a kill continues where it stopped and ends with the same bytes."})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Experiment file (see examples/).")
    Path config;

    @picocli.CommandLine.Mixin
    GenerationTarget target = new GenerationTarget();

    @picocli.CommandLine.Mixin
    SparkOption spark = new SparkOption();

    @Override
    public Integer call() throws IOException {
        org.neuroinfer.pipeline.Cluster cluster = spark.cluster(target.part != null);
        org.neuroinfer.pipeline.RemoteFolder remote = target.remote(cluster);
        Generation.Spec s = new Generation.Spec(GenerationConfig.read(config), remote == null ? target.out() : null,
                target.force, target.threads.get(), target.part());
        PrintWriter o = spec.commandLine().getOut();
        Generation.Result r;
        if (remote != null) {
            spec.commandLine().getErr().println("generating " + s.config().recordings() + " recordings on Spark ("
                    + spark.master + ") into " + remote.uri() + ", one task per shard");
            r = Generation.onCluster(s, remote, cluster, spark.master);
            o.printf(Locale.ROOT, "made %d of %d shards in %.1f s (%d recordings in all); the data set is in %s%n",
                    r.made(), r.shards(), r.seconds(), r.recordings(), remote.uri());
            o.flush();
            return 0;
        }
        if (cluster != null) {
            spec.commandLine().getErr().println("generating " + s.config().recordings() + " recordings on Spark ("
                    + spark.master + "), one task per shard");
            r = Generation.onCluster(s, cluster, spark.master, n -> { });
        } else {
            try (Progress p = Progress.start(spec.commandLine().getErr(), "generating", s.config().recordings())) {
                r = Generation.run(s, p::advance, target.stopAfter);
            }
        }
        if (target.reportPart(o, r.made(), r.shards())) {
            return 0;
        }
        o.printf(Locale.ROOT, "made %d of %d shards in %.1f s (%d recordings in all)%n", r.made(), r.shards(),
                r.seconds(), r.recordings());
        o.print(DatasetInspector.inspect(target.out()));
        o.flush();
        return 0;
    }
}
