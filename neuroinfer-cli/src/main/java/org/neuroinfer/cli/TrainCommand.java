package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.data.YamlFiles;
import org.neuroinfer.learn.Evaluation;
import org.neuroinfer.learn.data.RecordingSet;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.train.EpochRecord;
import org.neuroinfer.learn.train.Fit;
import org.neuroinfer.learn.train.Training;
import org.neuroinfer.learn.train.TrainingConfig;
import org.neuroinfer.learn.torch.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Trains an inverse network on a generated data set. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an inverse network (bilstm, lstm, cnn-bilstm, transformer, patch-transformer, fcnn) "
                + "on a generated data set; resumable.",
                "",
                "Writes MODEL_DIR/model.json (network, normalisation, names, units, provenance), weights.npz and "
                + "history.csv. A checkpoint is kept after every epoch: after a kill, the same command continues "
                + "from the last finished epoch."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Training file (see examples/train-*.yaml).")
    Path config;

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
        TorchRuntime.threads(threads.get());
        o.printf(Locale.ROOT, "%s on %d recordings (%d channels x %d samples after decimation by %d)%s%n",
                c.network().describe(), set.size(), set.channels(), set.times(), c.input().decimate(),
                set.dropped() > 0 ? "; " + set.dropped() + " dropped (diverged or NaN/Inf)" : "");
        o.flush();
        Progress[] bar = new Progress[1];
        int max = c.training().epochs();
        Training.Result r;
        try {
            r = Training.run(c, set, out, new Fit.Listener() {
                @Override
                public void batch(int epoch, int done, int total, double loss) {
                    if (bar[0] == null) {
                        bar[0] = Progress.start(err, String.format(Locale.ROOT, "epoch %d/%d", epoch, max), total);
                    }
                    bar[0].note(String.format(Locale.ROOT, "loss %.4f", loss));
                    bar[0].advance(1);
                }

                @Override
                public void epoch(EpochRecord e) {
                    if (bar[0] != null) {
                        bar[0].close();
                        bar[0] = null;
                    }
                    o.printf(Locale.ROOT, "epoch %3d/%d  loss %.4f  val_loss %.4f%s  lr %.2g  %.1f s%n", e.epoch(),
                            max, e.trainLoss(), e.validationLoss(), e.improved() ? " *" : "  ", e.learningRate(),
                            e.seconds());
                    o.flush();
                }
            });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
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
}
