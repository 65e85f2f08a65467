package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.io.YamlFiles;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.SbibmC2st;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.npe.SequentialNpe;
import org.neuroinfer.pipeline.SbibmRun;
import org.neuroinfer.simulator.sbibm.SbibmTask;
import org.neuroinfer.simulator.sbibm.SbibmTasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sbibm}: the field's benchmark of simulation-based inference, its ten tasks and its C2ST. */
@Command(name = "sbibm", mixinStandardHelpOptions = true,
        description = {"The sbibm benchmark (Lueckmann et al. 2021): posterior estimation on its ten tasks, scored by "
                + "C2ST against the reference posteriors.",
                "",
                "Tasks: gaussian_linear, gaussian_linear_uniform, two_moons, slcp, slcp_distractors, "
                + "gaussian_mixture, bernoulli_glm, bernoulli_glm_raw, sir, lotka_volterra. The reference folder "
                + "(observations, reference posteriors, fixed arrays) is the shared reference/sbibm unless "
                + "--reference names another."},
        subcommands = {SbibmCommand.Run.class, SbibmCommand.C2st.class, SbibmCommand.Bench.class})
final class SbibmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The reference folder option. */
    static final class Reference {
        @Option(names = "--reference", paramLabel = "DIR", description = "The sbibm reference folder (default: "
                + "reference/sbibm of the shared folder).")
        Path reference;

        Path folder() {
            Path p = reference != null ? reference : SharedFolder.require().resolve("reference/sbibm");
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException("--reference " + p + " is not a folder");
            }
            return p;
        }
    }

    /** The estimator options both {@code run} and {@code benchmark} take. */
    static final class Estimator {
        @Option(names = "--rounds", defaultValue = "1", paramLabel = "R",
                description = "1: amortised NPE (default; compared with sbi's NPE); more: sequential NPE, N/R "
                        + "simulations per round (compared with sbi's SNPE).")
        int rounds;

        @Option(names = "--proposal", defaultValue = "atomic", paramLabel = "truncated|atomic",
                description = "How rounds after the first propose: atomic (the last posterior itself, APT's atomic "
                        + "loss, as sbi's SNPE; default) or truncated (the prior truncated to the last posterior's "
                        + "region, plain NPE loss: TSNPE).")
        String proposal;

        @Option(names = "--warm-start", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Each sequential round continues the last round's estimator (its weights and "
                        + "standardisation, as sbi does; default); --no-warm-start trains each round afresh.")
        boolean warmStart;

        @Option(names = "--samples", defaultValue = "10000", paramLabel = "N",
                description = "Posterior samples drawn (default ${DEFAULT-VALUE}, as sbibm scores).")
        int samples;

        @Option(names = "--config", paramLabel = "FILE.yaml",
                description = "Estimator and training (default: examples/sbibm-npe.yaml's settings).")
        Path config;

        /** The file's settings, or examples/sbibm-npe.yaml's, packed into the program: what a user reads runs. */
        org.neuroinfer.pipeline.SbibmSettings settings() throws IOException {
            if (config != null) {
                if (!Files.isRegularFile(config)) {
                    throw new IllegalArgumentException("--config " + config + " does not exist");
                }
                try (java.io.InputStream in = Files.newInputStream(config)) {
                    return org.neuroinfer.pipeline.SbibmSettings.read(in);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(config + ": " + e.getMessage(), e);
                }
            }
            try (java.io.InputStream in = SbibmCommand.class.getResourceAsStream("presets/sbibm-npe.yaml")) {
                if (in == null) {
                    throw new IOException("the packed examples/sbibm-npe.yaml is missing from the program");
                }
                return org.neuroinfer.pipeline.SbibmSettings.read(in);
            }
        }
    }

    /** {@code sbibm run}: train on a budget of simulations, then posterior samples for an observation. */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a posterior estimator on N simulations of a task (amortised NPE, or R rounds of "
                    + "sequential NPE) and write posterior samples for one observation.",
                    "",
                    "The estimator is kept in SAMPLES.model/ (a killed run resumes); the samples are written as "
                    + ".npy [samples x dim], to be scored with 'sbibm c2st'."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--task", required = true, paramLabel = "TASK", description = "One of the ten tasks.")
        String task;

        @Option(names = "--observation-file", required = true, paramLabel = "OBS.npy",
                description = "The observation, float [dim data] (e.g. reference/sbibm/TASK/observation_1.npy).")
        Path observation;

        @Option(names = "--simulations", required = true, paramLabel = "N", description = "Simulation budget "
                + "(>= 100).")
        int simulations;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of simulations and "
                + "draws (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "SAMPLES.npy", description = "The samples.")
        Path out;

        @Option(names = "--force", description = "Replace SAMPLES.npy and the kept estimator.")
        boolean force;

        @picocli.CommandLine.Mixin
        Estimator estimator = new Estimator();

        @picocli.CommandLine.Mixin
        Reference reference = new Reference();

        @picocli.CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @Override
        public Integer call() throws IOException {
            if (!out.getFileName().toString().endsWith(".npy")) {
                throw new IllegalArgumentException("--out " + out + ": the samples are written as .npy");
            }
            SbibmTask t = SbibmTasks.of(task, reference.folder(), seed);
            NpeConfig c = estimator.settings().forBudget(simulations);
            Path work = out.resolveSibling(out.getFileName().toString().replaceAll("\\.npy$", "") + ".model");
            SbibmRun.Spec s = new SbibmRun.Spec(c, simulations, estimator.rounds, estimator.samples, seed, work,
                    SequentialNpe.Proposal.of(estimator.proposal), estimator.warmStart);
            if (!Files.isRegularFile(observation)) {
                throw new IllegalArgumentException("--observation-file " + observation + " does not exist");
            }
            float[] x = SbibmTask.floats(observation);
            AtomicFiles.checkWritable(out, force);
            if (force) {
                org.neuroinfer.learn.npe.NpeTraining.discard(work);
                org.neuroinfer.learn.npe.SequentialNpe.discard(work);
            }
            TorchRuntime.threads(threads.forEngine());
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            o.printf(Locale.ROOT, "%s: %d simulations, %s%n", task, simulations, estimator.rounds == 1
                    ? "amortised NPE" : estimator.rounds + " rounds of sequential NPE (" + estimator.proposal
                    + " proposals" + (estimator.warmStart ? ", warm-started" : "") + ")");
            o.flush();
            SbibmRun.Result r;
            try (TrainCommand.EpochPrinter printer = new TrainCommand.EpochPrinter(o, err, c.training().epochs())) {
                r = SbibmRun.run(t, x, s, printer, k -> {
                    o.println(SnpeCommand.describe(k));
                    o.flush();
                });
            }
            Npy.save(out, NpyArray.of(r.samples()), force);
            o.printf(Locale.ROOT, "wrote %s (%d samples of %s) in %.1f s%n", out, r.samples().length, r.names(),
                    r.seconds());
            o.flush();
            return 0;
        }
    }

    /** {@code sbibm c2st}: sbibm's score of a sample against a reference. */
    @Command(name = "c2st", mixinStandardHelpOptions = true,
            description = {"Score posterior samples against reference samples with sbibm's C2ST (0.5: "
                    + "indistinguishable; 1: completely different).",
                    "",
                    "Both files are .npy [n x dim]; the reference is the one z-scoring uses, as in sbibm. Hand over "
                    + "distinct samples: repeated rows raise the score."})
    static final class C2st implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SAMPLES.npy", description = "The samples to score.")
        Path samples;

        @Parameters(index = "1", paramLabel = "REFERENCE.npy", description = "The reference samples.")
        Path reference;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
                description = "Seed of the folds and initial weights (default ${DEFAULT-VALUE}, sbibm's).")
        long seed;

        @Override
        public Integer call() throws IOException {
            double[][] a = read(samples, "SAMPLES");
            double[][] b = read(reference, "REFERENCE");
            if (a[0].length != b[0].length) {
                throw new IllegalArgumentException("SAMPLES has " + a[0].length + " dimensions, REFERENCE "
                        + b[0].length);
            }
            long t0 = System.nanoTime();
            double c = SbibmC2st.score(a, b, seed);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "C2ST %.4f (%d vs %d samples in %d dimensions, %.1f s)%n", c, a.length, b.length,
                    a[0].length, (System.nanoTime() - t0) / 1e9);
            o.flush();
            return 0;
        }

        private static double[][] read(Path f, String what) throws IOException {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(what + " " + f + " does not exist");
            }
            NpyArray a = Npy.load(f);
            if (a.shape().length != 2) {
                throw new IllegalArgumentException(what + " " + f + ": shape " + java.util.Arrays.toString(a.shape())
                        + "; expected [n, dim]");
            }
            return a.rows();
        }
    }

    /** {@code sbibm benchmark}: every cell of tasks × budgets × observations, beside sbi's medians. */
    @Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run and score every task x budget x observation and compare the median C2ST with sbi's "
                    + "published NPE medians.",
                    "",
                    "Each cell is kept in OUT/TASK/nN/obsK (samples.npy, c2st.json): a killed benchmark resumes. "
                    + "Writes OUT/cells.csv, OUT/summary.csv (neuroinfer's median C2ST and run time beside sbi's) "
                    + "and OUT/c2st.png (per task, C2ST against the budget). With --spark, each cell is a task "
                    + "with one thread; give executors one core each, as trainings in one JVM take turns."})
    static final class Bench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tasks", defaultValue = "all", paramLabel = "LIST",
                description = "all (default) or comma-separated task names.")
        String tasks;

        @Option(names = "--simulations", defaultValue = "1000,10000,100000", paramLabel = "LIST",
                description = "Budgets (default ${DEFAULT-VALUE}).")
        String budgets;

        @Option(names = "--observations", defaultValue = "1-5", paramLabel = "RANGE",
                description = "Observations, e.g. 1-5 (default) or 1,3.")
        String observations;

        @picocli.CommandLine.Mixin
        Estimator estimator = new Estimator();

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Option(names = "--force", description = "Replace cells computed with other settings (kept cells of the "
                + "same settings are still reused).")
        boolean force;

        @picocli.CommandLine.Mixin
        Reference reference = new Reference();

        @picocli.CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @picocli.CommandLine.Mixin
        SparkOption spark = new SparkOption();

        @Override
        public Integer call() throws IOException {
            org.neuroinfer.pipeline.Cluster cluster = spark.cluster(false);
            java.util.List<Integer> b = new java.util.ArrayList<>();
            for (String s : budgets.split(",")) {
                try {
                    b.add(Integer.parseInt(s.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--simulations " + budgets + ": give numbers like 1000,10000");
                }
            }
            org.neuroinfer.pipeline.SbibmBenchmark.Spec s = new org.neuroinfer.pipeline.SbibmBenchmark.Spec(
                    tasks.equals("all") ? SbibmTasks.NAMES : java.util.List.of(tasks.split(",")), b,
                    org.neuroinfer.pipeline.SbibmBenchmark.range(observations), estimator.rounds, estimator.samples,
                    estimator.settings(), reference.folder(), out, SequentialNpe.Proposal.of(estimator.proposal),
                    estimator.warmStart, force);
            TorchRuntime.threads(threads.forEngine());
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            java.util.List<org.neuroinfer.pipeline.SbibmBenchmark.Cell> cells =
                    org.neuroinfer.pipeline.SbibmBenchmark.run(s, new org.neuroinfer.pipeline.SbibmBenchmark.Listener() {
                        private TrainCommand.EpochPrinter printer;

                        @Override
                        public void running(String task, int budget, int observation) {
                            // a cell at 10^5 trains for up to an hour: its epochs on stderr, the table on stdout
                            err.printf(Locale.ROOT, "%s, %d simulations, observation %d:%n", task, budget,
                                    observation);
                            err.flush();
                            printer = new TrainCommand.EpochPrinter(err, err,
                                    s.settings().forBudget(budget).training().epochs());
                        }

                        @Override
                        public org.neuroinfer.learn.train.TrainingLoop.Listener training() {
                            return printer != null ? printer
                                    : org.neuroinfer.pipeline.SbibmBenchmark.Listener.super.training();
                        }

                        @Override
                        public void scored(org.neuroinfer.pipeline.SbibmBenchmark.Cell c, boolean kept) {
                            if (printer != null) {
                                printer.close();
                                printer = null;
                            }
                            o.printf(Locale.ROOT, "%-24s %7d  obs %2d  C2ST %.4f  %6.1f s run  %5.1f s C2ST%s%n",
                                    c.task(), c.budget(), c.observation(), c.c2st(), c.runSeconds(), c.c2stSeconds(),
                                    (kept ? "  (kept)" : "") + (c.failure() == null ? ""
                                            : "  (no posterior drawn, scored 1: " + c.failure() + ")"));
                            o.flush();
                        }
                    }, cluster, spark.master);
            var rows = org.neuroinfer.pipeline.SbibmBenchmark.summarise(s, cells);
            o.printf(Locale.ROOT, "%-24s %7s %6s %10s %10s %10s %10s%n", "task", "sims", "obs", "C2ST", "sbi NPE",
                    "min", "sbi min");
            for (var r : rows) {
                o.printf(Locale.ROOT, "%-24s %7d %6d %10.3f %10.3f %10.2f %10.2f%s%n", r.task(), r.budget(),
                        r.observations(), r.median(), r.sbi(), r.runMinutes(), r.sbiMinutes(),
                        r.median() <= r.sbi() ? "" : "  above sbi");
            }
            org.neuroinfer.cli.plot.SbibmPlots.save(out.resolve("c2st.png"), s.tasks(), cells, rows);
            o.println("wrote " + out + ": cells.csv, summary.csv, c2st.png");
            o.flush();
            return 0;
        }
    }
}
