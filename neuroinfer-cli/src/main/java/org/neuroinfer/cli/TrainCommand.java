package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.io.YamlFiles;
import org.neuroinfer.learn.train.Evaluation;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.npe.EstimatorSpec;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.NpeTraining;
import org.neuroinfer.pipeline.PosteriorTraining;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.train.EpochRecord;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.learn.train.Training;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.torch.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Trains an inverse network on a generated data set. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an inverse network (bilstm, lstm, cnn-bilstm, transformer, patch-transformer, fcnn) "
                + "or, for a file with an estimator: section, a neural posterior estimator (maf, mdn) on a generated "
                + "data set; resumable.",
                "",
                "Writes MODEL_DIR/model.json (network, normalisation, names, units, provenance), weights.npz and "
                + "history.csv. A checkpoint is kept after every epoch: after a kill, the same command continues "
                + "from the last finished epoch."})
class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml",
            description = "Training file (see examples/train-*.yaml).")
    Path config;

    /** A packed example used when no CONFIG.yaml is given (null: the file is required). */
    String defaultPreset;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data set made by generate.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Model folder.")
    Path out;

    @Option(names = "--force", description = "Start afresh, replacing a model or checkpoint in MODEL_DIR.")
    boolean force;

    @Option(names = "--epochs", paramLabel = "N", description = "Override training.epochs.")
    Integer epochs;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        if (config != null) {
            return run();
        }
        if (defaultPreset == null) {
            throw new IllegalArgumentException("give the training file CONFIG.yaml (see examples/train-*.yaml)");
        }
        config = Files.createTempFile("preset", ".yaml");
        try {
            try (java.io.InputStream in = TrainCommand.class.getResourceAsStream("presets/" + defaultPreset)) {
                if (in == null) {
                    throw new IOException("the packed examples/" + defaultPreset + " is missing from the program");
                }
                Files.copy(in, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return run();
        } finally {
            Files.deleteIfExists(config);
            config = null;
        }
    }

    private int run() throws IOException {
        if (YamlFiles.read(config, java.util.Map.class) instanceof java.util.Map<?, ?> m && m.containsKey("estimator")) {
            return posterior();
        }
        TrainingConfig c = YamlFiles.read(config, TrainingConfig.class);
        c = c == null ? TrainingConfig.of(null) : c;
        if (epochs != null) {
            c = new TrainingConfig(c.network(), c.input(), c.training().withEpochs(epochs));
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RecordingSet set = EvaluateCommand.load(err, data, c.input().conditions(), c.input().decimate());
        if (force) {
            Training.discard(out);
        }
        TorchRuntime.threads(threads.forEngine());
        o.printf(Locale.ROOT, "%s on %d recordings (%d channels x %d samples after decimation by %d)%s%n",
                c.network().describe(), set.size(), set.channels(), set.times(), c.input().decimate(),
                set.dropped() > 0 ? "; " + set.dropped() + " dropped (diverged or NaN/Inf)" : "");
        o.flush();
        Training.Result r;
        try (EpochPrinter printer = new EpochPrinter(o, err, c.training().epochs())) {
            r = Training.run(c, set, out, printer);
        }
        ModelCard.Provenance p = r.model().card().provenance();
        o.printf(Locale.ROOT, "%s%s; kept epoch %d (val_loss %.4f); %.1f s of training in all%n", r.stopReason(),
                r.resumedAt() > 0 ? " (resumed after epoch " + r.resumedAt() + ")" : "", p.bestEpoch(),
                p.bestValidation(), p.seconds());
        Evaluation ev = Evaluation.of(r.model(), set, r.splits().test());
        o.println("test split (" + r.splits().test().length + " recordings), Pearson r:");
        EvaluateCommand.printTable(o, ev);
        o.println("saved " + out.resolve(ModelCard.FILE));
        o.flush();
        r.model().close();
        return 0;
    }

    /** Trains a posterior estimator (a file with an {@code estimator:} section). */
    private int posterior() throws IOException {
        NpeConfig c = YamlFiles.read(config, NpeConfig.class);
        if (epochs != null) {
            c = new NpeConfig(c.estimator(), c.input(), c.training().withEpochs(epochs));
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PosteriorTraining.Spec s = new PosteriorTraining.Spec(c, data, out, force);
        RecordingSet set = EvaluateCommand.load(err, data, c.input().conditions(), c.input().decimate());
        TorchRuntime.threads(threads.forEngine());
        EstimatorSpec e = c.estimator();
        o.printf(Locale.ROOT, "%s posterior estimator (%s) with %s embedding on %d simulations%n", e.kind(),
                e.kind().equals("mdn") ? e.components() + " components" : e.transforms() + " transforms",
                e.embedding() == null ? "no" : e.embedding().describe(), set.size());
        o.flush();
        NpeTraining.Result r;
        try (EpochPrinter printer = new EpochPrinter(o, err, c.training().epochs())) {
            r = PosteriorTraining.run(s, set, printer);
        }
        if (r.dropped() > 0) {
            o.printf(Locale.ROOT, "%d simulations with NaN/Inf were left out%n", r.dropped());
        }
        ModelCard.Provenance p = r.model().card().provenance();
        o.printf(Locale.ROOT, "%s%s; kept epoch %d (validation -log q %.4f); %.1f s of training in all%n",
                r.stopReason(), r.resumedAt() > 0 ? " (resumed after epoch " + r.resumedAt() + ")" : "",
                p.bestEpoch(), p.bestValidation(), p.seconds());
        o.println("saved " + out.resolve(ModelCard.FILE) + "; next: calibrate " + out + " --data " + data);
        o.flush();
        r.model().close();
        return 0;
    }

    /** One progress bar per epoch and a line after it. */
    static final class EpochPrinter implements TrainingLoop.Listener, AutoCloseable {
        private final PrintWriter o;
        private final PrintWriter err;
        private final int max;
        private Progress bar;

        EpochPrinter(PrintWriter o, PrintWriter err, int max) {
            this.o = o;
            this.err = err;
            this.max = max;
        }

        @Override
        public void batch(int epoch, int done, int total, double loss) {
            if (bar == null) {
                bar = Progress.barOnly(err, String.format(Locale.ROOT, "epoch %d/%d", epoch, max), total);
            }
            bar.note(String.format(Locale.ROOT, "loss %.4f", loss));
            bar.advance(1);
        }

        @Override
        public void epoch(EpochRecord e) {
            close();
            o.printf(Locale.ROOT, "epoch %3d/%d  loss %.4f  val_loss %.4f%s  lr %.2g  %.1f s%n", e.epoch(),
                    max, e.trainLoss(), e.validationLoss(), e.improved() ? " *" : "  ", e.learningRate(),
                    e.seconds());
            o.flush();
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
