package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.learn.npe.PosteriorModel;
import org.neuroinfer.learn.npe.PosteriorSummary;

/**
 * The posterior-estimation stage: draws from a trained posterior q(θ | x) for each of a batch of recordings,
 * summarised per parameter (mean, sd, median, central interval, MAP), with each recording's distance from the
 * training data in the estimator's embedding (a recording beyond the 99.9 % validation threshold is flagged: its
 * posterior is an extrapolation). Recording i draws from stream (seed, i): the same values alone or in a batch.
 */
public final class PosteriorEstimation {
    private PosteriorEstimation() {
    }

    /**
     * What to estimate.
     *
     * @param samples draws per recording (≥ 2)
     * @param level   central interval's mass, in (0, 1)
     * @param seed    seed of the draws
     */
    public record Spec(int samples, double level, long seed) {
        public Spec {
            if (samples < 2) {
                throw new IllegalArgumentException("--samples must be >= 2, got " + samples);
            }
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("--level must be in (0, 1), got " + level);
            }
        }

        /** 10 000 draws, 95 % intervals, seed 0. */
        public static Spec defaults() {
            return new Spec(10_000, 0.95, 0);
        }
    }

    /**
     * One recording's posterior.
     *
     * @param draws      [samples][P] in the targets' order and units
     * @param summary    their summary
     * @param acceptance fraction of the estimator's draws inside the prior's support
     * @param distance   Mahalanobis distance of the recording's embedding from the training data
     * @param unusual    whether that distance exceeds the 99.9 % validation threshold
     */
    public record Estimate(double[][] draws, PosteriorSummary summary, double acceptance, double distance,
                           boolean unusual) {
    }

    /**
     * The posteriors of a batch.
     *
     * @param names     the targets
     * @param units     their units
     * @param estimates one per recording
     */
    public record Result(Spec spec, List<String> names, List<String> units, List<Estimate> estimates) {
        /** Indices of the recordings farther from the training data than the threshold. */
        public List<Integer> unusual() {
            List<Integer> u = new ArrayList<>();
            for (int i = 0; i < estimates.size(); i++) {
                if (estimates.get(i).unusual()) {
                    u.add(i);
                }
            }
            return u;
        }

        /**
         * Writes {@code samples.npy} [recordings × samples × P] and {@code summary.csv} (one row per recording and
         * parameter) into {@code out}, atomically; existing files are replaced only with {@code force}.
         */
        public void save(Path out, boolean force) throws IOException {
            AtomicFiles.checkWritable(out.resolve("samples.npy"), force);
            AtomicFiles.checkWritable(out.resolve("summary.csv"), force);
            Files.createDirectories(out);
            int n = estimates.size();
            int d = names.size();
            int s = spec.samples();
            double[] all = new double[Math.multiplyExact(Math.multiplyExact(n, s), d)];
            StringBuilder csv = new StringBuilder("recording,parameter,unit,mean,sd,median,ci_low,ci_high,map,"
                    + "acceptance,distance\n");
            for (int i = 0; i < n; i++) {
                Estimate e = estimates.get(i);
                for (int k = 0; k < s; k++) {
                    System.arraycopy(e.draws()[k], 0, all, (i * s + k) * d, d);
                }
                PosteriorSummary m = e.summary();
                for (int j = 0; j < d; j++) {
                    csv.append(String.format(Locale.ROOT, "%d,%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.4f,%.3f%n", i,
                            names.get(j), units.get(j), m.mean()[j], m.sd()[j], m.median()[j], m.low()[j],
                            m.high()[j], m.map()[j], e.acceptance(), e.distance()));
                }
            }
            Npy.save(out.resolve("samples.npy"), new NpyArray(new int[] {n, s, d}, all), force);
            byte[] b = csv.toString().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(out.resolve("summary.csv"), force, w -> w.write(b));
        }
    }

    /**
     * Estimates the posteriors of the recordings {@code recordings} [n][channels][samples] as measured (decimated
     * here as the estimator reads them).
     */
    public static Result run(PosteriorModel model, float[][][] recordings, Spec spec, IntConsumer progress) {
        float[] x = model.card().input().decimated(recordings, 0, recordings.length, "the estimator reads");
        return run(model, x, spec, progress);
    }

    /**
     * Estimates the posteriors of {@code n} recordings held back to back in {@code x} (each
     * {@link PosteriorModel#rowLength()} floats, decimated as the estimator reads them), telling {@code progress}
     * each recording finished.
     */
    public static Result run(PosteriorModel model, float[] x, Spec spec, IntConsumer progress) {
        int len = model.rowLength();
        if (x.length % len != 0) {
            throw new IllegalArgumentException("recordings: " + x.length + " values are not a whole number of "
                    + "recordings of " + len);
        }
        int n = x.length / len;
        double threshold = model.card().embedding().threshold();
        List<Estimate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PosteriorModel.Draws dr = model.sample(x, i * len, spec.samples(), spec.seed(), i);
            double[] lp = model.logProb(x, i * len, dr.theta());
            double dist = model.distance(x, i * len);
            out.add(new Estimate(dr.theta(), PosteriorSummary.of(dr.theta(), lp, spec.level()), dr.acceptance(),
                    dist, dist > threshold));
            progress.accept(1);
        }
        return new Result(spec, model.card().targets().names(), model.card().targets().units(), out);
    }
}
