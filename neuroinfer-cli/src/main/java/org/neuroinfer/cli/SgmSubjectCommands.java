package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Csv;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.dataset.SpectraConfig;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.model.sgm.SgmConnectome;
import org.neuroinfer.model.sgm.SgmSubjectFit;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.model.sgm.SgmVariant;
import org.neuroinfer.model.sgm.SpectralGraphModel;
import org.neuroinfer.numeric.Correlation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The per-subject SGM commands: {@code sgm infer} (network, optional re-simulation) and {@code sgm fit} (CMA-ES). */
final class SgmSubjectCommands {
    private SgmSubjectCommands() {
    }

    /** A subject's spectrum file and its units. */
    static final class SpectrumInput {
        @Option(names = "--input", required = true, paramLabel = "FILE",
                description = "The subject's spectrum, regions x frequencies, as .npy or .csv (one row per region).")
        Path input;

        @Option(names = "--units", defaultValue = "db", paramLabel = "UNITS",
                description = "Units of --input: db (20 log10 of the magnitude, default) or magnitude.")
        String units;

        /** The spectrum in dB, checked against the expected shape. */
        double[][] readDb(int regions, int freqs) throws IOException {
            double[][] x = input.toString().endsWith(".npy") ? Npy.load(input).rows() : Csv.readMatrix(input);
            if (x.length != regions || x[0].length != freqs) {
                throw new IllegalArgumentException(input + ": spectrum of " + x.length + " x " + x[0].length + "; "
                        + "expected " + regions + " regions x " + freqs + " frequencies");
            }
            if (!units.equals("db") && !units.equals("magnitude")) {
                throw new IllegalArgumentException("--units " + units + "; valid: db, magnitude");
            }
            double[][] out = new double[regions][freqs];
            for (int r = 0; r < regions; r++) {
                for (int f = 0; f < freqs; f++) {
                    double v = x[r][f];
                    if (units.equals("magnitude") && !(v > 0)) {
                        throw new IllegalArgumentException(input + ": magnitude [" + r + "][" + f + "] = " + v
                                + "; a magnitude must be > 0 (is the file in dB? use --units db)");
                    }
                    out[r][f] = units.equals("db") ? v : 20 * Math.log10(v);
                    if (!Double.isFinite(out[r][f])) {
                        throw new IllegalArgumentException(input + ": value [" + r + "][" + f + "] = " + v
                                + " is not finite");
                    }
                }
            }
            return out;
        }
    }

    /** Where a per-subject command writes its files. */
    static final class ResultFolder {
        @Option(names = "--out", paramLabel = "DIR", description = "Write the results here.")
        Path out;

        @Option(names = "--force", description = "Replace files in --out.")
        boolean force;
    }

    /** The model a spectrum is re-simulated with: the training set's configuration, or explicit options. */
    static final class ResimulationSource {
        @Option(names = "--data", paramLabel = "DIR", description = "The SGM data set the model was trained on: its "
                + "variant, connectome, frequencies and fixed parameters are used to re-simulate.")
        Path data;

        @Option(names = "--connectome", paramLabel = "DIR", description = "Without --data: the connectome folder.")
        Path connectome;

        @Option(names = "--variant", defaultValue = "sgm2020", paramLabel = "NAME",
                description = "Without --data: the SGM variant (default ${DEFAULT-VALUE}).")
        String variant;

        SpectraConfig config() throws IOException {
            if (data != null) {
                return new DatasetReader(data).manifest().spectraConfig();
            }
            if (connectome == null) {
                throw new IllegalArgumentException("re-simulation needs --data DIR (the training set) or --connectome "
                        + "DIR");
            }
            return new SpectraConfig("sgm", variant, connectome.toAbsolutePath().toString(), null, null, null, null,
                    null, null, null, null, null, null, null).withDefaults();
        }
    }

