package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.StageStamp;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.NpeTraining;
import org.neuroinfer.learn.npe.PosteriorCard;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.npe.PosteriorSummary;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.learn.train.TrainingLoop;
import org.neuroinfer.network.fit.StudySettings;
import org.neuroinfer.observe.FunctionalConnectivity;
import org.neuroinfer.simulator.NetworkFc;

/**
 * The network-inference stage: amortised inference of network parameters from functional connectivity. Runs
 * with parameters drawn uniformly within the study's bounds ({@link NetworkFc}), a neural posterior estimator
 * trained on their FC upper triangles, and the posterior of the target's FC (mean over its subjects). Three parts
 * — simulations, estimator, posterior — each kept in the folder with the settings it was made from
 * ({@link StageStamp}): a run with the same settings reuses them, one with other settings is refused naming what
 * changed unless {@code force} replaces the parts it changes.
 */
public final class NetworkInference {
    private NetworkInference() {
    }

    /**
     * What to run.
     *
     * @param study   the study (bounds, simulations, npe settings, target)
     * @param out     the study's folder
     * @param force   replace parts made with other settings
     * @param samples posterior draws for the target
     * @param threads threads of the simulations (the result does not depend on them)
     */
    public record Spec(NetworkStudy study, Path out, boolean force, int samples, int threads) {
        public Spec {
            if (samples < 2) {
                throw new IllegalArgumentException("--samples must be >= 2, got " + samples);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
        }
    }

    /** What the stage tells as it goes. */
    public interface Listener {
        /** A part was reused from the folder ({@code what}: "simulations: 300", "estimator:"). */
        default void kept(String what, Path where) {
        }

        /** Simulations are about to run: progress is told each one finished. */
        default IntConsumer simulating(int n) {
            return k -> { };
        }

        /** The estimator's training. */
        default TrainingLoop.Listener training() {
            return new TrainingLoop.Listener() {
            };
        }
    }

    /**
     * The result.
     *
     * @param names       the inferred parameters
     * @param simulations simulations made or kept
     * @param simSeconds  wall time of the simulations (0 when kept)
     * @param training    the training, or null when the estimator was kept
     * @param draws       posterior draws for the target, or null without a target
     * @param summary     their summary (90 % intervals), or null
     */
    public record Result(List<String> names, int simulations, double simSeconds, NpeTraining.Result training,
                         double[][] draws, PosteriorSummary summary) {
    }

    /** The files of the folder. */
    public static final String SIMULATIONS = "simulations.npz";
    /** The estimator's folder. */
    public static final String MODEL = "model";
    /** The posterior summary. */
    public static final String POSTERIOR = "posterior.csv";
    /** The corner plot a caller may draw of the draws. */
    public static final String CORNER = "corner.png";

    /** Runs {@code spec}. */
    public static Result run(Spec spec, Listener listener) throws IOException {
        return run(spec, listener, null);
    }

    /**
     * Where the simulations run when not here: on {@code cluster} at {@code master}, each worker reading the study
     * {@code studyFile} and what it names from the copies shipped with the job.
     */
    public record OnCluster(Path studyFile, Cluster cluster, String master) {
    }

    /** Runs per part of the simulations on a cluster: eight lanes of eight runs. */
    static final int PART_RUNS = 64;

    /**
     * As {@link #run(Spec, Listener)}, the simulations made on a cluster when {@code onCluster} is given: part K of
     * N holds runs [64 K, 64 K + 64), written by its task to {@code simulations.part-K-of-N.npz} (kept if a task or
     * an earlier run already made it), gathered here into {@code simulations.npz} — the bytes of one machine, since
     * run k draws its parameters and noise from its own index — and removed. Training and the posterior run here.
     */
    public static Result run(Spec spec, Listener listener, OnCluster onCluster) throws IOException {
        return run(spec, listener, onCluster, PartFiles.in(spec.out()));
    }

    /**
     * As {@link #run(Spec, Listener, OnCluster)}, into the folder {@code out} on a file system the workers share
     * ({@code hdfs://}, {@code s3a://}, ...) rather than {@code spec.out()}: the parts leave their simulations
     * there (so a killed run keeps them), training and the posterior run here in a copy of the folder, put back at
     * the end with any file {@code alsoWrite} adds (a plot). The bytes of one machine.
     */
    public static Result run(Spec spec, RemoteFolder out, Listener listener, OnCluster onCluster, Finish alsoWrite)
            throws IOException {
        return RemoteMirror.inTemporaryFolder("neuroinfer-remote", dir -> {
            RemoteMirror copy = RemoteMirror.pull(out, dir);
            Result r = run(new Spec(spec.study(), dir, spec.force(), spec.samples(), spec.threads()), listener,
                    onCluster, PartFiles.in(out));
            alsoWrite.write(dir, r);
            copy.push();
            return r;
        });
    }

