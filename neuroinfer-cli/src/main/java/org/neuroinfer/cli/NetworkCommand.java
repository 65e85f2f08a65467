package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.HeatMap;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.HdfFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.fit.Exploration;
import org.neuroinfer.network.fit.FcTarget;
import org.neuroinfer.network.fit.FcFit;
import org.neuroinfer.network.fit.StudyConfig;
import org.neuroinfer.learn.npe.PosteriorSummary;
import org.neuroinfer.network.NetworkSimulator;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.network.cases.NeurolibCase;
import org.neuroinfer.pipeline.NetworkInference;
import org.neuroinfer.pipeline.NetworkFitting;
import org.neuroinfer.pipeline.NetworkStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuroinfer network ...}: whole-brain networks of neural masses, as neurolib runs them. */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Whole-brain networks like neurolib: node models coupled on a connectome with delays, BOLD, FC.",
        subcommands = {NetworkCommand.Simulate.class, NetworkCommand.Explore.class, NetworkCommand.Fit.class,
            NetworkCommand.Npe.class})
final class NetworkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code network simulate}: a case folder in neurolib's reference format, or a YAML run. */
    @Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Simulate a network: a case folder in the reference format (--case) or a YAML file.",
                    "",
                    "With --case DIR (params.json, init_*.npy, optional noise_*.npy and Cmat/Dmat): write every "
                    + "output as <name>.npy with the reference's shapes, so a neurolib run is reproduced.",
                    "With CONFIG.yaml: write network.h5 (each state variable [regions x samples], t, BOLD, t_BOLD, "
                    + "FC, region names), fc.npy (a target for explore and fit) and timeseries.png, bold.png, fc.png."})
    static final class Simulate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "Network run file.")
        Path config;

        @Option(names = "--case", paramLabel = "DIR", description = "A case folder in the reference format.")
        Path caseDir;

        @Option(names = "--connectome", paramLabel = "DIR", description = "Folder with Cmat and Dmat (.npy or .csv);"
                + " for --case when the case has none, else overrides the file's.")
        Path connectome;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Option(names = "--force", description = "Replace existing output files.")
        boolean force;

        @picocli.CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @Override
        public Integer call() throws IOException {
            if ((config == null) == (caseDir == null)) {
                throw new IllegalArgumentException("give either CONFIG.yaml or --case DIR");
            }
            PrintWriter o = spec.commandLine().getOut();
            Files.createDirectories(out);
            if (caseDir != null) {
                long t0 = System.nanoTime();
                Map<String, NpyArray> res = NeurolibCase.run(caseDir, connectome);
                for (String name : res.keySet()) {
                    Path f = out.resolve(name + ".npy");
                    if (Files.exists(f) && !force) {
                        throw new IllegalArgumentException(f + " exists; use --force to replace it");
                    }
                }
                for (Map.Entry<String, NpyArray> e : res.entrySet()) {
                    Npy.save(out.resolve(e.getKey() + ".npy"), e.getValue(), true);
                }
                o.printf(Locale.ROOT, "ran %s in %.2f s; wrote %d arrays to %s: %s%n", caseDir,
                        (System.nanoTime() - t0) / 1e9, res.size(), out, String.join(", ", res.keySet()));
                o.flush();
                return 0;
            }
            NetworkConfig c = NetworkConfig.read(config);
            Path h5 = out.resolve("network.h5");
            if (Files.exists(h5) && !force) {
                throw new IllegalArgumentException(h5 + " exists; use --force to replace it");
            }
            ConfiguredRun.Output r = ConfiguredRun.run(c, connectome, threads.get());
            write(h5, r);
            Npy.save(out.resolve("fc.npy"), NpyArray.of(r.fc()), true);
            plots(r);
            NetworkSimulator.Result res = r.result();
            o.printf(Locale.ROOT, "%s network, %d regions, %.1f s simulated in %.2f s (%.1f simulated s per s)%n",
                    r.model(), r.connectome().size(), c.duration() / 1000, r.seconds(),
                    c.duration() / 1000 / r.seconds());
            double[] fcUpper = org.neuroinfer.observe.FunctionalConnectivity.upperTriangle(r.fc());
            o.printf(Locale.ROOT, "FC of %s: mean %.3f, range %.3f .. %.3f%n", r.fcSource(),
                    Arrays.stream(fcUpper).average().orElse(Double.NaN), Arrays.stream(fcUpper).min().orElse(0),
                    Arrays.stream(fcUpper).max().orElse(0));
            o.printf("wrote %s: network.h5, fc.npy, timeseries.png%s, fc.png%n", out, res.bold() != null ? ", bold.png"
                    : "");
            o.flush();
            return 0;
        }

        private void write(Path file, ConfiguredRun.Output r) throws IOException {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
            NetworkSimulator.Result res = r.result();
            HdfFiles.write(tmp, h -> {
                for (int v = 0; v < res.variables().size(); v++) {
                    h.putDataset(res.variables().get(v), res.outputs()[v]);
                }
                h.putDataset("t", res.time());
                if (res.bold() != null) {
                    h.putDataset("BOLD", res.bold());
                    h.putDataset("t_BOLD", res.boldTime());
                }
                h.putDataset("FC", r.fc());
                if (r.eeg() != null) {
                    h.putDataset("EEG", r.eeg());
                }
                h.putDataset("region_names", r.connectome().names().toArray(String[]::new));
                h.putAttribute("model", r.model());
                h.putAttribute("fc_of", r.fcSource());
                h.putAttribute("time_unit", "ms");
                h.putAttribute("config", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                        r.config()));
            });
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        private void plots(ConfiguredRun.Output r) throws IOException {
            NetworkSimulator.Result res = r.result();
            int shown = Math.min(5, r.connectome().size());
            double[] t = res.time();
            int len = Math.min(t.length, (int) Math.ceil(2000 / (t.length > 1 ? t[1] - t[0] : 1)));
            List<XYChart> charts = new ArrayList<>();
            for (int v = 0; v < res.variables().size(); v++) {
                XYChart ch = Plots.chart(res.variables().get(v) + " of the first " + shown + " regions, first "
                        + Math.round(t[len - 1]) + " ms", "time (ms)", res.variables().get(v));
                ch.getStyler().setXAxisDecimalPattern("0");
                for (int i = 0; i < shown; i++) {
                    Plots.line(ch, r.connectome().names().get(i), Arrays.copyOf(t, len),
                            Arrays.copyOf(res.outputs()[v][i], len), Plots.ramp(i / (double) Math.max(1, shown - 1)));
                }
                charts.add(ch);
            }
            Plots.save(out.resolve("timeseries.png"), charts, 1, true);
            if (res.bold() != null && res.bold()[0].length > 1) {
                XYChart ch = Plots.chart("BOLD (0.5 Hz) of the first " + shown + " regions", "time (s)", "BOLD");
                ch.getStyler().setXAxisDecimalPattern("0");
                double[] tb = Arrays.stream(res.boldTime()).map(x -> x / 1000).toArray();
                for (int i = 0; i < shown; i++) {
                    Plots.line(ch, r.connectome().names().get(i), tb, res.bold()[i],
                            Plots.ramp(i / (double) Math.max(1, shown - 1)));
                }
                Plots.save(out.resolve("bold.png"), List.of(ch), 1, true);
            }
            HeatMap.matrix(out.resolve("fc.png"), "FC of " + r.fcSource() + " (" + r.connectome().size()
                    + " regions)", r.fc(), Math.max(3, 480 / r.connectome().size()), true);
        }
    }

    /** {@code network explore}: a grid of parameters, scored against a target. */
    @Command(name = "explore", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Explore a grid of network parameters (in parallel, resumable), each run scored against "
                    + "the target's FC (and FCD).",
                    "",
                    "Writes OUT/exploration.csv (one row per grid point: its values, the simulated FC's mean, the "
                    + "correlation with the target FC, the FCD KS distance and the score), rewritten after each "
                    + "point so a killed run resumes, OUT/exploration.png, and OUT/exploration.settings.json (what "
                    + "the table was computed from: a run with other settings is refused without --force)."})
    static final class Explore implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        StudyFiles files = new StudyFiles();

        @picocli.CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @picocli.CommandLine.Option(names = "--part", paramLabel = "K/N", description = "Run only part K of N (0 <= "
                + "K < N): the grid points at K mod N, into OUT/exploration.part-K-of-N.csv, one job of a SLURM "
                + "array each. When every part is done, run the same command without --part: it takes their rows, "
                + "runs any missing and writes exploration.csv.")
        String part;

        @picocli.CommandLine.Mixin
        SparkOption spark = new SparkOption();

        @Override
        public Integer call() throws IOException {
            org.neuroinfer.io.Part p = part == null ? null : org.neuroinfer.io.Part.parse(part);
            NetworkStudy study = NetworkStudy.read(files.file, false);
            NetworkConfig base = study.base();
            List<StudyConfig.Axis> axes = study.config().axes();
            FcTarget target = study.target();
            Connectome con = study.connectome();
            org.neuroinfer.pipeline.Cluster cluster = spark.cluster(p != null);
            org.neuroinfer.pipeline.RemoteFolder remote = files.remote(cluster);
            if (remote == null) {
                Files.createDirectories(files.out());
            }
            int total = Exploration.grid(axes).size();
            if (p != null) {
                total = p.ownedOf(total);
            }
            long t0 = System.nanoTime();
            List<Exploration.Row> rows;
            if (remote != null) {
                rows = study.exploreOnCluster(files.file, remote, files.force, threads.get(), cluster, spark.master,
                        n -> { }, (dir, all) -> plot(dir, all, axes, target != null));
            } else if (cluster != null) {
                rows = study.exploreOnCluster(files.file, files.out(), files.force, threads.get(), cluster,
                        spark.master, n -> { });
            } else {
                try (Progress bar = Progress.start(spec.commandLine().getErr(), "exploring", total)) {
                    rows = Exploration.run(base, con, axes, target, files.out(), files.force, threads.get(),
                            bar::advance, p);
                }
            }
            PrintWriter o = spec.commandLine().getOut();
            if (p != null) {
                o.printf(Locale.ROOT, "part %s: %d of the grid's points in %s; when every part is done, run the same "
                        + "command without --part to gather them into exploration.csv%n", part, rows.size(),
                        files.out().resolve(Exploration.partTable(p)));
                o.flush();
                return 0;
            }
            o.printf(Locale.ROOT, "%d points on %d threads in %.1f s%n", rows.size(), threads.get(),
                    (System.nanoTime() - t0) / 1e9);
            if (target != null) {
                Exploration.Row best = rows.stream().max(java.util.Comparator.comparingDouble(r -> r.score().score()))
                        .orElseThrow();
                o.printf(Locale.ROOT, "best: %s  FC correlation %.4f, FCD KS %s, score %.4f%n", best.values(),
                        best.score().fcCorrelation(), Double.isNaN(best.score().fcdKs()) ? "-"
                                : String.format(Locale.ROOT, "%.4f", best.score().fcdKs()), best.score().score());
            }
            if (remote == null) {
                plot(files.out(), rows, axes, target != null);
            }
            o.printf("wrote %s: exploration.csv, exploration.png%n", remote == null ? files.out() : remote.uri());
            o.flush();
            return 0;
        }

        private static void plot(Path dir, List<Exploration.Row> rows, List<StudyConfig.Axis> axes, boolean scored)
                throws IOException {
            String what = scored ? "score" : "mean FC";
            java.util.function.ToDoubleFunction<Exploration.Row> y = r -> scored ? r.score().score() : r.fcMean();
            if (axes.size() == 2) {
                StudyConfig.Axis a = axes.get(0);
                StudyConfig.Axis b = axes.get(1);
                double[][] v = new double[a.values().length][b.values().length];
                for (Exploration.Row r : rows) {
                    v[r.index() / b.values().length][r.index() % b.values().length] = y.applyAsDouble(r);
                }
                List<String> rl = Arrays.stream(a.values()).mapToObj(x -> a.name() + " " + fmt(x)).toList();
                List<String> cl = Arrays.stream(b.values()).mapToObj(NetworkCommand::fmt).toList();
                HeatMap.save(dir.resolve("exploration.png"), List.of(new HeatMap.Panel(what + " (rows: " + a.name()
                        + ", columns: " + b.name() + ")", rl, cl, v)), 1, true);
                return;
            }
            XYChart ch = Plots.chart(what + " against " + axes.get(0).name(), axes.get(0).name(), what);
            double[] x = rows.stream().mapToDouble(r -> r.values().get(axes.get(0).name())).toArray();
            Plots.points(ch, what, x, rows.stream().mapToDouble(y).toArray(), new java.awt.Color(31, 90, 180));
            Plots.save(dir.resolve("exploration.png"), List.of(ch), 1, true);
        }
    }

    /** The study file and the output folder of explore, fit and npe. */
    static final class StudyFiles {
        @Parameters(index = "0", paramLabel = "FILE.yaml", description = "Study file: network:, explore: or fit: "
                + "(bounds), target:, and for npe simulations: and npe:.")
        Path file;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (with --spark, also "
                + "a folder on a file system the executors share: hdfs://..., s3a://...).")
        String out;

        /**
         * The output folder on this machine.
         *
         * @throws IllegalArgumentException for a URI of a cluster's file system
         */
        Path out() {
            return Main.local("--out", out, "only network explore, fit and npe (with --spark) write to a cluster's "
                    + "file system; give a local folder");
        }

        /**
         * The output folder on a cluster's file system, or null for a local one.
         *
         * @throws IllegalArgumentException when it is one and there is no cluster to write it
         */
        org.neuroinfer.pipeline.RemoteFolder remote(org.neuroinfer.pipeline.Cluster cluster) {
            return Main.remoteFolder("--out", out, cluster);
        }

        @Option(names = "--force", description = "Replace what the output folder holds of a study with other "
                + "settings (without it such a folder is refused, naming what changed).")
        boolean force;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** {@code network fit}: CMA-ES on the target's FC (and FCD). */
    @Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fit network parameters to a target FC (and FCD) with CMA-ES.",
                    "",
                    "A generation's candidates run side by side (--threads, or one Spark task each with --spark). "
                            + "Writes OUT/fit.csv (every evaluation, after each generation), OUT/best.json and "
                            + "OUT/fit.png (score by evaluation); a killed fit resumes from fit.csv, and a larger "
                            + "evaluations: budget continues a finished one."})
    static final class Fit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        StudyFiles files = new StudyFiles();

        @picocli.CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @picocli.CommandLine.Mixin
        SparkOption spark = new SparkOption();

        @Override
        public Integer call() throws IOException {
            org.neuroinfer.pipeline.Cluster cluster = spark.cluster(false);
            org.neuroinfer.pipeline.RemoteFolder remote = files.remote(cluster);
            NetworkFitting.Result res;
            try (Progress.Deferred bar = new Progress.Deferred(spec.commandLine().getErr(), "fitting")) {
                NetworkFitting.Listener listener = new NetworkFitting.Listener() {
                    @Override
                    public void started(int evaluations) {
                        bar.start(evaluations);
                    }

                    @Override
                    public void accept(FcFit.Evaluation e) {
                        bar.advance();
                    }
                };
                res = remote != null
                        ? NetworkFitting.run(files.file, remote, files.force, listener, cluster, spark.master,
                                (dir, fit) -> plot(dir, fit.fit()))
                        : NetworkFitting.run(new NetworkFitting.Spec(files.file, files.out(), files.force,
                                threads.get()), listener, cluster, spark.master);
            }
            FcFit.Result r = res.fit();
            if (remote == null) {
                plot(files.out(), r);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "best of %d evaluations (%.1f s%s): %s  FC correlation %.4f, score %.4f%n",
                    r.evaluations().size(), res.seconds(), res.reused() > 0 ? ", " + res.reused() + " taken from "
                    + "the earlier run" : cluster != null ? ", on Spark (" + spark.master + ")" : ", "
                    + threads.get() + " threads", r.best().values(), r.best().score().fcCorrelation(),
                    r.best().score().score());
            o.printf("wrote %s: fit.csv, best.json, fit.png%n", remote == null ? files.out() : remote.uri());
            o.flush();
            return 0;
        }

        private static void plot(Path dir, FcFit.Result r) throws IOException {
            XYChart ch = Plots.chart("score by evaluation (CMA-ES)", "evaluation", "score");
            Plots.points(ch, "score", r.evaluations().stream().mapToDouble(FcFit.Evaluation::evaluation).toArray(),
                    r.evaluations().stream().mapToDouble(e -> e.score().score()).toArray(),
                    new java.awt.Color(31, 90, 180));
            Plots.save(dir.resolve("fit.png"), List.of(ch), 1, true);
        }
    }

    /** {@code network npe}: amortised inference of network parameters from FC (neural posterior estimation). */
    @Command(name = "npe", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Amortised inference for networks: simulate runs with parameters drawn uniformly within "
                    + "the fit: bounds, reduce each to its FC's upper triangle, train a neural posterior estimator on "
                    + "them, and give the posterior of the target's FC (mean over its subjects).",
                    "",
                    "Writes OUT/simulations.npz (theta, features), OUT/model/ (the estimator, usable with posterior), "
                    + "and with a target OUT/posterior.csv and OUT/corner.png. Each stage is kept with what it was "
                    + "computed from (OUT/*.settings.json) and reused by a run with the same settings; a run with "
                    + "other settings is refused, naming what changed, unless --force replaces the stages it "
                    + "changes."})
    static final class Npe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        StudyFiles files = new StudyFiles();

        @Option(names = "--samples", defaultValue = "2000", description = "Posterior draws for the target "
                + "(default ${DEFAULT-VALUE}).")
        int samples;

        @picocli.CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @picocli.CommandLine.Mixin
        SparkOption spark = new SparkOption();

        @Override
        public Integer call() throws Exception {
            NetworkStudy study = NetworkStudy.read(files.file, false);
            org.neuroinfer.pipeline.Cluster cluster = spark.cluster(false);
            NetworkInference.OnCluster onCluster = cluster == null ? null
                    : new NetworkInference.OnCluster(files.file, cluster, spark.master);
            org.neuroinfer.pipeline.RemoteFolder remote = files.remote(cluster);
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            NetworkInference.Result r;
            try (Progress.Deferred bar = new Progress.Deferred(err, "simulating");
                    TrainCommand.EpochPrinter printer = new TrainCommand.EpochPrinter(o, err,
                    NetworkInference.estimator(study).training().epochs())) {
                NetworkInference.Listener listener = new NetworkInference.Listener() {
                    @Override
                    public void kept(String what, Path where) {
                        o.println(what + " kept from " + (remote == null ? where : remote.uri()));
                    }

                    @Override
                    public java.util.function.IntConsumer simulating(int n) {
                        bar.start(n);
                        return bar::advance;
                    }

                    @Override
                    public org.neuroinfer.learn.train.TrainingLoop.Listener training() {
                        bar.close();
                        return printer;
                    }
                };
                r = remote != null
                        ? NetworkInference.run(new NetworkInference.Spec(study, null, files.force, samples,
                                threads.get()), remote, listener, onCluster, (dir, res) -> corner(dir, res))
                        : NetworkInference.run(new NetworkInference.Spec(study, files.out(), files.force, samples,
                                threads.get()), listener, onCluster);
            }
            String where = remote == null ? files.out().toString() : remote.uri();
            if (r.simSeconds() > 0) {
                o.printf(Locale.ROOT, "simulated %d networks in %.1f s%n", r.simulations(), r.simSeconds());
            }
            if (r.training() != null) {
                o.printf(Locale.ROOT, "trained %s/%s (%s; %d runs dropped as diverged)%n", where,
                        NetworkInference.MODEL, r.training().stopReason(), r.training().dropped());
            }
            if (r.summary() != null) {
                PosteriorSummary sum = r.summary();
                for (int j = 0; j < r.names().size(); j++) {
                    o.printf(Locale.ROOT, "%s: posterior mean %.4g, sd %.3g, 90 %% interval %.4g .. %.4g%n",
                            r.names().get(j), sum.mean()[j], sum.sd()[j], sum.low()[j], sum.high()[j]);
                }
                if (remote == null) {
                    corner(files.out(), r);
                }
                o.printf("wrote %s: simulations.npz, model/, posterior.csv, corner.png%n", where);
            }
            o.flush();
            return 0;
        }

        private static void corner(Path dir, NetworkInference.Result r) throws IOException {
            if (r.draws() != null) {
                org.neuroinfer.cli.plot.Corner.save(dir.resolve(NetworkInference.CORNER), r.draws(), r.names(), null,
                        null, true);
            }
        }
    }
}
