package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.pipeline.ModelEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Applies a trained model to recordings. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate parameters from recordings with a trained model.",
                "",
                "--input is an evoked file (from evoked), a data-set shard (.h5, dataset X) or a simulate .npz; its "
                + "channels are matched to the model's by name and its rate, window and unit checked. A bare .npy "
                + "[n, channels, samples] is read with --assume-layout. Prints a CSV table (one row per recording, "
                + "columns named with units), or writes it with --out.",
                "",
                "--input may also be a data-set folder (made by generate): every kept recording of every shard is "
                + "predicted, shard by shard, into a table with its condition and true parameters beside the "
                + "predicted ones; with --spark each shard is one Spark task (each executor loads the model once), "
                + "the same bytes."})
final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Model folder made by train (with --spark, "
            + "also a folder on a cluster's file system: hdfs://..., s3a://...).")
    String model;

    @picocli.CommandLine.Mixin
    RecordingFiles recordings = new RecordingFiles();

    @Option(names = "--out", paramLabel = "FILE", description = "Write the table here (.csv) instead of printing; with "
            + "--spark also a file on a file system the executors share (hdfs://..., s3a://...).")
    String out;

    @Option(names = "--force", description = "Replace --out.")
    boolean force;

    @picocli.CommandLine.Mixin
    SparkOption spark = new SparkOption();

    /** The model folder on this machine (a copy when MODEL_DIR is on a cluster's file system). */
    private Path modelDir;

    @Override
    public Integer call() throws IOException {
        try (Main.ModelFolder m = Main.model("MODEL_DIR", model,
                Main.remoteScheme(model) != null ? spark.cluster(false) : null)) {
            modelDir = m.path();
            return infer();
        }
    }

    private int infer() throws IOException {
        if (Main.remoteScheme(recordings.input) != null) {
            return dataSet(null);
        }
        Path in = recordings.input();
        if (java.nio.file.Files.isDirectory(in)) {
            return dataSet(in);
        }
        if (spark.master != null) {
            throw new IllegalArgumentException("--spark predicts a data-set folder shard by shard; " + in
                    + " is a file (run it without --spark)");
        }
        try (InverseModel model = InverseModel.load(modelDir, TorchRuntime.device("cpu"))) {
            ModelDomain.EEG.require(modelDir, model.card(), "infer");
            float[][][] x = recordings.read(model.card().input());
            long t0 = System.nanoTime();
            double[][] y = model.predict(x);
            double ms = (System.nanoTime() - t0) / 1e6;
            ModelCard.TargetSpec t = model.card().targets();
            StringBuilder sb = new StringBuilder("recording");
            for (int j = 0; j < t.names().size(); j++) {
                sb.append(',').append(t.names().get(j)).append(" [").append(t.units().get(j)).append(']');
            }
            sb.append('\n');
            for (int i = 0; i < y.length; i++) {
                sb.append(i);
                for (double v : y[i]) {
                    sb.append(',').append(String.format(Locale.ROOT, "%.6g", v));
                }
                sb.append('\n');
            }
            PrintWriter o = spec.commandLine().getOut();
            if (out != null) {
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                AtomicFiles.write(localOut(), force, s -> s.write(b));
                o.printf(Locale.ROOT, "%d recordings in %.1f ms; wrote %s%n", y.length, ms, out);
            } else {
                o.print(sb);
            }
            o.flush();
        }
        return 0;
    }

    /** The file of {@code --out} on this machine. */
    private Path localOut() {
        return Main.local("--out", out, "infer writes to a cluster's file system only the table of a data set "
                + "predicted with --spark; give a local file");
    }

    /**
     * Every kept recording of the data set in {@code dir} (null: the folder {@code --input} names on a cluster's file
     * system), here or one Spark task per shard.
     */
    private int dataSet(Path dir) throws IOException {
        org.neuroinfer.pipeline.Cluster cluster = spark.cluster(false);
        org.neuroinfer.pipeline.RemoteFolder remoteData = dir == null
                ? Main.remoteFolder("--input", recordings.input, cluster) : null;
        org.neuroinfer.pipeline.RemoteFolder remoteOut = null;
        String name = null;
        if (out != null && Main.remoteScheme(out) != null) {
            int slash = out.lastIndexOf('/');
            remoteOut = Main.remoteFolder("--out", out.substring(0, slash), cluster);
            name = out.substring(slash + 1);
            if (!force && remoteOut.exists(name)) {
                throw new IllegalArgumentException("--out " + out + " exists; add --force to replace it");
            }
        } else if (out != null) {
            AtomicFiles.checkWritable(localOut(), force);
        }
        ModelDomain.EEG.require(modelDir, ModelCard.read(modelDir), "infer");
        ModelEvaluation.Spec s = new ModelEvaluation.Spec(modelDir, dir, null, true);
        long t0 = System.nanoTime();
        ModelEvaluation.Result r;
        if (cluster != null) {
            if (out == null) {
                throw new IllegalArgumentException("--spark needs --out: the tasks write their shards' predictions "
                        + "beside it");
            }
            if (remoteOut != null) {
                r = ModelEvaluation.onCluster(s, remoteData, remoteOut, cluster, spark.master);
            } else if (remoteData != null) {
                r = ModelEvaluation.onCluster(s, remoteData, localOut().toAbsolutePath().getParent(), cluster,
                        spark.master);
            } else {
                r = ModelEvaluation.onCluster(s, localOut().toAbsolutePath().getParent(), cluster, spark.master);
            }
        } else {
            r = ModelEvaluation.run(s, new ModelEvaluation.Listener() { });
        }
        byte[] b = ModelEvaluation.table(r);
        PrintWriter o = spec.commandLine().getOut();
        if (out != null) {
            if (remoteOut != null) {
                remoteOut.write(name, b);
            } else {
                AtomicFiles.write(localOut(), force, w -> w.write(b));
            }
            o.printf(Locale.ROOT, "%d recordings of %s in %.1f s%s; wrote %s%n", r.evaluation().predicted().length,
                    dir == null ? recordings.input : dir, (System.nanoTime() - t0) / 1e9,
                    cluster != null ? " on Spark (" + spark.master + ")" : "", out);
        } else {
            o.print(new String(b, StandardCharsets.UTF_8));
        }
        o.flush();
        return 0;
    }
}
