import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.NpeTraining;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.npe.PosteriorSummary;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.pipeline.Generation;
import org.neuroinfer.pipeline.PosteriorEstimation;
import org.neuroinfer.pipeline.PosteriorTraining;

/**
 * Generate, train, estimate: a labelled EEG data set of the Jansen-Rit benchmark at one noise level, an amortised
 * posterior estimator trained on it, and the posteriors of a few of its recordings.
 *
 * <pre>java -cp "neuroinfer-cli/target/neuroinfer-cli.jar:neuroinfer-cli/target/lib/*" examples/java/GenerateTrainPosterior.java OUT [RECORDINGS [EPOCHS]]</pre>
 */
public final class GenerateTrainPosterior {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "generate-train-posterior");
        int recordings = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int threads = Runtime.getRuntime().availableProcessors();

        // 1. Generate: recordings at noise factor 1, parameters from the seed's prior (resumes if killed).
        GenerationConfig experiment = GenerationConfig.of(Map.of("noise_factors", List.of(1.0),
                "recordings_per_condition", recordings, "shard_size", 500, "seed", 3));
        Generation.Result data = Generation.run(new Generation.Spec(experiment, out.resolve("data"), false,
                threads), n -> { });
        System.out.printf("%d recordings in %s (%.1f s)%n", data.recordings(), data.out(), data.seconds());

        // 2. Train: a mixture-density posterior with a small embedding network (sbi's training defaults).
        NpeConfig estimator = NpeConfig.of(Map.of(
                "estimator", Map.of("kind", "mdn", "components", 3, "hidden", 32, "features", 16,
                        "embedding", Map.of("kind", "fcnn", "layers", List.of(64))),
                "input", Map.of("decimate", 20),
                "training", Map.of("epochs", epochs)));
        PosteriorTraining.Spec training = new PosteriorTraining.Spec(estimator, data.out(), out.resolve("model"),
                true);
        RecordingSet set = PosteriorTraining.load(training, n -> { });
        NpeTraining.Result trained = PosteriorTraining.run(training, set, new TrainingLoop.Listener() { });
        System.out.println(trained.stopReason() + "; " + trained.history().size() + " epochs");

        // 3. Estimate: posteriors of the first three recordings of the data set.
        DatasetReader.ShardData shard = new DatasetReader(data.out()).read(0);
        float[][][] x = java.util.Arrays.copyOf(shard.x(), 3);
        try (PosteriorModel model = trained.model()) {
            PosteriorEstimation.Result r = PosteriorEstimation.run(model, x,
                    new PosteriorEstimation.Spec(2000, 0.95, 0), n -> { });
            r.save(out.resolve("posterior"), true);
            List<String> all = List.of(experiment.parameterSpace().names());
            for (int i = 0; i < x.length; i++) {
                PosteriorSummary s = r.estimates().get(i).summary();
                StringBuilder line = new StringBuilder("recording " + i + ":");
                for (int j = 0; j < r.names().size(); j++) {
                    String name = r.names().get(j);
                    line.append(String.format(" %s %.3g ± %.2g (truth %.3g);", name, s.mean()[j], s.sd()[j],
                            shard.y()[i][all.indexOf(name)]));
                }
                System.out.println(line);
            }
        }
    }
}
