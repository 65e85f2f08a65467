package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.cli.plot.Corner;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.pipeline.PosteriorEstimation;
import org.neuroinfer.learn.npe.PosteriorSummary;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Draws from the posterior of recordings with a trained estimator. */
@Command(name = "posterior", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample the posterior of the parameters given recordings, with an estimator made by train "
                + "(a file with an estimator: section).",
                "",
                "Draws outside the prior's support are rejected (the acceptance rate is reported). Writes "
                + "OUT/samples.npy [recordings, samples, parameters], OUT/summary.csv (mean, sd, median, credible "
                + "interval and MAP per recording and parameter) and a corner plot per recording "
                + "(OUT/corner-<i>.png, for the first --plots recordings). A recording whose embedding lies farther "
                + "from the training data than 99.9 %% of the validation split is flagged."})
final class PosteriorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Posterior estimator folder made by train.")
    Path modelDir;

    @picocli.CommandLine.Mixin
    RecordingFiles recordings = new RecordingFiles();

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10000",
            description = "Draws per recording (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--level", paramLabel = "P", defaultValue = "0.95",
            description = "Credible interval probability (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--plots", paramLabel = "K", defaultValue = "4",
            description = "Corner plots for the first K recordings (default: ${DEFAULT-VALUE}).")
    int plots;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the draws.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--force", description = "Replace existing output files.")
    boolean force;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        PosteriorEstimation.Spec s = new PosteriorEstimation.Spec(samples, level, seed);
        TorchRuntime.threads(threads.forEngine());
        PrintWriter o = spec.commandLine().getOut();
        try (PosteriorModel model = PosteriorModel.load(modelDir, TorchRuntime.device("cpu"))) {
            ModelCard.InputSpec in = model.card().input();
            float[][][] rec = recordings.read(in);
            int n = rec.length;
            double[][] truth = recordings.truth(model.card().targets().names());
            float[] x = in.decimated(rec, 0, n, "the estimator reads");
            AtomicFiles.checkWritable(out.resolve("samples.npy"), force);
            AtomicFiles.checkWritable(out.resolve("summary.csv"), force);
            for (int i = 0; i < Math.min(plots, n); i++) {
                AtomicFiles.checkWritable(out.resolve("corner-" + i + ".png"), force);
            }
            PosteriorEstimation.Result r;
            try (Progress bar = Progress.start(spec.commandLine().getErr(), "sampling", n)) {
                r = PosteriorEstimation.run(model, x, s, bar::advance);
            }
            r.save(out, force);
            for (int i = 0; i < n; i++) {
                PosteriorEstimation.Estimate e = r.estimates().get(i);
                if (n <= 10) {
                    print(o, i, r.names(), r.units(), e.summary(), e.acceptance(), e.distance(), e.unusual());
                }
                if (i < plots) {
                    Corner.save(out.resolve("corner-" + i + ".png"), e.draws(), r.names(), r.units(),
                            truth == null ? null : truth[i], force);
                }
            }
            List<Integer> unusual = r.unusual();
            if (!unusual.isEmpty()) {
                o.printf(Locale.ROOT, "WARNING: %d of %d recordings lie farther from the training data than 99.9 %% "
                        + "of its validation split (Mahalanobis distance of the embedding > %.2f; see summary.csv): "
                        + "%s%n", unusual.size(), n, model.card().embedding().threshold(),
                        unusual.subList(0, Math.min(20, unusual.size())) + (unusual.size() > 20 ? " ..." : ""));
            }
            o.printf(Locale.ROOT, "%d recordings x %d draws; wrote %s (samples.npy, summary.csv%s)%n", n, samples, out,
                    plots > 0 ? ", corner-*.png" : "");
            o.flush();
        }
        return 0;
    }

    private void print(PrintWriter o, int i, java.util.List<String> names, java.util.List<String> units,
                       PosteriorSummary s, double acceptance, double dist, boolean unusual) {
        o.printf(Locale.ROOT, "recording %d: %.1f %% of draws inside the prior's support; embedding distance %.2f%s%n",
                i, 100 * acceptance, dist, unusual ? "  WARNING: unlike the training data" : "");
        o.printf(Locale.ROOT, "  %-8s %12s %12s %25s %12s%n", "param", "mean", "sd",
                String.format(Locale.ROOT, "%.0f %% interval", 100 * level), "MAP");
        for (int j = 0; j < names.size(); j++) {
            o.printf(Locale.ROOT, "  %-8s %12.5g %12.5g   [%10.5g, %10.5g] %12.5g %s%n", names.get(j), s.mean()[j],
                    s.sd()[j], s.low()[j], s.high()[j], s.map()[j], units.get(j));
        }
        o.flush();
    }
}