    /** {@code sgm infer}: parameters of one subject's spectrum from a trained network. */
    @Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Estimate SGM parameters from a subject's regional spectrum with a trained network.",
                    "",
                    "Prints the parameters with units and the time per subject. With --resimulate, re-runs the SGM at "
                    + "them and reports the per-region Pearson correlation of the two dB spectra; with --out DIR "
                    + "writes params.json, resimulated_db.npy, region_r.csv and resimulation.png."})
    static final class Infer implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Model folder made by sgm train.")
        Path modelDir;

        @picocli.CommandLine.Mixin
        SpectrumInput input = new SpectrumInput();

        @Option(names = "--resimulate", description = "Re-simulate the spectrum at the estimated parameters.")
        boolean resimulate;

        @picocli.CommandLine.Mixin
        ResimulationSource source = new ResimulationSource();

        @picocli.CommandLine.Mixin
        ResultFolder result = new ResultFolder();

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            TorchRuntime.threads(1);
            try (InverseModel model = InverseModel.load(modelDir, TorchRuntime.device("cpu"))) {
                ModelDomain.SGM.require(modelDir, model.card(), "sgm infer");
                var in = model.card().input();
                double[][] db = input.readDb(in.channels(), in.rawTimes());
                // the network reads what its training set held: dB or magnitude, smoothed or not
                SpectraConfig trained = source.data == null ? null
                        : new DatasetReader(source.data).manifest().spectraConfig();
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
                        o.println("note: the training spectra were smoothed ([1, 2, 5, 2, 1] / 11); so is the input");
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
                for (int j = 0; j < y.length; j++) {
                    estimate.put(t.names().get(j), y[j]);
                    o.printf(Locale.ROOT, "%-6s %12.6g %s%n", t.names().get(j), y[j], t.units().get(j));
                }
                o.printf(Locale.ROOT, "inference: %.2f ms per subject (median of %d, one thread)%n",
                        times[times.length / 2], times.length);
                if (trained != null) {
                    warnOutsidePrior(o, estimate, trained);
                }
                if (result.out != null) {
                    Files.createDirectories(result.out);
                    String json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                            .writeValueAsString(Map.of("params", estimate, "units", unitMap(t.names(), t.units()),
                                    "inference_ms", times[times.length / 2]));
                    AtomicFiles.write(result.out.resolve("params.json"), result.force,
                            s -> s.write((json + "\n").getBytes(StandardCharsets.UTF_8)));
                }
                if (resimulate) {
                    resimulate(o, compared, estimate, trained != null ? trained : source.config());
                }
                o.flush();
            }
            return 0;
        }

        /** A warning per estimate outside the training prior: the spectrum is probably unlike the training data. */
        static void warnOutsidePrior(PrintWriter o, Map<String, Double> estimate, SpectraConfig c) {
            for (var e : estimate.entrySet()) {
                List<Double> range = c.parameters().get(e.getKey());
                if (range != null && range.size() == 2 && (e.getValue() < range.get(0) || e.getValue() > range.get(1))) {
                    o.printf(Locale.ROOT, "warning: %s = %.6g is outside the training prior [%s, %s]: the spectrum is "
                            + "probably unlike the training spectra (other units, preprocessing or model variant?)%n",
                            e.getKey(), e.getValue(), range.get(0), range.get(1));
                }
            }
        }

        private static Map<String, String> unitMap(List<String> names, List<String> units) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), units.get(i));
            }
            return m;
        }

        private void resimulate(PrintWriter o, double[][] db, Map<String, Double> estimate, SpectraConfig c)
                throws IOException {
            SpectralGraphModel m = new SpectralGraphModel(SgmConnectome.read(Path.of(c.connectome())),
                    c.frequencies(), SgmVariant.of(c.variant()));
            if (m.regions() != db.length || m.frequencies().length != db[0].length) {
                throw new IllegalArgumentException("the re-simulation model gives " + m.regions() + " x "
                        + m.frequencies().length + " but the spectrum is " + db.length + " x " + db[0].length);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (String name : SgmParameters.NAMES) {
                List<Double> range = c.parameters().get(name);
                if (estimate.containsKey(name)) {
                    values.put(name, estimate.get(name));
                } else {
                    double v = range.size() == 1 ? range.get(0) : 0.5 * (range.get(0) + range.get(1));
                    if (range.size() == 2) {
                        o.printf(Locale.ROOT, "note: %s is not estimated; re-simulating at the middle of its range, "
                                + "%.6g%n", name, v);
                    }
                    values.put(name, v);
                }
            }
            SgmParameters p = SgmParameters.of(values);
            double[][] mag = m.magnitude(p);
            double[][] sim = SpectralGraphModel.decibels(c.smooth() ? SpectralGraphModel.smooth(mag) : mag);
            double[] r = new double[db.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = Correlation.pearson(db[i], sim[i]);
            }
            double[] sorted = r.clone();
            Arrays.sort(sorted);
            o.printf(Locale.ROOT, "re-simulated (%s): per-region Pearson r of the dB spectra: mean %.4f, median %.4f, "
                    + "min %.4f (%d regions)%n", c.variant(), Arrays.stream(r).average().orElse(Double.NaN),
                    sorted[sorted.length / 2], sorted[0], r.length);
            if (result.out != null) {
                Npy.save(result.out.resolve("resimulated_db.npy"), NpyArray.of(sim), result.force);
                Csv.write(result.out.resolve("region_r.csv"), new String[] {"region", "pearson_r"},
                        new double[][] {java.util.stream.IntStream.range(0, r.length).asDoubleStream().toArray(), r},
                        result.force);
                plot(result.out.resolve("resimulation.png"), m.frequencies(), db, sim, r, result.force);
                o.println("wrote " + result.out + ": params.json, resimulated_db.npy, region_r.csv, resimulation.png");
            }
        }

        private static void plot(Path file, double[] f, double[][] db, double[][] sim, double[] r, boolean force)
                throws IOException {
            List<XYChart> charts = new ArrayList<>();
            XYChart mean = SgmCommand.spectrumChart("mean over regions");
            mean.getStyler().setLegendVisible(true);
            Plots.line(mean, "input", f, average(db), java.awt.Color.BLACK);
            Plots.line(mean, "re-simulated", f, average(sim), java.awt.Color.RED);
            charts.add(mean);
            Integer[] order = new Integer[r.length];
            for (int i = 0; i < r.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(r[a], r[b]));
            for (int pick : new int[] {order[0], order[r.length / 2], order[r.length - 1]}) {
                XYChart c = SgmCommand.spectrumChart(String.format(Locale.ROOT, "region %d (r = %.3f)", pick,
                        r[pick]));
                Plots.line(c, "input", f, db[pick], java.awt.Color.BLACK);
                Plots.line(c, "re-simulated", f, sim[pick], java.awt.Color.RED);
                charts.add(c);
            }
            Plots.save(file, charts, 2, force);
        }

        private static double[] average(double[][] x) {
            double[] m = new double[x[0].length];
            for (double[] row : x) {
                for (int j = 0; j < m.length; j++) {
                    m[j] += row[j] / x.length;
                }
            }
            return m;
        }
    }

    /** {@code sgm fit}: the classical per-subject fit. */
    @Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fit the SGM to one subject's spectrum by CMA-ES (the classical baseline of Spectrome-AI).",
                    "",
                    "Searches the drawn parameters of the data set's prior (--data) or the 2020 box, prints the best "
                    + "parameters, the cost and the time; with --out DIR writes fit.json and evaluations.csv."})
    static final class Fit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        SpectrumInput input = new SpectrumInput();

        @picocli.CommandLine.Mixin
        ResimulationSource source = new ResimulationSource();

        @Option(names = "--cost", defaultValue = "mse", paramLabel = "COST",
                description = "mse (mean squared dB difference, default) or correlation (1 - mean per-region r).")
        String cost;

        @Option(names = "--evaluations", defaultValue = "400", paramLabel = "N",
                description = "SGM evaluations (default ${DEFAULT-VALUE}).")
        int evaluations;

        @Option(names = "--seed", defaultValue = "0", description = "CMA-ES seed (default ${DEFAULT-VALUE}).")
        long seed;

        @picocli.CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @picocli.CommandLine.Mixin
        ResultFolder result = new ResultFolder();

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            SpectraConfig c = source.config();
            SpectralGraphModel m = new SpectralGraphModel(SgmConnectome.read(Path.of(c.connectome())),
                    c.frequencies(), SgmVariant.of(c.variant()));
            double[][] db = input.readDb(m.regions(), m.frequencies().length);
            SgmSubjectFit.Cost k = switch (cost) {
                case "mse" -> SgmSubjectFit.Cost.MSE_DB;
                case "correlation" -> SgmSubjectFit.Cost.CORRELATION;
                default -> throw new IllegalArgumentException("--cost " + cost + "; valid: mse, correlation");
            };
            Map<String, double[]> bounds = new LinkedHashMap<>();
            Map<String, Double> fixed = new LinkedHashMap<>();
            for (String name : SgmParameters.NAMES) {
                List<Double> range = c.parameters().get(name);
                if (range.size() == 2) {
                    bounds.put(name, new double[] {range.get(0), range.get(1)});
                } else {
                    fixed.put(name, range.get(0));
                }
            }
            o.printf(Locale.ROOT, "CMA-ES over %s (%d evaluations of %s), cost %s%n", bounds.keySet(), evaluations,
                    c.variant(), cost);
            o.flush();
            long t0 = System.nanoTime();
            SgmSubjectFit.Result r;
            try (Progress p = Progress.start(spec.commandLine().getErr(), "fitting", evaluations)) {
                double[] best = {Double.MAX_VALUE};
                r = SgmSubjectFit.run(m, db, SgmParameters.of(fixed), bounds, k, c.smooth(), evaluations, seed,
                        threads.get(), e -> {
                    best[0] = Math.min(best[0], e.cost());
                    p.note(String.format(Locale.ROOT, "best %.4g", best[0]));
                    p.advance(1);
                });
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            SgmParameters b = r.best().params();
            for (var e : b.asMap().entrySet()) {
                o.printf(Locale.ROOT, "%-6s %12.6g %s%s%n", e.getKey(), e.getValue(),
                        SgmParameters.UNITS.get(SgmParameters.NAMES.indexOf(e.getKey())),
                        bounds.containsKey(e.getKey()) ? "" : " (fixed)");
            }
            o.printf(Locale.ROOT, "cost %.6g at evaluation %d of %d; %.1f s (%.0f ms per evaluation)%n",
                    r.best().cost(), r.best().evaluation(), r.evaluations().size(), seconds,
                    seconds * 1000 / r.evaluations().size());
            if (result.out != null) {
                Files.createDirectories(result.out);
                String json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(Map.of("params", b.asMap(), "cost", r.best().cost(), "cost_kind", cost,
                                "evaluations", r.evaluations().size(), "seconds", seconds));
                AtomicFiles.write(result.out.resolve("fit.json"), result.force,
                        s -> s.write((json + "\n").getBytes(StandardCharsets.UTF_8)));
                String[] header = new String[SgmParameters.NAMES.size() + 2];
                header[0] = "evaluation";
                for (int i = 0; i < SgmParameters.NAMES.size(); i++) {
                    header[i + 1] = SgmParameters.NAMES.get(i);
                }
                header[header.length - 1] = "cost";
                double[][] cols = new double[header.length][r.evaluations().size()];
                for (int e = 0; e < r.evaluations().size(); e++) {
                    SgmSubjectFit.Evaluation ev = r.evaluations().get(e);
                    cols[0][e] = ev.evaluation();
                    double[] v = ev.params().toArray();
                    for (int i = 0; i < v.length; i++) {
                        cols[i + 1][e] = v[i];
                    }
                    cols[header.length - 1][e] = ev.cost();
                }
                Csv.write(result.out.resolve("evaluations.csv"), header, cols, result.force);
                o.println("wrote " + result.out + ": fit.json, evaluations.csv");
            }
            o.flush();
            return 0;
        }
    }
}
