package org.neuroinfer.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.StageStamp;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.npe.SbibmC2st;
import org.neuroinfer.learn.npe.SequentialNpe;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.numeric.OrderStatistics;
import org.neuroinfer.simulator.sbibm.SbibmTask;
import org.neuroinfer.simulator.sbibm.SbibmTasks;

/**
 * The sbibm benchmark stage: every (task, budget, observation) cell run with {@link SbibmRun} and scored by sbibm's
 * C2ST against the reference posterior, each cell kept in its folder with its score and wall times so a killed
 * benchmark resumes where it stopped; then a table of neuroinfer's median C2ST per task and budget beside sbi's
 * published NPE medians ({@code sbi_results.csv}; gaussian_mixture's corrected rerun).
 */
public final class SbibmBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SbibmBenchmark() {
    }

    /**
     * What to run.
     *
     * @param tasks        task names
     * @param budgets      simulation budgets
     * @param observations observation numbers (1-based)
     * @param rounds       1 for NPE, more for sequential NPE
     * @param samples      posterior samples per cell (sbibm: 10,000)
     * @param settings     the estimator per budget, the same for every task
     * @param reference    the sbibm reference folder
     * @param out          the benchmark's folder
     * @param proposal     how sequential rounds after the first propose
     * @param warmStart    whether each sequential round continues the last round's estimator
     * @param force        replace cells computed with other settings (refused without)
     */
    public record Spec(List<String> tasks, List<Integer> budgets, List<Integer> observations, int rounds,
                       int samples, SbibmSettings settings, Path reference, Path out,
                       SequentialNpe.Proposal proposal, boolean warmStart, boolean force) {
        /** Sequential rounds as sbi's SNPE runs them (atomic, warm-started); cells of other settings refused. */
        public Spec(List<String> tasks, List<Integer> budgets, List<Integer> observations, int rounds, int samples,
                    SbibmSettings settings, Path reference, Path out) {
            this(tasks, budgets, observations, rounds, samples, settings, reference, out,
                    SequentialNpe.Proposal.ATOMIC, true, false);
        }

        public Spec {
            for (String t : tasks) {
                if (!SbibmTasks.NAMES.contains(t)) {
                    throw new IllegalArgumentException("unknown sbibm task '" + t + "'; valid: "
                            + String.join(", ", SbibmTasks.NAMES));
                }
            }
            for (int b : budgets) {
                if (b < SbibmRun.MIN_SIMULATIONS) {
                    throw new IllegalArgumentException("--simulations must be >= " + SbibmRun.MIN_SIMULATIONS
                            + ", got " + b);
                }
            }
            for (int o : observations) {
                if (o < 1 || o > 10) {
                    throw new IllegalArgumentException("--observations must be in 1..10, got " + o);
                }
            }
        }
    }

    /**
     * One scored cell.
     *
     * @param c2st        sbibm's C2ST of the samples against the reference posterior; 1 when no posterior could be
     *                    drawn
     * @param runSeconds  simulation, training and sampling
     * @param c2stSeconds the score's computation
     * @param failure     why no posterior could be drawn (the estimator put almost no mass inside the prior's
     *                    support), or null
     */
    public record Cell(String task, int budget, int observation, double c2st, double runSeconds,
                       double c2stSeconds, String failure) {
        /** A cell scored from its samples. */
        public Cell(String task, int budget, int observation, double c2st, double runSeconds, double c2stSeconds) {
            this(task, budget, observation, c2st, runSeconds, c2stSeconds, null);
        }
    }

    /** What the stage tells as it goes. */
    public interface Listener {
        /** A cell is about to run (not told for cells kept from an earlier run). */
        default void running(String task, int budget, int observation) {
        }

        /** A cell is scored (or was kept). */
        default void scored(Cell cell, boolean kept) {
        }

        /** The training of the running cell. */
        default TrainingLoop.Listener training() {
            return new TrainingLoop.Listener() {
            };
        }
    }

    /**
     * A row of the summary.
     *
     * @param median neuroinfer's median C2ST over the observations run
     * @param sbi    sbi's published NPE (or SNPE) median over its 10 observations, NaN when the table has none
     * @param runMinutes neuroinfer's median run time, minutes
     * @param sbiMinutes sbi's median run time, minutes
     */
    public record Summary(String task, int budget, int observations, double median, double sbi, double runMinutes,
                          double sbiMinutes) {
    }

    /** Runs every cell of {@code spec} not kept from an earlier run, then writes the tables; the cells. */
    public static List<Cell> run(Spec spec, Listener listener) throws IOException {
        return run(spec, listener, null, null);
    }

    /**
     * As {@link #run(Spec, Listener)}, the cells not kept from an earlier run made as the parts of a job on
     * {@code cluster} at {@code master} when it is not null: one cell per part, with one thread, each writing its
     * folder (which every worker must reach, like the output folder of the other stages); the reference folder
     * travels with the job. A cell depends only on its settings and seed, so its score is the one this machine
     * computes alone.
     */
    public static List<Cell> run(Spec spec, Listener listener, Cluster cluster, String master) throws IOException {
        List<Cell> cells = new ArrayList<>();
        List<CellKey> todo = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (String name : spec.tasks()) {
            for (int budget : spec.budgets()) {
                for (int k : spec.observations()) {
                    Path dir = cellDir(spec, name, budget, k);
                    Path score = dir.resolve("c2st.json");
                    Files.createDirectories(dir);
                    StageStamp.claim(dir, "cell", cellSettings(spec, name, budget, k), spec.force(),
                            List.of(score, dir.resolve("samples.npy"), dir.resolve("run.json"), dir.resolve("model")));
                    if (Files.exists(score)) {
                        Cell c = JSON.readValue(score.toFile(), Cell.class);
                        cells.add(c);
                        listener.scored(c, true);
                    } else if (cluster == null) {
                        listener.running(name, budget, k);
                        Cell c = cell(spec, name, budget, k, listener);
                        cells.add(c);
                        listener.scored(c, false);
                    } else {
                        todo.add(new CellKey(name, budget, k));
                        slots.add(cells.size());
                        cells.add(null);
                    }
                }
            }
        }
        if (!todo.isEmpty()) {
            Map<String, Object> settings = spec.settings().values();
            String reference = spec.reference().toAbsolutePath().toString();
            String out = spec.out().toAbsolutePath().toString();
            int rounds = spec.rounds();
            int samples = spec.samples();
            SequentialNpe.Proposal proposal = spec.proposal();
            boolean warm = spec.warmStart();
            cluster.runParts(master, "neuroinfer sbibm benchmark " + spec.out().getFileName(), todo.size(),
                    List.of(spec.reference()), part -> {
                        CellKey key = todo.get(part.index());
                        org.neuroinfer.learn.torch.TorchRuntime.threads(1);
                        Spec one = new Spec(List.of(key.task()), List.of(key.budget()), List.of(key.observation()),
                                rounds, samples, SbibmSettings.of(settings), Path.of(reference), Path.of(out),
                                proposal, warm, false);
                        cell(one, key.task(), key.budget(), key.observation(), new Listener() {
                        });
                    });
            for (int i = 0; i < todo.size(); i++) {
                CellKey key = todo.get(i);
                Cell c = JSON.readValue(cellDir(spec, key.task(), key.budget(), key.observation())
                        .resolve("c2st.json").toFile(), Cell.class);
                cells.set(slots.get(i), c);
                listener.scored(c, false);
            }
        }
        write(spec, cells);
        return cells;
    }

    /** A cell a cluster's part runs. */
    private record CellKey(String task, int budget, int observation) implements java.io.Serializable {
    }

    private static Path cellDir(Spec spec, String task, int budget, int k) {
        return spec.out().resolve(String.format(Locale.ROOT, "%s/n%d/obs%d", task, budget, k));
    }

    /** Runs and scores one cell into its folder (whose settings were claimed), reading the reference's copy. */
    private static Cell cell(Spec spec, String name, int budget, int k, Listener listener) throws IOException {
        Path dir = cellDir(spec, name, budget, k);
        Path reference = org.neuroinfer.io.InputFiles.local(spec.reference());
        SbibmTask task = SbibmTasks.of(name, reference, k);
        long t0 = System.nanoTime();
        Cell c;
        try {
            Drawn d = drawn(spec, task, budget, k, dir, listener);
            t0 = System.nanoTime();
            double c2st = SbibmC2st.score(d.samples(), task.referencePosterior(k), 1);
            c = new Cell(name, budget, k, c2st, d.runSeconds(), (System.nanoTime() - t0) / 1e9);
        } catch (org.neuroinfer.learn.npe.PosteriorModel.OutsideSupportException e) {
            // no posterior to score: the worst C2ST (as if told apart from the reference every time), the reason
            // kept, so the grid goes on and its medians count the cell rather than leave it out
            c = new Cell(name, budget, k, 1.0, (System.nanoTime() - t0) / 1e9, 0, e.getMessage());
        }
        byte[] b = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c);
        AtomicFiles.write(dir.resolve("c2st.json"), true, w -> w.write(b));
        return c;
    }

    /**
     * Everything a cell's score depends on: the task, budget and observation, the estimator and training for the
     * budget, the rounds (and their proposals) and the number of samples. A cell kept from a run of other settings
     * is refused, naming the changed ones, rather than mixed into the table.
     */
    private static com.fasterxml.jackson.databind.JsonNode cellSettings(Spec spec, String task, int budget, int k) {
        var n = JSON.createObjectNode();
        n.put("task", task);
        n.put("simulations", budget);
        n.put("observation", k);
        n.put("rounds", spec.rounds());
        if (spec.rounds() > 1) {
            n.put("proposal", spec.proposal().label());
            n.put("warm_start", spec.warmStart());
        }
        n.put("samples", spec.samples());
        n.set("estimator", JSON.valueToTree(spec.settings().forBudget(budget)));
        return n;
    }

    /** A cell's posterior samples and the seconds it took to train and draw them. */
    private record Drawn(double[][] samples, double runSeconds) {
    }

    /**
     * The cell's samples: kept from a run killed while scoring them ({@code samples.npy}, then {@code run.json},
     * each written atomically), else trained and drawn now; a model finished but never sampled is trained again
     * (an unfinished one resumes).
     */
    private static Drawn drawn(Spec spec, SbibmTask task, int budget, int k, Path dir, Listener listener)
            throws IOException {
        Path samples = dir.resolve("samples.npy");
        Path run = dir.resolve("run.json");
        if (Files.exists(run) && Files.exists(samples)) {
            double seconds = JSON.readTree(run.toFile()).path("run_seconds").asDouble(Double.NaN);
            return new Drawn(Npy.load(samples).rows(), seconds);
        }
        Path model = dir.resolve("model");
        if (Files.exists(model.resolve(ModelCard.FILE))) {
            AtomicFiles.deleteTree(model);
        }
        SbibmRun.Result r = SbibmRun.run(task, task.observation(k), new SbibmRun.Spec(spec.settings().forBudget(budget), budget,
                spec.rounds(), spec.samples(), k, model, spec.proposal(), spec.warmStart()), listener.training());
        Npy.save(samples, NpyArray.of(r.samples()), true);
        byte[] b = JSON.writeValueAsBytes(Map.of("run_seconds", r.seconds()));
        AtomicFiles.write(run, true, w -> w.write(b));
        return new Drawn(r.samples(), r.seconds());
    }

    /** neuroinfer's medians beside sbi's, per task and budget. */
    public static List<Summary> summarise(Spec spec, List<Cell> cells) throws IOException {
        Map<String, double[]> sbi = sbiMedians(spec.reference(), spec.rounds() > 1 ? "SNPE" : "NPE");
        List<Summary> rows = new ArrayList<>();
        for (String t : spec.tasks()) {
            for (int b : spec.budgets()) {
                double[] c = cells.stream().filter(x -> x.task().equals(t) && x.budget() == b)
                        .mapToDouble(Cell::c2st).toArray();
                double[] rt = cells.stream().filter(x -> x.task().equals(t) && x.budget() == b)
                        .mapToDouble(x -> x.runSeconds() / 60).toArray();
                double[] s = sbi.getOrDefault(t + "," + b, new double[] {Double.NaN, Double.NaN});
                rows.add(new Summary(t, b, c.length, OrderStatistics.median(c), s[0], OrderStatistics.median(rt),
                        s[1]));
            }
        }
        return rows;
    }

    private static void write(Spec spec, List<Cell> cells) throws IOException {
        String[] header = {"task", "simulations", "observation", "c2st", "run_seconds", "c2st_seconds"};
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (Cell c : cells) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.5f,%.2f,%.2f%n", c.task(), c.budget(), c.observation(),
                    c.c2st(), c.runSeconds(), c.c2stSeconds()));
        }
        StringBuilder sum = new StringBuilder("task,simulations,observations,c2st_median,sbi_c2st_median,"
                + "run_minutes_median,sbi_run_minutes_median\n");
        for (Summary s : summarise(spec, cells)) {
            sum.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%.3f,%.3f%n", s.task(), s.budget(),
                    s.observations(), s.median(), s.sbi(), s.runMinutes(), s.sbiMinutes()));
        }
        Files.createDirectories(spec.out());
        byte[] a = csv.toString().getBytes(StandardCharsets.UTF_8);
        byte[] b = sum.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(spec.out().resolve("cells.csv"), true, w -> w.write(a));
        AtomicFiles.write(spec.out().resolve("summary.csv"), true, w -> w.write(b));
    }

    /** sbi's medians by "task,budget": {C2ST, run minutes}; gaussian_mixture from the corrected rerun. */
    static Map<String, double[]> sbiMedians(Path reference, String algorithm) throws IOException {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (String f : new String[] {"sbi_results.csv", "sbi_results_gaussian_mixture_rerun.csv"}) {
            Path p = reference.resolve(f);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            List<String> head = Arrays.asList(lines.get(0).split(","));
            for (String line : lines.subList(1, lines.size())) {
                String[] v = line.split(",");
                if (!v[head.indexOf("algorithm")].equals(algorithm)) {
                    continue;
                }
                m.put(v[head.indexOf("task")] + "," + v[head.indexOf("num_simulations")], new double[] {
                    Double.parseDouble(v[head.indexOf("c2st_median")]),
                    Double.parseDouble(v[head.indexOf("rt_median_minutes")])});
            }
        }
        return m;
    }

    /** Observation numbers from "1-5" or "1,3,4". */
    public static List<Integer> range(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                if (p.contains("-")) {
                    int a = Integer.parseInt(p.substring(0, p.indexOf('-')).trim());
                    int b = Integer.parseInt(p.substring(p.indexOf('-') + 1).trim());
                    for (int i = a; i <= b; i++) {
                        out.add(i);
                    }
                } else {
                    out.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': give numbers like 1-5 or 1,3,4");
            }
        }
        return out;
    }
}
