package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.bench.Benchmark;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.npe.PosteriorSummary;
import org.neuroinfer.learn.npe.SequentialNpe;
import org.neuroinfer.simulator.Simulator;

/**
 * The sequential posterior-estimation stage: multi-round NPE with truncated proposals (TSNPE) for one observation,
 * from any {@link Simulator}, then draws from the last round's posterior. Writes into its folder the rounds
 * ({@code round-k/}, resumable), {@code rounds.csv}, {@code samples.npy} [samples × P] and {@code summary.csv}.
 */
public final class SequentialInference {
    private SequentialInference() {
    }

    /**
     * What to run.
     *
     * @param config      the estimator and its training
     * @param settings    rounds, simulations per round, truncation
     * @param samples     posterior draws kept at the end (≥ 2)
     * @param out         the run's folder
     * @param force       discard the rounds of an earlier run in {@code out} instead of resuming it
     */
    public record Spec(NpeConfig config, SequentialNpe.Settings settings, int samples, Path out, boolean force) {
        public Spec {
            if (samples < 2) {
                throw new IllegalArgumentException("--samples must be >= 2, got " + samples);
            }
        }
    }

    /**
     * The result.
     *
     * @param rounds  every round
     * @param names   the parameters
     * @param units   their units
     * @param draws   posterior draws [samples][P]
     * @param summary their summary (95 % intervals)
     */
    public record Result(List<SequentialNpe.Round> rounds, List<String> names, List<String> units, double[][] draws,
                         PosteriorSummary summary) {
    }

    /**
     * Runs {@code spec} for the observation {@code recorded}, of {@link Simulator#length()} floats as
     * {@code simulator} makes them (decimated here as the estimator's input says).
     */
    public static Result run(Spec spec, Simulator simulator, float[] recorded, SequentialNpe.Listener listener)
            throws IOException {
        check(simulator, recorded);
        float[] observation = RecordingSet.simulated(simulator, new double[1][simulator.parameters().size()],
                new float[][] {recorded}, spec.config().input().decimate(), "observation").x();
        if (spec.force()) {
            SequentialNpe.discard(spec.out());
        }
        List<String> names = List.of(simulator.parameters().names());
        List<String> allUnits = simulator.parameters().parameters().stream().map(p -> p.unit()).toList();
        SequentialNpe.Result r = SequentialNpe.run(spec.config(), simulator,
                Benchmark.support(simulator.parameters(), names), observation, spec.settings(), spec.out(), listener);
        try (PosteriorModel model = r.model()) {
            List<String> targets = model.card().targets().names();
            List<String> units = targets.stream().map(t -> allUnits.get(names.indexOf(t))).toList();
            long seed = spec.settings().seed();
            PosteriorModel.Draws d = model.sample(observation, 0, spec.samples(), seed, 0);
            double[] lp = model.logProb(observation, 0, d.theta());
            Result result = new Result(r.rounds(), targets, units, d.theta(), PosteriorSummary.of(d.theta(), lp,
                    0.95));
            write(spec.out(), result);
            return result;
        }
    }

    /** Refuses an observation that is not of {@code simulator}'s length or holds NaN or Inf. */
    static void check(Simulator simulator, float[] recorded) {
        if (recorded.length != simulator.length()) {
            throw new IllegalArgumentException("the observation has " + recorded.length + " values; the simulator "
                    + "makes " + java.util.Arrays.toString(simulator.shape()) + " = " + simulator.length());
        }
        for (float v : recorded) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("the observation holds " + v);
            }
        }
    }

    private static void write(Path out, Result r) throws IOException {
        Files.createDirectories(out);
        List<String> targets = r.names();
        StringBuilder rounds = new StringBuilder("round,simulations,trained_on,proposed,prior_mass,threshold,epochs,"
                + "seconds,from");
        for (String t : targets) {
            rounds.append(',').append(t).append("_mean,").append(t).append("_sd");
        }
        rounds.append('\n');
        for (SequentialNpe.Round k : r.rounds()) {
            rounds.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%.6g,%.6g,%d,%.2f,%s", k.round(), k.simulations(),
                    k.trainedOn(), k.proposed(), k.priorMass(), k.threshold(), k.epochs(), k.seconds(), k.from()));
            for (int j = 0; j < targets.size(); j++) {
                rounds.append(String.format(Locale.ROOT, ",%.6g,%.6g", k.mean()[j], k.sd()[j]));
            }
            rounds.append('\n');
        }
        byte[] b = rounds.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve("rounds.csv"), true, w -> w.write(b));
        PosteriorSummary s = r.summary();
        StringBuilder csv = new StringBuilder("parameter,unit,mean,sd,median,ci_low,ci_high,map\n");
        for (int j = 0; j < targets.size(); j++) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g%n", targets.get(j),
                    r.units().get(j), s.mean()[j], s.sd()[j], s.median()[j], s.low()[j], s.high()[j], s.map()[j]));
        }
        Npy.save(out.resolve("samples.npy"), NpyArray.of(r.draws()), true);
        byte[] c = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve("summary.csv"), true, w -> w.write(c));
    }
}
