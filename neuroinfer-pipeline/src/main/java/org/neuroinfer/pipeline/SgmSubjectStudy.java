package org.neuroinfer.pipeline;

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
import java.util.function.Consumer;
import org.neuroinfer.dataset.SpectraConfig;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Csv;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.model.sgm.SgmConnectome;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.model.sgm.SgmSubjectFit;
import org.neuroinfer.model.sgm.SgmVariant;
import org.neuroinfer.model.sgm.SpectralGraphModel;
import org.neuroinfer.numeric.Correlation;

/**
 * The per-subject SGM stages of Spectrome-AI (Raj et al. 2020; Verma et al. 2022): the parameters of one subject's
 * regional MEG spectrum from a trained network, in milliseconds, with the spectrum fed as the network's training
 * set held it; the re-simulation at those parameters and its per-region agreement with the input; and the
 * classical baseline, a CMA-ES fit of the SGM to the spectrum.
 */
public final class SgmSubjectStudy {
    private SgmSubjectStudy() {
    }

    /**
     * A network's estimate.
     *
     * @param estimate    parameters by name, in the network's order
     * @param units       their units
     * @param inferenceMs median time of one prediction (of 20, one thread), ms
     * @param compared    the input as the re-simulation is compared with it: dB, smoothed when the training set was
     * @param notes       what was done to the input, in words
     * @param outsidePrior the estimates outside the training prior, in words (the spectrum is probably unlike the
     *                    training spectra)
     */
    public record Estimate(Map<String, Double> estimate, Map<String, String> units, double inferenceMs,
                           double[][] compared, List<String> notes, List<String> outsidePrior) {
        /** Writes {@code params.json} into {@code out}. */
        public void save(Path out, boolean force) throws IOException {
            Files.createDirectories(out);
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Map.of("params", estimate, "units", units, "inference_ms", inferenceMs));
            AtomicFiles.write(out.resolve("params.json"), force,
                    s -> s.write((json + "\n").getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Estimates the parameters of the spectrum {@code db} [regions][frequencies] (dB) with {@code model}.
     *
     * @param trained the configuration of the network's training set, or null when unknown (the input is then fed
     *                as dB, unsmoothed, and no prior check is made)
     */
    public static Estimate infer(InverseModel model, double[][] db, SpectraConfig trained) {
        var in = model.card().input();
        List<String> notes = new ArrayList<>();
        double[][] fed = db;
        double[][] compared = db;
        if (trained != null && (trained.smooth() || trained.output().equals("magnitude"))) {
            double[][] mag = new double[db.length][db[0].length];
            for (int r = 0; r < db.length; r++) {
                for (int f = 0; f < db[r].length; f++) {
                    mag[r][f] = Math.pow(10, db[r][f] / 20);
                }
            }
            if (trained.smooth()) {
                mag = SpectralGraphModel.smooth(mag);
                notes.add("the training spectra were smoothed ([1, 2, 5, 2, 1] / 11); so is the input");
            }
            compared = SpectralGraphModel.decibels(mag);
            fed = trained.output().equals("magnitude") ? mag : compared;
        }
        float[][][] x = new float[1][in.channels()][in.rawTimes()];
        for (int r = 0; r < fed.length; r++) {
            for (int f = 0; f < fed[r].length; f++) {
                x[0][r][f] = (float) fed[r][f];
            }
        }
        model.predict(x); // warm-up
        double[] times = new double[20];
        double[] y = null;
        for (int k = 0; k < times.length; k++) {
            long t0 = System.nanoTime();
            y = model.predict(x)[0];
            times[k] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(times);
        var t = model.card().targets();
        Map<String, Double> estimate = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (int j = 0; j < y.length; j++) {
            estimate.put(t.names().get(j), y[j]);
            units.put(t.names().get(j), t.units().get(j));
        }
        List<String> outside = trained == null ? List.of() : outsidePrior(estimate, trained);
        return new Estimate(estimate, units, times[times.length / 2], compared, notes, outside);
    }

    /** The estimates outside {@code trained}'s prior ranges, in words ("speed = 31.0000 is outside ..."). */
    public static List<String> outsidePrior(Map<String, Double> estimate, SpectraConfig trained) {
        List<String> outside = new ArrayList<>();
        for (var e : estimate.entrySet()) {
            List<Double> range = trained.parameters().get(e.getKey());
            if (range != null && range.size() == 2 && (e.getValue() < range.get(0) || e.getValue() > range.get(1))) {
                outside.add(String.format(Locale.ROOT, "%s = %.6g is outside the training prior [%s, %s]",
                        e.getKey(), e.getValue(), range.get(0), range.get(1)));
            }
        }
        return outside;
    }

    /**
     * A re-simulation.
     *
     * @param frequencies the frequencies, Hz
     * @param simulated   the re-simulated spectrum [regions][frequencies], dB
     * @param regionR     per region, Pearson r of the input and re-simulated dB spectra
     * @param notes       parameters not estimated and where they were held, in words
     */
    public record Resimulation(double[] frequencies, double[][] simulated, double[] regionR, List<String> notes) {
        /** Mean, median and minimum of the per-region r. */
        public double[] summary() {
            double[] sorted = regionR.clone();
            Arrays.sort(sorted);
            return new double[] {Arrays.stream(regionR).average().orElse(Double.NaN), sorted[sorted.length / 2],
                sorted[0]};
        }
    }

    /**
     * Re-runs the SGM of {@code c} at {@code estimate} (parameters it does not name at their fixed value, or the
     * middle of their range) and compares it with {@code db}.
     */
    public static Resimulation resimulate(double[][] db, Map<String, Double> estimate, SpectraConfig c)
            throws IOException {
        SpectralGraphModel m = model(c);
        if (m.regions() != db.length || m.frequencies().length != db[0].length) {
            throw new IllegalArgumentException("the re-simulation model gives " + m.regions() + " x "
                    + m.frequencies().length + " but the spectrum is " + db.length + " x " + db[0].length);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (String name : SgmParameters.NAMES) {
            List<Double> range = c.parameters().get(name);
            if (estimate.containsKey(name)) {
                values.put(name, estimate.get(name));
            } else {
                double v = range.size() == 1 ? range.get(0) : 0.5 * (range.get(0) + range.get(1));
                if (range.size() == 2) {
                    notes.add(String.format(Locale.ROOT, "%s is not estimated; re-simulating at the middle of its "
                            + "range, %.6g", name, v));
                }
                values.put(name, v);
            }
        }
        double[][] mag = m.magnitude(SgmParameters.of(values));
        double[][] sim = SpectralGraphModel.decibels(c.smooth() ? SpectralGraphModel.smooth(mag) : mag);
        double[] r = new double[db.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Correlation.pearson(db[i], sim[i]);
        }
        return new Resimulation(m.frequencies(), sim, r, notes);
    }

    /** The SGM of a training set's configuration. */
    public static SpectralGraphModel model(SpectraConfig c) throws IOException {
        return new SpectralGraphModel(SgmConnectome.read(Path.of(c.connectome())), c.frequencies(),
                SgmVariant.of(c.variant()));
    }

    /**
     * A fit's settings.
     *
     * @param cost        mse (mean squared dB difference) or correlation (1 − mean per-region r)
     * @param evaluations SGM evaluations
     * @param seed        CMA-ES seed
     * @param threads     threads of each evaluation
     */
    public record FitSpec(String cost, int evaluations, long seed, int threads) {
        public FitSpec {
            if (!cost.equals("mse") && !cost.equals("correlation")) {
                throw new IllegalArgumentException("--cost " + cost + "; valid: mse, correlation");
            }
            if (evaluations < 1) {
                throw new IllegalArgumentException("--evaluations must be >= 1, got " + evaluations);
            }
        }
    }

    /**
     * A fit.
     *
     * @param bounds  the searched parameters and their ranges
     * @param result  every evaluation and the best
     * @param seconds wall time
     */
    public record Fit(FitSpec spec, Map<String, double[]> bounds, SgmSubjectFit.Result result, double seconds) {
        /** Writes {@code fit.json} and {@code evaluations.csv} into {@code out}. */
        public void save(Path out, boolean force) throws IOException {
            Files.createDirectories(out);
            SgmParameters b = result.best().params();
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Map.of("params", b.asMap(), "cost", result.best().cost(), "cost_kind",
                            spec.cost(), "evaluations", result.evaluations().size(), "seconds", seconds));
            AtomicFiles.write(out.resolve("fit.json"), force,
                    s -> s.write((json + "\n").getBytes(StandardCharsets.UTF_8)));
            String[] header = new String[SgmParameters.NAMES.size() + 2];
            header[0] = "evaluation";
            for (int i = 0; i < SgmParameters.NAMES.size(); i++) {
                header[i + 1] = SgmParameters.NAMES.get(i);
            }
            header[header.length - 1] = "cost";
            double[][] cols = new double[header.length][result.evaluations().size()];
            for (int e = 0; e < result.evaluations().size(); e++) {
                SgmSubjectFit.Evaluation ev = result.evaluations().get(e);
                cols[0][e] = ev.evaluation();
                double[] v = ev.params().toArray();
                for (int i = 0; i < v.length; i++) {
                    cols[i + 1][e] = v[i];
                }
                cols[header.length - 1][e] = ev.cost();
            }
            Csv.write(out.resolve("evaluations.csv"), header, cols, force);
        }
    }

    /** The parameters {@code c} draws and their ranges: what a fit searches. */
    public static Map<String, double[]> bounds(SpectraConfig c) {
        Map<String, double[]> bounds = new LinkedHashMap<>();
        for (String name : SgmParameters.NAMES) {
            List<Double> range = c.parameters().get(name);
            if (range.size() == 2) {
                bounds.put(name, new double[] {range.get(0), range.get(1)});
            }
        }
        return bounds;
    }

    /**
     * Fits the SGM of {@code c} to the spectrum {@code db} (dB) over the parameters {@code c} draws (the others at
     * their values), telling {@code progress} each evaluation.
     */
    public static Fit fit(SpectralGraphModel m, double[][] db, SpectraConfig c, FitSpec spec,
                          Consumer<SgmSubjectFit.Evaluation> progress) {
        Map<String, double[]> bounds = bounds(c);
        Map<String, Double> fixed = new LinkedHashMap<>();
        for (String name : SgmParameters.NAMES) {
            if (!bounds.containsKey(name)) {
                fixed.put(name, c.parameters().get(name).get(0));
            }
        }
        SgmSubjectFit.Cost k = spec.cost().equals("mse") ? SgmSubjectFit.Cost.MSE_DB : SgmSubjectFit.Cost.CORRELATION;
        long t0 = System.nanoTime();
        SgmSubjectFit.Result r = SgmSubjectFit.run(m, db, SgmParameters.of(fixed), bounds, k, c.smooth(),
                spec.evaluations(), spec.seed(), spec.threads(), progress::accept);
        return new Fit(spec, bounds, r, (System.nanoTime() - t0) / 1e9);
    }
}
