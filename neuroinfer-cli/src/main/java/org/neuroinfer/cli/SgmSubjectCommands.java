package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.Csv;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.dataset.SpectraConfig;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.model.sgm.SgmSubjectFit;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.model.sgm.SpectralGraphModel;
import org.neuroinfer.pipeline.SgmSubjectStudy;
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
                SgmSubjectStudy.Estimate est = SgmSubjectStudy.infer(model, db, trained);
                est.notes().forEach(n -> o.println("note: " + n));
                for (var e : est.estimate().entrySet()) {
                    o.printf(Locale.ROOT, "%-6s %12.6g %s%n", e.getKey(), e.getValue(), est.units().get(e.getKey()));
                }
                o.printf(Locale.ROOT, "inference: %.2f ms per subject (median of 20, one thread)%n",
                        est.inferenceMs());
                est.outsidePrior().forEach(w -> o.println("warning: " + w + ": the spectrum is probably unlike the "
                        + "training spectra (other units, preprocessing or model variant?)"));
                if (result.out != null) {
                    est.save(result.out, result.force);
                }
                if (resimulate) {
                    SgmSubjectStudy.Resimulation r = SgmSubjectStudy.resimulate(est.compared(), est.estimate(),
                            trained != null ? trained : source.config());
                    r.notes().forEach(n -> o.println("note: " + n));
                    double[] sum = r.summary();
                    o.printf(Locale.ROOT, "re-simulated (%s): per-region Pearson r of the dB spectra: mean %.4f, "
                            + "median %.4f, min %.4f (%d regions)%n", (trained != null ? trained
                            : source.config()).variant(), sum[0], sum[1], sum[2], r.regionR().length);
                    if (result.out != null) {
                        Npy.save(result.out.resolve("resimulated_db.npy"), NpyArray.of(r.simulated()), result.force);
                        Csv.write(result.out.resolve("region_r.csv"), new String[] {"region", "pearson_r"},
                                new double[][] {java.util.stream.IntStream.range(0, r.regionR().length)
                                        .asDoubleStream().toArray(), r.regionR()}, result.force);
                        plot(result.out.resolve("resimulation.png"), r.frequencies(), est.compared(), r.simulated(),
                                r.regionR(), result.force);
                        o.println("wrote " + result.out + ": params.json, resimulated_db.npy, region_r.csv, "
                                + "resimulation.png");
                    }
                }
                o.flush();
            }
            return 0;
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
            SgmSubjectStudy.FitSpec fs = new SgmSubjectStudy.FitSpec(cost, evaluations, seed, threads.get());
            SpectraConfig c = source.config();
            SpectralGraphModel m = SgmSubjectStudy.model(c);
            double[][] db = input.readDb(m.regions(), m.frequencies().length);
            o.printf(Locale.ROOT, "CMA-ES over %s (%d evaluations of %s), cost %s%n",
                    SgmSubjectStudy.bounds(c).keySet(), evaluations, c.variant(), cost);
            o.flush();
            SgmSubjectStudy.Fit f;
            try (Progress p = Progress.start(spec.commandLine().getErr(), "fitting", evaluations)) {
                double[] best = {Double.MAX_VALUE};
                f = SgmSubjectStudy.fit(m, db, c, fs, e -> {
                    best[0] = Math.min(best[0], e.cost());
                    p.note(String.format(Locale.ROOT, "best %.4g", best[0]));
                    p.advance(1);
                });
            }
            SgmSubjectFit.Result r = f.result();
            for (var e : r.best().params().asMap().entrySet()) {
                o.printf(Locale.ROOT, "%-6s %12.6g %s%s%n", e.getKey(), e.getValue(),
                        SgmParameters.UNITS.get(SgmParameters.NAMES.indexOf(e.getKey())),
                        f.bounds().containsKey(e.getKey()) ? "" : " (fixed)");
            }
            o.printf(Locale.ROOT, "cost %.6g at evaluation %d of %d; %.1f s (%.0f ms per evaluation)%n",
                    r.best().cost(), r.best().evaluation(), r.evaluations().size(), f.seconds(),
                    f.seconds() * 1000 / r.evaluations().size());
            if (result.out != null) {
                f.save(result.out, result.force);
                o.println("wrote " + result.out + ": fit.json, evaluations.csv");
            }
            o.flush();
            return 0;
        }
    }
}
