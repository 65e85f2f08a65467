package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.cli.plot.Corner;
import org.neuroinfer.data.AtomicFiles;
import org.neuroinfer.data.Npy;
import org.neuroinfer.data.NpyArray;
import org.neuroinfer.learn.npe.PosteriorModel;
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
        if (samples < 2) {
            throw new IllegalArgumentException("--samples must be >= 2, got " + samples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("--level must be in (0, 1), got " + level);
        }
        TorchRuntime.threads(threads.forEngine());
        PrintWriter o = spec.commandLine().getOut();
        try (PosteriorModel model = PosteriorModel.load(modelDir, TorchRuntime.device("cpu"))) {
            ModelCard.InputSpec in = model.card().input();
            float[][][] rec = recordings.read(in);
            int n = rec.length;
            int len = model.rowLength();
            float[] x = RecordingFiles.decimated(rec, 0, n, in, "the estimator reads");
            AtomicFiles.checkWritable(out.resolve("samples.npy"), force);
            AtomicFiles.checkWritable(out.resolve("summary.csv"), force);
            for (int i = 0; i < Math.min(plots, n); i++) {
                AtomicFiles.checkWritable(out.resolve("corner-" + i + ".png"), force);
            }
            Files.createDirectories(out);
            var names = model.card().targets().names();
            var units = model.card().targets().units();
            int d = names.size();
            double[] all = new double[n * samples * d];
            StringBuilder csv = new StringBuilder("recording,parameter,unit,mean,sd,median,ci_low,ci_high,map,"
                    + "acceptance,distance\n");
            java.util.List<Integer> unusual = new java.util.ArrayList<>();
            try (Progress bar = Progress.start(spec.commandLine().getErr(), "sampling", n)) {
                for (int i = 0; i < n; i++) {
                    PosteriorModel.Draws dr = model.sample(x, i * len, samples, seed, i);
                    double[] lp = model.logProb(x, i * len, dr.theta());
                    PosteriorSummary s = PosteriorSummary.of(dr.theta(), lp, level);
                    double dist = model.distance(x, i * len);
                    if (dist > model.card().embedding().threshold()) {
                        unusual.add(i);
                    }
                    for (int k = 0; k < samples; k++) {
                        System.arraycopy(dr.theta()[k], 0, all, (i * samples + k) * d, d);
                    }
                    for (int j = 0; j < d; j++) {
                        csv.append(String.format(Locale.ROOT, "%d,%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.4f,%.3f%n",
                                i, names.get(j), units.get(j), s.mean()[j], s.sd()[j], s.median()[j],
                                s.low()[j], s.high()[j], s.map()[j], dr.acceptance(), dist));
                    }
                    if (n <= 10) {
                        bar.close();
                        print(o, i, names, units, s, dr.acceptance(), dist, unusual.contains(i));
                    }
                    if (i < plots) {
                        Corner.save(out.resolve("corner-" + i + ".png"), dr.theta(), names, null, force);
                    }
                    bar.advance(1);
                }
            }
            Npy.save(out.resolve("samples.npy"), new NpyArray(new int[]{n, samples, d}, all), force);
            if (!unusual.isEmpty()) {
                o.printf(Locale.ROOT, "WARNING: %d of %d recordings lie farther from the training data than 99.9 %% "
                        + "of its validation split (Mahalanobis distance of the embedding > %.2f; see summary.csv): "
                        + "%s%n", unusual.size(), n, model.card().embedding().threshold(),
                        unusual.subList(0, Math.min(20, unusual.size())) + (unusual.size() > 20 ? " ..." : ""));
            }
            byte[] b = csv.toString().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(out.resolve("summary.csv"), force, s -> s.write(b));
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
