package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.neuroinfer.learn.bench.Benchmark;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.NpeTraining;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.npe.SequentialNpe;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.simulator.sbibm.SbibmTask;

/**
 * One sbibm run (Lueckmann et al. 2021): a posterior estimator trained on a budget of simulations of a task —
 * amortised NPE on prior simulations, or sequential NPE over several rounds of the budget's share — then
 * posterior samples for one observation, to be scored by C2ST against the task's reference posterior.
 */
public final class SbibmRun {
    /** The smallest budget sbibm's tables start from, and below which a run is refused. */
    public static final int MIN_SIMULATIONS = 100;

    private SbibmRun() {
    }

    /**
     * What to run.
     *
     * @param config      the estimator and its training
     * @param simulations the budget (≥ 100)
     * @param rounds      1 for amortised NPE, more for sequential NPE with the budget split evenly
     * @param samples     posterior samples drawn for the observation
     * @param seed        seed of simulations, training and draws
     * @param work        the folder the estimator (or the rounds) are kept in; a killed run resumes there
     * @param proposal    how sequential rounds after the first propose
     * @param warmStart   whether each sequential round continues the last round's estimator
     */
    public record Spec(NpeConfig config, int simulations, int rounds, int samples, long seed, Path work,
                       SequentialNpe.Proposal proposal, boolean warmStart) {
        /** Sequential rounds as sbi's SNPE runs them: atomic proposals, each round warm-started. */
        public Spec(NpeConfig config, int simulations, int rounds, int samples, long seed, Path work) {
            this(config, simulations, rounds, samples, seed, work, SequentialNpe.Proposal.ATOMIC, true);
        }

        public Spec {
            if (simulations < MIN_SIMULATIONS) {
                throw new IllegalArgumentException("--simulations must be >= " + MIN_SIMULATIONS + ", got "
                        + simulations);
            }
            if (rounds < 1 || simulations / rounds < 10) {
                throw new IllegalArgumentException("--rounds must be >= 1 and leave >= 10 simulations per round, got "
                        + rounds);
            }
            if (samples < 2) {
                throw new IllegalArgumentException("--samples must be >= 2, got " + samples);
            }
        }
    }

    /**
     * The samples.
     *
     * @param names   the task's parameters
     * @param samples posterior samples [samples][dim θ]
     * @param seconds wall time of simulation, training and sampling
     */
    public record Result(List<String> names, double[][] samples, double seconds) {
    }

    /** Runs {@code spec} on {@code task} for {@code observation} (the task's data dimension). */
    public static Result run(SbibmTask task, float[] observation, Spec spec, TrainingLoop.Listener listener)
            throws IOException {
        return run(task, observation, spec, listener, k -> { });
    }

    /** As above, telling {@code rounds} each finished round of sequential NPE. */
    public static Result run(SbibmTask task, float[] observation, Spec spec, TrainingLoop.Listener listener,
                             java.util.function.Consumer<SequentialNpe.Round> rounds) throws IOException {
        long t0 = System.nanoTime();
        List<String> names = List.of(task.parameters().names());
        if (spec.rounds() > 1) { // the sequential stage checks the observation itself
            SequentialInference.Result r = SequentialInference.run(new SequentialInference.Spec(spec.config(),
                    SequentialNpe.Settings.of(spec.rounds(), spec.simulations() / spec.rounds(), spec.seed())
                            .with(spec.proposal()).continuing(spec.warmStart()),
                    spec.samples(), spec.work(), false), task, observation,
                    new SequentialNpe.Listener() {
                        @Override
                        public TrainingLoop.Listener training(int round) {
                            return listener;
                        }

                        @Override
                        public void round(SequentialNpe.Round k) {
                            rounds.accept(k);
                        }
                    });
            return new Result(names, r.draws(), (System.nanoTime() - t0) / 1e9);
        }
        SequentialInference.check(task, observation);
        double[][] theta = task.drawPrior(spec.simulations(), 0);
        RecordingSet set = RecordingSet.simulated(task, theta, task.simulate(theta, 0), 1, task.id() + ":n="
                + spec.simulations());
        NpeTraining.Result tr = NpeTraining.run(spec.config(), set, Benchmark.support(task.parameters(), names),
                spec.work(), listener);
        try (PosteriorModel model = tr.model()) {
            double[][] draws = model.sample(observation, 0, spec.samples(), spec.seed(), 0).theta();
            return new Result(names, draws, (System.nanoTime() - t0) / 1e9);
        }
    }

}
