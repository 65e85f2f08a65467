package org.neuroinfer.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.StageStamp;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.network.fit.FcFit;
import org.neuroinfer.network.fit.FcTarget;
import org.neuroinfer.network.fit.StudySettings;

/**
 * The network fit stage: CMA-ES on a study's target FC (and FCD), a generation at a time, its candidates side by
 * side on this machine's threads or as the parts of a cluster job (one network run each), into {@code OUT/fit.csv}
 * (every evaluation, rewritten after each generation) and {@code OUT/best.json}. The search depends only on its seed
 * and the scores, and every run of one configuration gives the same bits anywhere, so the files are the same bytes
 * wherever the runs went. A fit that is killed resumes: the evaluations in {@code fit.csv} are taken again instead of
 * run (the search asks for the same points), and a larger {@code evaluations:} budget continues a finished fit.
 */
public final class NetworkFitting {
    /** The table of evaluations. */
    public static final String TABLE = "fit.csv";

    /** The best evaluation, as JSON. */
    public static final String BEST = "best.json";

    private NetworkFitting() {
    }

    /**
     * What to fit.
     *
     * @param study   the study file (network:, fit: bounds, target:, evaluations:, seed:)
     * @param out     the output folder
     * @param force   replace a fit of other settings in {@code out}
     * @param threads threads for the candidates of a generation (the result does not depend on them)
     */
    public record Spec(Path study, Path out, boolean force, int threads) {
        public Spec {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
        }
    }

    /**
     * The fit.
     *
     * @param fit     the best and every evaluation
     * @param names   the fitted parameters, in the study's order
     * @param reused  evaluations taken from an earlier run's table
     * @param seconds wall time
     */
    public record Result(FcFit.Result fit, List<String> names, int reused, double seconds) {
    }

    /** What a fit tells as it goes: each evaluation, and first how many there will be. */
    @FunctionalInterface
    public interface Listener extends Consumer<FcFit.Evaluation> {
        /** The study is read: {@code evaluations} runs in all (those taken from an earlier run included). */
        default void started(int evaluations) {
        }
    }

    /** Fits on this machine. */
    public static Result run(Spec spec, Listener listener) throws IOException {
        return run(spec, listener, null, null);
    }

    /**
     * Fits, each generation's runs on {@code cluster} at {@code master} when it is not null (one part per candidate,
     * each worker reading the study from the copies shipped with the job), on this machine otherwise.
     */
    public static Result run(Spec spec, Listener listener, Cluster cluster, String master)
            throws IOException {
        return run(spec, listener, cluster, master, PartFiles.in(spec.out()), () -> { });
    }

    /**
     * Fits on {@code cluster} at {@code master} into the folder {@code out} on a file system the workers share
     * ({@code hdfs://}, {@code s3a://}, ...): the search runs here on a copy of the folder, put back after each
     * generation (so a killed fit resumes from it); each candidate's score goes through that folder. With
     * {@code alsoWrite}, a command adds its files (a plot) to the copy before the last put. The bytes of one
     * machine.
     */
    public static Result run(Path study, RemoteFolder out, boolean force, Listener listener, Cluster cluster,
                             String master, Finish alsoWrite) throws IOException {
        return RemoteMirror.inTemporaryFolder("neuroinfer-remote", dir -> {
            RemoteMirror copy = RemoteMirror.pull(out, dir);
            Result r = run(new Spec(study, dir, force, 1), listener, cluster, master, PartFiles.in(out),
                    copy::push);
            alsoWrite.write(dir, r);
            copy.push();
            return r;
        });
    }

    /** What a command adds to a fit's folder once it is done (a plot). */
    public interface Finish {
        void write(Path dir, Result fit) throws IOException;
    }

    /** Something done after each generation's table is written. */
    private interface AfterGeneration {
        void run() throws IOException;
    }

