import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.PosteriorSummary;
import org.neuroinfer.learn.npe.SequentialNpe;
import org.neuroinfer.pipeline.SequentialInference;
import org.neuroinfer.pipeline.Simulation;
import org.neuroinfer.simulator.JansenRitEeg;

/**
 * Simulate, then infer: one EEG recording of the Jansen-Rit model at known parameters, then its posterior by
 * sequential neural posterior estimation from the benchmark's simulator.
 *
 * <pre>java -cp "neuroinfer-cli/target/neuroinfer-cli.jar:neuroinfer-cli/target/lib/*" examples/java/SimulateAndInfer.java OUT [SIMULATIONS [EPOCHS]]</pre>
 */
public final class SimulateAndInfer {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "simulate-and-infer");
        int simulations = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int threads = Runtime.getRuntime().availableProcessors();

        // 1. Simulate: the evoked EEG of one parameter set, at the benchmark's realistic noise (factor 1).
        Simulation.Result recorded = Simulation.run(Simulation.Spec.builder()
                .value("A_e", 0.0036).value("b_e", 90).value("C", 120)
                .recording(Simulation.Recording.EVOKED).eeg(Simulation.Eeg.atNoiseFactor(1))
                .seed(42).threads(threads).build(), n -> { });
        double[] eeg = recorded.data()[0];
        float[] x = new float[eeg.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) eeg[i];
        }
        System.out.println("simulated " + recorded.describe());

        // 2. Infer: the same measurement as a simulator, its prior the seed's; one round of NPE.
        JansenRitEeg simulator = JansenRitEeg.atNoiseFactor(GenerationConfig.of(Map.of("noise_factors",
                List.of(1.0))), 1, threads);
        NpeConfig estimator = NpeConfig.of(Map.of(
                "estimator", Map.of("kind", "mdn", "components", 3, "hidden", 32, "features", 16,
                        "embedding", Map.of("kind", "fcnn", "layers", List.of(64))),
                "input", Map.of("decimate", 20),
                "training", Map.of("epochs", epochs)));
        SequentialInference.Result posterior = SequentialInference.run(new SequentialInference.Spec(estimator,
                SequentialNpe.Settings.of(1, simulations, 0), 2000, out, true), simulator, x,
                new SequentialNpe.Listener() { });

        double[] truth = recorded.params()[0];
        List<String> all = List.of(simulator.parameters().names());
        PosteriorSummary s = posterior.summary();
        System.out.printf("%-6s %10s %10s %10s%n", "param", "truth", "mean", "sd");
        for (int j = 0; j < posterior.names().size(); j++) {
            String name = posterior.names().get(j);
            System.out.printf("%-6s %10.4g %10.4g %10.4g%n", name, truth[all.indexOf(name)], s.mean()[j], s.sd()[j]);
        }
    }
}
