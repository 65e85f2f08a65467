package org.neuroinfer.learn.npe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.simulator.Simulator;

/**
 * Multi-round neural posterior estimation for one observation x_o. Round 1 simulates from the prior; every later
 * round from a proposal the previous round's posterior q(θ | x_o) gives, in one of two ways ({@link Proposal}):
 * <ul>
 * <li>{@code truncated} (TSNPE; Deistler, Gonçalves &amp; Macke 2022): the prior restricted to the region where
 * q(θ | x_o) exceeds its ε-quantile (ε = 10⁻⁴ by default: the region holds all but 0.01 % of that posterior's
 * mass), drawn by rejection from the prior. The proposal is the prior up to a constant inside that region, so every
 * round is trained with the plain NPE loss on the simulations of all rounds so far.</li>
 * <li>{@code atomic} (APT, SNPE-C; Greenberg, Nonnenmacher &amp; Macke 2019; sbi's SNPE in sbibm): q(θ | x_o)
 * itself, within the prior's support, and rounds after the first trained on all simulations so far with APT's
 * atomic loss ({@link NpeTraining.Atomic}), which needs the prior's density ({@link Simulator#logPrior}).</li>
 * </ul>
 * The last round's estimator is the posterior for x_o (it is not amortised over other observations).
 *
 * <p>Round k keeps its parameter sets ({@code round-k/theta.npy}) and its estimator ({@code round-k/}, with
 * checkpoints): a killed run resumes, making the simulations again from their parameters and indices (they depend
 * on nothing else) and continuing the training where it stopped.
 */
public final class SequentialNpe {
    /** Index streams: round r simulates indices (2r + 1)·2⁴⁰ + k and draws prior proposals from (2r + 2)·2⁴⁰ + j. */
    private static final long STRIDE = 1L << 40;

    private SequentialNpe() {
    }

    /** How rounds after the first propose parameters. */
    public enum Proposal {
        /** The prior truncated to the previous posterior's highest-density region (TSNPE), plain NPE loss. */
        TRUNCATED,
        /** The previous posterior itself, APT's atomic loss. */
        ATOMIC;

