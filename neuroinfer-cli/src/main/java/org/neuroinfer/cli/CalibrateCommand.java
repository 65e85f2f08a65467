package org.neuroinfer.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.learn.train.Evaluation;
import org.neuroinfer.learn.Metrics;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.npe.Calibration;
import org.neuroinfer.learn.npe.PosteriorCard;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.pipeline.PosteriorCalibration;
import org.neuroinfer.learn.torch.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks a posterior estimator's calibration on held-out simulations. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a posterior estimator on held-out simulations: posterior-mean accuracy per parameter "
                + "and noise condition, simulation-based calibration (rank histograms, chi-squared uniformity "
                + "test), expected coverage of highest-density regions, TARP, posterior contraction and z-scores.",
                "",
                "On the estimator's own data set only its test split is used. Writes OUT/metrics.csv (posterior "
                + "mean vs truth), OUT/calibration.csv (per parameter), OUT/coverage.csv (nominal vs empirical), "
                + "OUT/ranks.csv, OUT/calibration.json and the plots coverage.png, ranks.png and means.png."})
final class CalibrateCommand implements Callable<Integer> {
    private static final double[] LEVELS = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99};
    private static final int BINS = 20;
    private static final List<String> FILES = List.of("metrics.csv", "calibration.csv", "coverage.csv", "ranks.csv",
            "calibration.json", "coverage.png", "ranks.png", "means.png");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Posterior estimator folder made by train.")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data set made by generate.")
    Path data;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "500",
            description = "Posterior draws per simulation (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--simulations", paramLabel = "M", defaultValue = "1000",
            description = "At most this many held-out simulations (default: ${DEFAULT-VALUE}).")
    int simulations;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the draws.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder.")
    Path out;

    @Option(names = "--force", description = "Replace existing report files.")
    boolean force;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        PosteriorCalibration.Spec s = new PosteriorCalibration.Spec(samples, simulations, seed);
        for (String f : FILES) {
            AtomicFiles.checkWritable(out.resolve(f), force); // before the work, and before writing any
        }
        TorchRuntime.threads(threads.forEngine());
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (PosteriorModel model = PosteriorModel.load(modelDir, TorchRuntime.device("cpu"))) {
            PosteriorCard card = model.card();
            RecordingSet set = EvaluateCommand.load(err, data, card.provenance() == null ? List.of()
                    : card.provenance().conditions(), card.input().decimate());
            int[] rows = PosteriorCalibration.rows(model, set, s);
            PosteriorCalibration.Result r;
            try (Progress bar = Progress.start(err, "calibrating", rows.length)) {
                r = PosteriorCalibration.run(model, set, rows, s, k -> bar.advance(1));
            }
            Calibration cal = r.calibration();
            List<String> names = r.names();
            o.printf(Locale.ROOT, "%d held-out simulations x %d draws in %.1f s (%.1f %% of draws inside the prior's "
                    + "support)%n", r.rows().length, samples, r.seconds(), 100 * cal.acceptance());
            o.println("posterior mean vs truth, Pearson r:");
            EvaluateCommand.printTable(o, r.evaluation());
            o.printf(Locale.ROOT, "expected coverage (HPD) at 50/80/95 %%: %.3f %.3f %.3f; TARP: %.3f %.3f %.3f%n",
                    cal.coverage(0.5), cal.coverage(0.8), cal.coverage(0.95), cal.tarpCoverage(0.5),
                    cal.tarpCoverage(0.8), cal.tarpCoverage(0.95));
            o.printf(Locale.ROOT, "%-8s %20s %10s %12s %10s %10s%n", "param", "coverage 50/80/95 %", "SBC p",
                    "contraction", "z mean", "z sd");
            for (int j = 0; j < names.size(); j++) {
                double[] z = cal.zScore(j);
                o.printf(Locale.ROOT, "%-8s %6.3f %6.3f %6.3f %10.3f %12.3f %10.3f %10.3f%n", names.get(j),
                        cal.marginalCoverage(j, 0.5), cal.marginalCoverage(j, 0.8), cal.marginalCoverage(j, 0.95),
                        cal.sbcPValue(j, BINS), cal.contraction(j, r.priorSd(j)), z[0], z[1]);
            }
            write(cal, r.evaluation(), names, r.theta(), r.rows(), r.seconds());
            o.println("wrote " + out);
            o.flush();
        }
        return 0;
    }

    private void write(Calibration cal, Evaluation ev, List<String> names, double[][] theta, int[] rows,
                       double secs) throws IOException {
        Files.createDirectories(out);
        StringBuilder metrics = new StringBuilder("condition,parameter,n,pearson,spearman,r2,rmse,nrmse\n");
        for (Evaluation.Row r : ev.rows()) {
            Metrics m = r.metrics();
            metrics.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%.6f,%.6g,%.6f%n", r.condition(),
                    r.parameter(), m.n(), m.pearson(), m.spearman(), m.r2(), m.rmse(), m.nrmse()));
        }
        StringBuilder perParam = new StringBuilder("parameter,coverage_50,coverage_80,coverage_95,sbc_chi2_p,"
                + "contraction,z_mean,z_sd\n");
        List<Map<String, Object>> params = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            double[] z = cal.zScore(j);
            double c = cal.contraction(j, Calibration.moments(theta, rows, j)[1]);
            double p = cal.sbcPValue(j, BINS);
            double[] mc = {cal.marginalCoverage(j, 0.5), cal.marginalCoverage(j, 0.8), cal.marginalCoverage(j, 0.95)};
            perParam.append(String.format(Locale.ROOT, "%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", names.get(j), mc[0],
                    mc[1], mc[2], p, c, z[0], z[1]));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("parameter", names.get(j));
            m.put("coverage", Map.of("0.5", mc[0], "0.8", mc[1], "0.95", mc[2]));
            m.put("sbc_chi2_p", p);
            m.put("contraction", c);
            m.put("z_mean", z[0]);
            m.put("z_sd", z[1]);
            params.add(m);
        }
        StringBuilder cov = new StringBuilder("nominal,hpd,tarp\n");
        List<Map<String, Object>> covJson = new ArrayList<>();
        for (double a : LEVELS) {
            cov.append(String.format(Locale.ROOT, "%.2f,%.6f,%.6f%n", a, cal.coverage(a), cal.tarpCoverage(a)));
            covJson.add(Map.of("nominal", a, "hpd", cal.coverage(a), "tarp", cal.tarpCoverage(a)));
        }
        StringBuilder ranks = new StringBuilder("simulation," + String.join(",", names) + "\n");
        for (int i = 0; i < cal.size(); i++) {
            ranks.append(rows[i]);
            for (int r : cal.ranks()[i]) {
                ranks.append(',').append(r);
            }
            ranks.append('\n');
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", modelDir.toString());
        json.put("simulations", rows.length);
        json.put("draws", cal.draws());
        json.put("acceptance", cal.acceptance());
        json.put("seconds", secs);
        json.put("coverage", covJson);
        json.put("parameters", params);
        text("metrics.csv", metrics);
        text("calibration.csv", perParam);
        text("coverage.csv", cov);
        text("ranks.csv", ranks);
        byte[] jb = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        AtomicFiles.write(out.resolve("calibration.json"), force, s -> s.write(jb));
        plots(cal, ev, names);
    }

    private void text(String name, StringBuilder sb) throws IOException {
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve(name), force, s -> s.write(b));
    }

    private void plots(Calibration cal, Evaluation ev, List<String> names) throws IOException {
        XYChart c = Plots.chart("Expected coverage", "credibility level", "empirical coverage");
        c.getStyler().setLegendVisible(true);
        double[] grid = IntStream.rangeClosed(0, 50).mapToDouble(k -> k / 50.0).toArray();
        Plots.line(c, "ideal", grid, grid, Color.GRAY);
        Plots.line(c, "HPD", grid, java.util.Arrays.stream(grid).map(cal::coverage).toArray(), new Color(40, 90, 170));
        Plots.line(c, "TARP", grid, java.util.Arrays.stream(grid).map(cal::tarpCoverage).toArray(),
                new Color(200, 110, 30));
        Plots.save(out.resolve("coverage.png"), List.of(c), 1, force);
        List<XYChart> hist = new ArrayList<>();
        List<XYChart> means = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            int[] h = cal.rankHistogram(j, BINS);
            double[] x = new double[2 * BINS];
            double[] y = new double[2 * BINS];
            for (int b = 0; b < BINS; b++) {
                x[2 * b] = b / (double) BINS;
                x[2 * b + 1] = (b + 1) / (double) BINS;
                y[2 * b] = h[b];
                y[2 * b + 1] = h[b];
            }
            XYChart hc = Plots.chart(String.format(Locale.ROOT, "%s: SBC ranks (p = %.3f)", names.get(j),
                    cal.sbcPValue(j, BINS)), "normalised rank", "simulations");
            Plots.line(hc, "ranks", x, y, new Color(40, 90, 170));
            double e = cal.size() / (double) BINS;
            Plots.line(hc, "uniform", new double[]{0, 1}, new double[]{e, e}, Color.GRAY);
            hist.add(hc);
            final int col = j;
            double[] t = java.util.Arrays.stream(ev.truth()).mapToDouble(r -> r[col]).toArray();
            double[] p = java.util.Arrays.stream(ev.predicted()).mapToDouble(r -> r[col]).toArray();
            XYChart mc = Plots.chart(names.get(j) + ": posterior mean vs truth", "true", "posterior mean");
            Plots.points(mc, "posterior mean", t, p, new Color(40, 90, 170));
            double lo = java.util.Arrays.stream(t).min().orElse(0);
            double hi = java.util.Arrays.stream(t).max().orElse(1);
            Plots.line(mc, "identity", new double[]{lo, hi}, new double[]{lo, hi}, Color.GRAY);
            means.add(mc);
        }
        Plots.save(out.resolve("ranks.png"), hist, 3, force);
        Plots.save(out.resolve("means.png"), means, 3, force);
    }
}