    private static Result run(Spec spec, Listener listener, Cluster cluster, String master, PartFiles scoreFiles,
                              AfterGeneration after) throws IOException {
        long t0 = System.nanoTime();
        NetworkStudy study = NetworkStudy.read(spec.study(), true);
        listener.started(study.config().evaluations());
        Map<String, double[]> bounds = study.config().bounds();
        List<String> names = new ArrayList<>(bounds.keySet());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("network", StudySettings.network(study.base(), study.connectome()));
        s.put("bounds", bounds);
        s.put("target_sha256", StudySettings.target(study.target()));
        s.put("seed", study.config().seed());
        Files.createDirectories(spec.out());
        Path table = spec.out().resolve(TABLE);
        var settings = StageStamp.tree(s);
        StageStamp stamp = StageStamp.claim(spec.out(), "fit", settings, spec.force(),
                List.of(table, spec.out().resolve(BEST)));
        // a part's score file names the settings it was computed for: one of another fit is never taken
        String sha = stamp.settingsSha256();
        stamp.checkOutput(table);
        List<FcFit.Evaluation> earlier = Files.exists(table) ? read(table, names) : List.of();
        List<FcFit.Evaluation> all = new ArrayList<>();
        int[] reused = new int[1];
        Cluster.Session session = cluster == null ? null : cluster.open(master, "neuroinfer network fit "
                + spec.out().getFileName(), study.inputFiles(spec.study()));
        try {
            FcFit.Generation runs = session == null ? FcFit.here(study.base(), study.connectome(), study.target(),
                    spec.threads()) : onCluster(session, spec.study(), scoreFiles, sha);
            FcFit.Result r = FcFit.run(bounds, study.config().evaluations(), study.config().seed(), (first, points) -> {
                List<FcTarget.Score> scores = new ArrayList<>();
                int k = 0;
                while (k < points.size() && first - 1 + k < earlier.size()
                        && earlier.get(first - 1 + k).values().equals(points.get(k))) {
                    scores.add(earlier.get(first - 1 + k).score());
                    k++;
                }
                reused[0] += k;
                if (k < points.size()) {
                    scores.addAll(runs.score(first + k, points.subList(k, points.size())));
                }
                for (int i = 0; i < points.size(); i++) {
                    all.add(new FcFit.Evaluation(first + i, points.get(i), scores.get(i)));
                }
                stamp.writeOutput(table, csv(all, names));
                if (session != null) {
                    for (int i = 0; i < points.size(); i++) {
                        scoreFiles.delete(partFile(first + i));
                    }
                }
                after.run();
                return scores;
            }, listener);
            double seconds = (System.nanoTime() - t0) / 1e9;
            stamp.writeOutput(spec.out().resolve(BEST), best(r));
            return new Result(r, names, reused[0], seconds);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /** A generation's runs as the parts of a cluster job: each writes its score to a file the driver reads. */
    private static FcFit.Generation onCluster(Cluster.Session session, Path studyFile, PartFiles files, String sha) {
        String study = studyFile.toAbsolutePath().toString();
        return (first, points) -> {
            List<Map<String, Double>> todo = new ArrayList<>(points);
            session.runParts("generation from evaluation " + first, todo.size(), part -> {
                int k = part.index();
                if (readPart(files.read(partFile(first + k)), sha, todo.get(k)) != null) { // an earlier attempt
                    return;
                }
                NetworkStudy w = NetworkStudy.read(Path.of(study), true);
                FcTarget.Score sc = FcFit.score(w.target(), () -> {
                    try {
                        return ConfiguredRun.run(w.base().with(todo.get(k)), w.connectome(), 1);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                files.write(partFile(first + k), partText(sha, todo.get(k), sc).getBytes(StandardCharsets.UTF_8));
            });
            List<FcTarget.Score> scores = new ArrayList<>();
            for (int k = 0; k < todo.size(); k++) {
                FcTarget.Score sc = readPart(files.read(partFile(first + k)), sha, todo.get(k));
                if (sc == null) {
                    throw new IllegalStateException(partFile(first + k) + " holds another point's score");
                }
                scores.add(sc);
            }
            return scores;
        };
    }

    /** The file a cluster's part writes the score of evaluation {@code n} to. */
    static String partFile(int n) {
        return "fit.evaluation-" + n + ".txt";
    }

    private static String partText(String sha, Map<String, Double> values, FcTarget.Score s) {
        return sha + " " + values + "\n" + s.fcCorrelation() + " " + s.fcdKs() + " " + s.score() + "\n";
    }

    /**
     * The score in a part's file, or null when there is none or it is of another fit's settings or another point.
     */
    private static FcTarget.Score readPart(byte[] file, String sha, Map<String, Double> values) {
        if (file == null) {
            return null;
        }
        List<String> lines = new String(file, StandardCharsets.UTF_8).lines().toList();
        if (lines.size() != 2 || !lines.get(0).equals(sha + " " + values)) {
            return null;
        }
        String[] v = lines.get(1).split(" ");
        return new FcTarget.Score(Double.parseDouble(v[0]), Double.parseDouble(v[1]), Double.parseDouble(v[2]));
    }

    /** The table: one row per evaluation, every number as Java prints a double (read back exactly). */
    static byte[] csv(List<FcFit.Evaluation> all, List<String> names) {
        StringBuilder csv = new StringBuilder("evaluation," + String.join(",", names)
                + ",fc_correlation,fcd_ks,score\n");
        for (FcFit.Evaluation e : all) {
            csv.append(e.evaluation());
            names.forEach(n -> csv.append(',').append(e.values().get(n)));
            csv.append(',').append(e.score().fcCorrelation()).append(',')
                    .append(Double.isNaN(e.score().fcdKs()) ? "" : Double.toString(e.score().fcdKs())).append(',')
                    .append(e.score().score()).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The evaluations of a table {@link #csv} wrote for these parameters. */
    static List<FcFit.Evaluation> read(Path table, List<String> names) throws IOException {
        List<String> lines = Files.readAllLines(table);
        String header = "evaluation," + String.join(",", names) + ",fc_correlation,fcd_ks,score";
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IllegalArgumentException(table + ": not a fit table of " + names + "; pass --force to start "
                    + "the fit again");
        }
        List<FcFit.Evaluation> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            Map<String, Double> v = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                v.put(names.get(i), Double.parseDouble(c[1 + i]));
            }
            int at = 1 + names.size();
            out.add(new FcFit.Evaluation(Integer.parseInt(c[0]), v, new FcTarget.Score(Double.parseDouble(c[at]),
                    c[at + 1].isEmpty() ? Double.NaN : Double.parseDouble(c[at + 1]), Double.parseDouble(c[at + 2]))));
        }
        return out;
    }

    private static byte[] best(FcFit.Result r) throws IOException {
        Map<String, Object> best = new LinkedHashMap<>();
        best.put("values", r.best().values());
        best.put("fc_correlation", r.best().score().fcCorrelation());
        best.put("fcd_ks", Double.isNaN(r.best().score().fcdKs()) ? null : r.best().score().fcdKs());
        best.put("score", r.best().score().score());
        best.put("evaluation", r.best().evaluation());
        best.put("evaluations", r.evaluations().size());
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(best);
    }
}