    /** What a command adds to the folder once the stage is done (a plot). */
    public interface Finish {
        void write(Path dir, Result result) throws IOException;
    }

    private static Result run(Spec spec, Listener listener, OnCluster onCluster, PartFiles parts) throws IOException {
        NetworkStudy study = spec.study();
        Map<String, double[]> bounds = study.config().bounds();
        Path out = spec.out();
        Files.createDirectories(out);
        Path sims = out.resolve(SIMULATIONS);
        Path modelDir = out.resolve(MODEL);
        Path posteriorCsv = out.resolve(POSTERIOR);
        Path corner = out.resolve(CORNER);
        List<String> names = new ArrayList<>(bounds.keySet());
        // every part keyed by everything it depends on, all claimed before any work
        Map<String, Object> simKey = new LinkedHashMap<>();
        simKey.put("network", StudySettings.network(study.base(), study.connectome()));
        simKey.put("bounds", bounds);
        simKey.put("simulations", study.config().simulations());
        simKey.put("seed", study.config().seed());
        StageStamp simStamp = StageStamp.claim(out, "simulations", StageStamp.tree(simKey), spec.force(),
                List.of(sims, modelDir, posteriorCsv, corner));
        Map<String, Object> estKey = new LinkedHashMap<>();
        estKey.put("simulations", simStamp.settings());
        estKey.put("npe", study.config().npe());
        StageStamp estStamp = StageStamp.claim(out, "estimator", StageStamp.tree(estKey), spec.force(),
                List.of(modelDir, posteriorCsv, corner));
        if (study.target() != null) {
            Map<String, Object> postKey = new LinkedHashMap<>();
            postKey.put("estimator", estStamp.settings());
            postKey.put("target_sha256", StudySettings.target(study.target()));
            postKey.put("samples", spec.samples());
            StageStamp.claim(out, "posterior", StageStamp.tree(postKey), spec.force(),
                    List.of(posteriorCsv, corner));
        }
        simStamp.checkOutput(sims);
        double[][] theta;
        float[][] feats;
        double simSeconds = 0;
        if (Files.exists(sims)) {
            Map<String, NpyArray> cached = Npy.loadArchive(sims);
            theta = cached.get("theta").rows();
            feats = floats(cached.get("features").rows());
            listener.kept("simulations: " + theta.length, sims);
        } else {
            long t0 = System.nanoTime();
            NetworkFc simulator = new NetworkFc(study.base(), study.connectome(), bounds, study.config().seed(),
                    spec.threads());
            int n = study.config().simulations();
            theta = simulator.drawPrior(n, 0);
            feats = onCluster == null ? simulator.simulate(theta, 0, listener.simulating(n))
                    : simulateOnCluster(parts, n, onCluster, simStamp.settingsSha256().substring(0, 16));
            simStamp.writeOutput(sims, new Npy.Archive().put("theta", NpyArray.of(theta))
                    .put("features", NpyArray.of(doubles(feats))).put("param_names", names.toArray(String[]::new))
                    .toBytes());
            simSeconds = (System.nanoTime() - t0) / 1e9;
        }
        int f = feats[0].length;
        float[] x = new float[feats.length * f];
        for (int i = 0; i < feats.length; i++) {
            System.arraycopy(feats[i], 0, x, i * f, f);
        }
        RecordingSet set = new RecordingSet(x, theta, new int[theta.length], new double[] {0}, 1, f, f, names,
                Collections.nCopies(names.size(), "1"), Checksums.sha256(Files.readAllBytes(sims)), 0);
        NpeConfig cfg = estimator(study);
        double[] lo = names.stream().mapToDouble(n -> bounds.get(n)[0]).toArray();
        double[] hi = names.stream().mapToDouble(n -> bounds.get(n)[1]).toArray();
        PosteriorModel trained;
        NpeTraining.Result training = null;
        if (Files.exists(modelDir.resolve(ModelCard.FILE))) {
            // the estimator part's settings are those it was trained with (checked above)
            trained = PosteriorModel.load(modelDir, TorchRuntime.device(cfg.training().device()));
            listener.kept("estimator:", modelDir);
        } else {
            training = NpeTraining.run(cfg, set, PosteriorCard.Support.box(lo, hi), modelDir, listener.training());
            trained = training.model();
        }
        try (PosteriorModel model = trained) {
            if (study.target() == null) {
                return new Result(names, theta.length, simSeconds, training, null, null);
            }
            int n = study.connectome().size();
            double[][] mean = new double[n][n];
            for (double[][] fc : study.target().fcs()) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        mean[i][j] += fc[i][j] / study.target().fcs().size();
                    }
                }
            }
            double[] u = FunctionalConnectivity.upperTriangle(mean);
            float[] obs = new float[u.length];
            for (int i = 0; i < u.length; i++) {
                obs[i] = (float) u[i];
            }
            PosteriorModel.Draws dr = model.sample(obs, 0, spec.samples(), study.config().seed(), 0);
            PosteriorSummary sum = PosteriorSummary.of(dr.theta(), model.logProb(obs, 0, dr.theta()), 0.9);
            StringBuilder csv = new StringBuilder("parameter,mean,sd,median,ci5,ci95,map\n");
            for (int j = 0; j < names.size(); j++) {
                csv.append(String.format(Locale.ROOT, "%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g%n", names.get(j),
                        sum.mean()[j], sum.sd()[j], sum.median()[j], sum.low()[j], sum.high()[j], sum.map()[j]));
            }
            byte[] b = csv.toString().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(posteriorCsv, true, st -> st.write(b));
            return new Result(names, theta.length, simSeconds, training, dr.theta(), sum);
        }
    }

    /** A part's file, named with the simulations' settings ({@code key}) so a part of other settings is not taken. */
    private static String partFile(int k, int parts, String key) {
        return "simulations.part-" + k + "-of-" + parts + "-" + key + ".npz";
    }

    private static float[][] simulateOnCluster(PartFiles files, int n, OnCluster c, String key) throws IOException {
        int parts = (n + PART_RUNS - 1) / PART_RUNS;
        String study = c.studyFile().toAbsolutePath().toString();
        List<Path> inputs = NetworkStudy.read(c.studyFile(), false).inputFiles(c.studyFile());
        c.cluster().runParts(c.master(), "neuroinfer network npe " + c.studyFile().getFileName(), parts, inputs,
                part -> {
            String file = partFile(part.index(), parts, key);
            if (files.read(file) != null) { // written whole (atomically) by an earlier attempt or run
                return;
            }
            NetworkStudy w = NetworkStudy.read(Path.of(study), false);
            NetworkFc sim = new NetworkFc(w.base(), w.connectome(), w.config().bounds(), w.config().seed(), 1);
            int from = part.index() * PART_RUNS;
            int to = Math.min(n, from + PART_RUNS);
            float[][] f = sim.simulate(sim.drawPrior(to - from, from), from);
            files.write(file, new Npy.Archive().put("features", NpyArray.of(doubles(f))).toBytes());
        });
        float[][] feats = new float[n][];
        for (int k = 0; k < parts; k++) {
            byte[] bytes = files.read(partFile(k, parts, key));
            if (bytes == null) {
                throw new IllegalStateException(partFile(k, parts, key) + " is missing after its part finished");
            }
            float[][] f = floats(Npy.loadArchive(bytes, partFile(k, parts, key)).get("features").rows());
            System.arraycopy(f, 0, feats, k * PART_RUNS, f.length);
        }
        for (int k = 0; k < parts; k++) {
            files.delete(partFile(k, parts, key));
        }
        return feats;
    }

    /** The study's estimator ({@code npe:}, sbi's defaults where it is silent), reading the FC triangle whole. */
    public static NpeConfig estimator(NetworkStudy study) {
        NpeConfig c = study.config().npe() == null ? new NpeConfig(null, null, null)
                : new com.fasterxml.jackson.databind.ObjectMapper().convertValue(study.config().npe(),
                NpeConfig.class);
        return new NpeConfig(c.estimator(), new TrainingConfig.Input(List.of(), null, 1), c.training());
    }

    private static float[][] floats(double[][] d) {
        float[][] f = new float[d.length][];
        for (int i = 0; i < d.length; i++) {
            f[i] = new float[d[i].length];
            for (int j = 0; j < d[i].length; j++) {
                f[i][j] = (float) d[i][j];
            }
        }
        return f;
    }

    private static double[][] doubles(float[][] f) {
        double[][] d = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            d[i] = new double[f[i].length];
            for (int j = 0; j < f[i].length; j++) {
                d[i][j] = f[i][j];
            }
        }
        return d;
    }
}