        /** The name on the command line. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The proposal named {@code label} ({@code truncated} or {@code atomic}). */
        public static Proposal of(String label) {
            for (Proposal p : values()) {
                if (p.label().equals(label)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("proposal must be truncated or atomic, got '" + label + "'");
        }
    }

    /** Parameter sets APT scores each pair against (sbi's default). */
    public static final int ATOMS = 10;

    /**
     * Settings of a run.
     *
     * @param rounds        rounds (1 is plain NPE on prior simulations)
     * @param simulations   simulations per round
     * @param epsilon       posterior mass left outside the truncated region
     * @param supportDraws  posterior draws that estimate the region's threshold
     * @param maxProposals  prior draws per round beyond which the truncated prior is given up on
     * @param seed          seed of the posterior draws
     * @param proposal      how rounds after the first propose
     * @param continued     whether each round continues the last round's estimator (its weights and
     *                      standardisation, as sbi does) instead of training afresh
     */
    public record Settings(int rounds, int simulations, double epsilon, int supportDraws, long maxProposals,
                           long seed, Proposal proposal, boolean continued) {
        /** Truncated proposals, each round trained afresh. */
        public Settings(int rounds, int simulations, double epsilon, int supportDraws, long maxProposals, long seed) {
            this(rounds, simulations, epsilon, supportDraws, maxProposals, seed, Proposal.TRUNCATED, false);
        }

        public Settings {
            java.util.Objects.requireNonNull(proposal, "proposal");
            if (rounds < 1 || rounds > 100) {
                throw new IllegalArgumentException("rounds must be in [1, 100], got " + rounds);
            }
            if (simulations < 10) {
                throw new IllegalArgumentException("simulations per round must be >= 10, got " + simulations);
            }
            if (!(epsilon > 0 && epsilon < 0.5)) {
                throw new IllegalArgumentException("epsilon must be in (0, 0.5), got " + epsilon);
            }
            if (supportDraws < Math.ceil(1 / epsilon)) {
                throw new IllegalArgumentException("support draws (" + supportDraws + ") must be at least 1/epsilon ("
                        + (long) Math.ceil(1 / epsilon) + ") to estimate the epsilon-quantile");
            }
        }

        /** sbi's TSNPE defaults (ε = 10⁻⁴ from 10⁴ posterior draws) for {@code rounds} of {@code simulations}. */
        public static Settings of(int rounds, int simulations, long seed) {
            return new Settings(rounds, simulations, 1e-4, 10_000, 10_000_000L, seed);
        }

        /** These settings with proposals made {@code proposal}'s way. */
        public Settings with(Proposal proposal) {
            return new Settings(rounds, simulations, epsilon, supportDraws, maxProposals, seed, proposal, continued);
        }

        /** These settings with each round continuing the last one's estimator, or not. */
        public Settings continuing(boolean continued) {
            return new Settings(rounds, simulations, epsilon, supportDraws, maxProposals, seed, proposal, continued);
        }
    }

    /**
     * One round.
     *
     * @param round       1, 2, …
     * @param simulations simulations made in this round
     * @param trainedOn   simulations of all rounds so far
     * @param proposed    prior draws made to find them (equal to {@code simulations} in round 1 and when the
     *                    posterior proposes, where the prior is not drawn from)
     * @param threshold   log q(θ | x_o) of the previous round's posterior below which the prior was truncated for
     *                    this round (−∞ in round 1)
     * @param epochs      training epochs
     * @param seconds     wall time of simulating and training
     * @param mean        posterior mean of x_o after the round
     * @param sd          posterior sd of x_o after the round
     * @param from        where the round's parameters came from: {@code prior}, {@code truncated} or
     *                    {@code posterior}; {@code prior} also after a round whose estimate put almost no mass inside
     *                    the prior's support (fewer than 1 in 10³ draws: its mean and sd are NaN), as a
     *                    proposal from it could not be drawn
     */
    public record Round(int round, int simulations, int trainedOn, long proposed, double threshold, int epochs,
                        double seconds, double[] mean, double[] sd, String from) {
        /** The prior mass of the region simulated from (1 in round 1; NaN when the posterior proposed). */
        public double priorMass() {
            return from.equals("posterior") ? Double.NaN : simulations / (double) proposed;
        }
    }

    /** What a run tells as it goes. */
    public interface Listener {
        /** A round is about to simulate. */
        default void simulating(int round, int simulations) {
        }

        /** Training of a round. */
        default TrainingLoop.Listener training(int round) {
            return new TrainingLoop.Listener() {
            };
        }

        /** A round finished. */
        default void round(Round r) {
        }
    }

    /**
     * The rounds, and the last round's estimator.
     *
     * @param model  the posterior for x_o (the caller closes it)
     * @param rounds every round
     */
    public record Result(PosteriorModel model, List<Round> rounds) {
    }

    /**
     * Runs {@code settings.rounds()} rounds for the decimated observation {@code observation} into {@code out}:
     * parameters from {@code simulator}'s prior (truncated after round 1), observations from its simulations. The
     * folder keeps the identity of its run ({@value #RUN_FILE}: configuration, {@link Simulator#id()}, support,
     * observation and settings) and a folder of another run is refused rather than resumed.
     *
     * @param support the prior's support, in the order of the simulator's parameters
     * @throws IllegalStateException    when the truncated region holds too little prior mass to be sampled
     * @throws IllegalArgumentException if {@code out} holds rounds of another run
     */
    public static Result run(NpeConfig config, Simulator simulator, PosteriorCard.Support support,
                             float[] observation, Settings settings, Path out, Listener listener) throws IOException {
        String simulatorId = simulator.id();
        int decimate = config.input().decimate();
        Files.createDirectories(out);
        claim(out, identity(config, simulatorId, support, observation, settings));
        List<RecordingSet> sets = new ArrayList<>();
        List<Round> rounds = new ArrayList<>();
        PosteriorModel model = null;
        double threshold = Double.NEGATIVE_INFINITY;
        boolean lost = false; // the last round's estimate put almost no mass inside the prior's support
        try {
            for (int r = 1; r <= settings.rounds(); r++) {
                long t0 = System.nanoTime();
                Path dir = out.resolve(String.format(Locale.ROOT, "round-%d", r));
                Files.createDirectories(dir);
                Path thetaFile = dir.resolve("theta.npy");
                Path proposedFile = dir.resolve("proposed.txt");
                double[][] theta;
                long proposed;
                if (Files.exists(thetaFile) && Files.exists(proposedFile)) {
                    theta = Npy.load(thetaFile).rows();
                    proposed = Long.parseLong(Files.readString(proposedFile).trim());
                } else {
                    long[] count = {settings.simulations()};
                    // a round after an estimate with almost no mass in the prior's support proposes from the prior
                    theta = r == 1 || lost ? simulator.drawPrior(settings.simulations(), (2L * r) * STRIDE)
                            : settings.proposal() == Proposal.ATOMIC
                            ? model.sample(observation, 0, settings.simulations(), settings.seed(), (2L * r) * STRIDE)
                                    .theta()
                            : truncated(model, simulator, observation, threshold, settings, r, count);
                    proposed = count[0];
                    Npy.save(thetaFile, NpyArray.of(theta), true);
                    String p = Long.toString(proposed);
                    AtomicFiles.write(proposedFile, true, s -> s.write(p.getBytes(java.nio.charset.StandardCharsets
                            .UTF_8)));
                }
                listener.simulating(r, theta.length);
                long first = (2L * r - 1) * STRIDE;
                sets.add(RecordingSet.simulated(simulator, theta, simulator.simulate(theta, first), decimate,
                        "snpe-" + Long.toHexString(first)));
                RecordingSet all = concat(sets);
                PosteriorModel previous = model;
                model = null;
                int epochs;
                try {
                    if (Files.exists(dir.resolve(ModelCard.FILE))) {
                        model = PosteriorModel.load(dir, TorchRuntime.device(config.training().device()));
                        epochs = model.card().provenance() == null ? 0 : model.card().provenance().epochs();
                    } else {
                        NpeTraining.Atomic atomic = r == 1 || settings.proposal() == Proposal.TRUNCATED ? null
                                : new NpeTraining.Atomic(targetPrior(simulator, config), ATOMS, settings.seed() + r);
                        NpeTraining.Result tr = NpeTraining.run(config, all, support, dir, listener.training(r),
                                atomic, settings.continued() ? previous : null);
                        model = tr.model();
                        epochs = tr.history().size(); // including the epochs of an interrupted run
                    }
                } finally {
                    if (previous != null) {
                        previous.close();
                    }
                }
                Draws d = draws(model, observation, settings, r);
                Round round = new Round(r, theta.length, all.size(), proposed, lost ? Double.NEGATIVE_INFINITY
                        : threshold, epochs, (System.nanoTime() - t0) / 1e9, d.mean, d.sd, r == 1 || lost ? "prior"
                        : settings.proposal() == Proposal.ATOMIC ? "posterior" : "truncated");
                rounds.add(round);
                listener.round(round);
                threshold = d.threshold;
                lost = d.lost();
            }
        } catch (IOException | RuntimeException e) {
            if (model != null) {
                model.close();
            }
            throw e;
        }
        return new Result(model, rounds);
    }

    /**
     * log p of the estimator's targets at a full parameter row: the simulator's prior when every parameter is a
     * target, else the product of the targets' own priors (the marginal of a prior that is a product).
     */
    private static java.util.function.ToDoubleFunction<double[]> targetPrior(Simulator simulator, NpeConfig config) {
        List<String> targets = config.input().targets();
        var space = simulator.parameters();
        if (targets == null || targets.containsAll(List.of(space.names()))) {
            return simulator::logPrior;
        }
        int[] at = targets.stream().mapToInt(space::indexOf).toArray();
        return theta -> {
            double sum = 0;
            for (int j : at) {
                var p = space.get(j);
                sum += p.prior().logDensity(theta[j], p.lower(), p.upper());
            }
            return sum;
        };
    }

    /** The file in a run's folder that names the run. */
    public static final String RUN_FILE = "run.sha256";

    /** A hash of everything the rounds depend on. */
    private static String identity(NpeConfig config, String simulatorId, PosteriorCard.Support support,
                                   float[] observation, Settings settings) throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(observation.length * 4);
        for (float f : observation) {
            b.putFloat(f);
        }
        // the number of rounds is left out: a run may be extended by more rounds
        String text = json.writeValueAsString(config) + "\n" + simulatorId + "\n" + json.writeValueAsString(support)
                + "\n" + settings.simulations() + " " + settings.epsilon() + " " + settings.supportDraws() + " "
                + settings.maxProposals() + " " + settings.seed()
                + (settings.proposal() == Proposal.TRUNCATED ? "" : " " + settings.proposal().label())
                + (settings.continued() ? " continued" : "")
                + "\n" + org.neuroinfer.io.Checksums.sha256(b.array());
        return org.neuroinfer.io.Checksums.sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Marks {@code out} as the folder of run {@code id}, refusing one that holds another run's rounds. */
    private static void claim(Path out, String id) throws IOException {
        Path f = out.resolve(RUN_FILE);
        if (Files.exists(f)) {
            if (!Files.readString(f).trim().equals(id)) {
                throw new IllegalArgumentException(out + " holds the rounds of another run (another configuration, "
                        + "simulator, observation or settings); use another output folder or discard it");
            }
            return;
        }
        try (var entries = Files.list(out)) {
            if (entries.anyMatch(p -> p.getFileName().toString().startsWith("round-"))) {
                throw new IllegalArgumentException(out + " holds rounds of an unknown run; use another output "
                        + "folder or discard it");
            }
        }
        AtomicFiles.write(f, true, s -> s.write(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Removes the rounds and results of a run from {@code out}, for a fresh start. */
    public static void discard(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return;
        }
        try (var entries = Files.list(out)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith("round-")).toList()) {
                AtomicFiles.deleteTree(p);
            }
        }
        Files.deleteIfExists(out.resolve(RUN_FILE));
    }

    /** Posterior draws for x_o: their moments and the ε-quantile of their log density. */
    /** A round's posterior summary; {@code lost} (mean and sd NaN) when it could not be drawn within the support. */
    private record Draws(double[] mean, double[] sd, double threshold, boolean lost) {
    }

    private static Draws draws(PosteriorModel model, float[] observation, Settings s, int round) {
        double[][] th;
        try {
            th = model.sample(observation, 0, s.supportDraws(), s.seed(), round).theta();
        } catch (PosteriorModel.OutsideSupportException e) { // fewer than 1 in 10³ draws inside the support
            double[] nan = new double[model.dimension()];
            Arrays.fill(nan, Double.NaN);
            return new Draws(nan, nan.clone(), Double.NEGATIVE_INFINITY, true);
        }
        double[] lp = model.logProb(observation, 0, th);
        double[] sorted = lp.clone();
        Arrays.sort(sorted);
        PosteriorSummary summary = PosteriorSummary.of(th, lp, 0.95);
        return new Draws(summary.mean(), summary.sd(), PosteriorSummary.quantile(sorted, s.epsilon()), false);
    }

    /** {@code settings.simulations()} prior draws with log q(θ | x_o) ≥ {@code threshold}, by rejection. */
    private static double[][] truncated(PosteriorModel model, Simulator prior, float[] observation, double threshold,
                                        Settings s, int round, long[] proposed) {
        List<double[]> kept = new ArrayList<>();
        long first = (2L * round) * STRIDE;
        int batch = Math.max(1000, s.simulations());
        while (kept.size() < s.simulations()) {
            if (proposed[0] >= s.maxProposals()) {
                throw new IllegalStateException(String.format(Locale.ROOT, "round %d: only %d of %d prior draws fell "
                        + "in the region where the round-%d posterior exceeds its %.0e-quantile (prior mass %.2e); "
                        + "the truncated prior is too small to sample by rejection; use fewer rounds, or more "
                        + "simulations in the first", round, kept.size(), proposed[0], round - 1, s.epsilon(),
                        kept.size() / (double) proposed[0]));
            }
            double[][] cand = prior.drawPrior(batch, first + proposed[0]);
            double[] lp = model.logProb(observation, 0, cand);
            for (int i = 0; i < cand.length && kept.size() < s.simulations(); i++) {
                proposed[0]++; // counted up to the draw that completes the set, for the region's prior mass
                if (lp[i] >= threshold) {
                    kept.add(cand[i]);
                }
            }
        }
        return kept.toArray(new double[0][]);
    }

    /** The rows of several sets of the same layout, in order. */
    static RecordingSet concat(List<RecordingSet> sets) {
        RecordingSet a = sets.get(0);
        if (sets.size() == 1) {
            return a;
        }
        int n = sets.stream().mapToInt(RecordingSet::size).sum();
        int len = a.rowLength();
        float[] x = new float[n * len];
        double[][] y = new double[n][];
        int[] cond = new int[n];
        int at = 0;
        int dropped = 0;
        for (RecordingSet s : sets) {
            System.arraycopy(s.x(), 0, x, at * len, s.size() * len);
            System.arraycopy(s.y(), 0, y, at, s.size());
            System.arraycopy(s.condition(), 0, cond, at, s.size());
            at += s.size();
            dropped += s.dropped();
        }
        return new RecordingSet(x, y, cond, a.noiseFactors(), a.channels(), a.times(), a.rawTimes(), a.paramNames(),
                a.paramUnits(), a.datasetSha256() + "+" + n, dropped, a.layout());
    }
}
