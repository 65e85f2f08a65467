package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.cli.plot.Corner;
import org.neuroinfer.io.YamlFiles;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.PosteriorSummary;
import org.neuroinfer.learn.npe.SequentialNpe;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.pipeline.SequentialInference;
import org.neuroinfer.simulator.JansenRitEeg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Multi-round posterior estimation for one recording, simulating as it goes. */
@Command(name = "snpe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Multi-round neural posterior estimation for one recording (TSNPE: Deistler et al. 2022). "
                + "Round 1 simulates from the prior of the experiment file; each later round simulates from the "
                + "prior truncated to where the previous posterior of the recording exceeds its 1e-4 quantile, "
                + "and trains the estimator of CONFIG on all simulations so far.",
                "",
                "Writes OUT/round-<k>/ (its parameter sets and estimator; a killed run resumes), OUT/rounds.csv "
                + "(per round: simulations, the prior mass simulated from, posterior mean and sd), and for the "
                + "last round's posterior OUT/samples.npy, OUT/summary.csv and OUT/corner.png. The last estimator "
                + "(OUT/round-<R>/) works with posterior for this recording; it is not amortised over others."})
final class SnpeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Posterior-estimation file (estimator:, input:, "
            + "training:), as for train.")
    Path config;

    @Option(names = "--simulator", required = true, paramLabel = "FILE",
            description = "Experiment file of generate: the model, prior, montage and noise to simulate.")
    Path simulator;

    @Option(names = "--noise", paramLabel = "F",
            description = "Noise factor to simulate (default: the experiment file's, if it has one).")
    Double noise;

    @picocli.CommandLine.Mixin
    RecordingFiles recording = new RecordingFiles();

    @Option(names = "--index", paramLabel = "I", defaultValue = "0",
            description = "Which recording of --input (default: ${DEFAULT-VALUE}).")
    int index;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3", description = "Rounds (default: "
            + "${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--simulations", paramLabel = "N", defaultValue = "1000",
            description = "Simulations per round (default: ${DEFAULT-VALUE}).")
    int simulations;

    @Option(names = "--proposal", defaultValue = "truncated", paramLabel = "truncated|atomic",
            description = "How rounds after the first propose: truncated (the prior truncated to the last "
                    + "posterior's region, plain NPE loss; default) or atomic (the last posterior itself, APT's atomic "
                    + "loss).")
    String proposal;

    @Option(names = "--warm-start", description = "Each round continues the last round's estimator (its weights and "
            + "standardisation, as sbi does) instead of training afresh.")
    boolean warmStart;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10000",
            description = "Posterior draws written for the recording (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the posterior draws.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--force", description = "Discard the rounds of another run in the output folder.")
    boolean force;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        NpeConfig c = YamlFiles.read(config, NpeConfig.class);
        GenerationConfig g = GenerationConfig.read(simulator);
        double factor = noiseFactor(g);
        SequentialInference.Spec s = new SequentialInference.Spec(c, SequentialNpe.Settings.of(rounds, simulations,
                seed).with(SequentialNpe.Proposal.of(proposal)).continuing(warmStart), samples, out, force);
        TorchRuntime.threads(threads.forEngine());
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JansenRitEeg sim = JansenRitEeg.atNoiseFactor(g, factor, threads.get());
        int channels = sim.shape()[0];
        float[] observation = observation(channels, sim.shape()[1], sim.layout());
        o.printf(Locale.ROOT, "%d rounds x %d simulations at noise factor %s for recording %d of %s (%d channels)%n",
                rounds, simulations, factor, index, recording.input, channels);
        o.flush();
        SequentialInference.Result r;
        try (TrainCommand.EpochPrinter printer = new TrainCommand.EpochPrinter(o, err, c.training().epochs())) {
            r = SequentialInference.run(s, sim, observation, new SequentialNpe.Listener() {
                @Override
                public void simulating(int round, int n) {
                    o.printf(Locale.ROOT, "round %d: simulating %d recordings%n", round, n);
                    o.flush();
                }

                @Override
                public org.neuroinfer.learn.train.TrainingLoop.Listener training(int round) {
                    return printer;
                }

                @Override
                public void round(SequentialNpe.Round k) {
                    o.println(describe(k));
                    o.flush();
                }
            });
        }
        PosteriorSummary m = r.summary();
        o.printf(Locale.ROOT, "  %-8s %12s %12s %25s%n", "param", "mean", "sd", "95 % interval");
        for (int j = 0; j < r.names().size(); j++) {
            o.printf(Locale.ROOT, "  %-8s %12.5g %12.5g   [%10.5g, %10.5g] %s%n", r.names().get(j), m.mean()[j],
                    m.sd()[j], m.low()[j], m.high()[j], r.units().get(j));
        }
        double[][] truth = recording.truth(r.names());
        Corner.save(out.resolve("corner.png"), r.draws(), r.names(), r.units(), truth == null ? null : truth[index],
                true);
        o.println("wrote " + out + " (rounds.csv, samples.npy, summary.csv, corner.png, round-*/)");
        o.flush();
        return 0;
    }

    private double noiseFactor(GenerationConfig g) {
        if (noise != null) {
            if (!(noise >= 0)) {
                throw new IllegalArgumentException("--noise must be >= 0, got " + noise);
            }
            return noise;
        }
        if (g.snrDb() != null || g.noiseFactors() == null || g.noiseFactors().size() != 1) {
            throw new IllegalArgumentException("--simulator: " + simulator + " has " + (g.noiseFactors() == null
                    ? "no" : g.noiseFactors().size()) + " noise factors; name the one to simulate with --noise");
        }
        return g.noiseFactors().get(0);
    }

    /** The recording to infer, as the simulator makes it. */
    private float[] observation(int channels, int times, org.neuroinfer.recording.RecordingLayout layout)
            throws IOException {
        ModelCard.InputSpec in = new ModelCard.InputSpec(channels, times, 1, layout.channelNames(), null, null,
                layout.sampleRate(), layout.start(), layout.unit());
        float[][][] rec = recording.read(in);
        if (index < 0 || index >= rec.length) {
            throw new IllegalArgumentException("--index: " + recording.input + " holds " + rec.length
                    + " recordings, got " + index);
        }
        return in.decimated(rec, index, index + 1, "the simulator makes");
    }

    /** One finished round, as {@code snpe} and {@code sbibm run --rounds} print it. */
    static String describe(SequentialNpe.Round k) {
        if (k.from().equals("posterior")) {
            return String.format(Locale.ROOT, "round %d: %d simulations from the round-%d posterior, %d epochs, "
                    + "%.1f s", k.round(), k.simulations(), k.round() - 1, k.epochs(), k.seconds());
        }
        return String.format(Locale.ROOT, "round %d: %d simulations from %.3g of the prior's mass (%d prior draws), %d "
                + "epochs, %.1f s", k.round(), k.simulations(), k.priorMass(), k.proposed(), k.epochs(), k.seconds());
    }
}
