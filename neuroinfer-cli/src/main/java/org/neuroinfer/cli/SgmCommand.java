package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.Csv;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.model.sgm.SgmConnectome;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.model.sgm.SgmVariant;
import org.neuroinfer.model.sgm.SpectralGraphModel;
import org.neuroinfer.model.Connectome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neuroinfer sgm ...}: the spectral graph model of MEG spectra (Raj et al. 2020) and Spectrome-AI. */
@Command(name = "sgm", mixinStandardHelpOptions = true,
        description = "The spectral graph model of regional MEG power spectra on a structural connectome.",
        subcommands = {SgmCommand.Simulate.class, SgmCommand.Generate.class, SgmCommand.Train.class,
            SgmCommand.Evaluate.class, SgmSubjectCommands.Infer.class, SgmSubjectCommands.Fit.class})
final class SgmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The connectome and frequency grid options every SGM command shares. */
    static final class ModelOptions {
        @Option(names = "--connectome", required = true, paramLabel = "DIR",
                description = "Folder with spectrome's raw mean80_fibercount.csv and mean80_fiberlength.csv "
                        + "(prepared as Raj et al. 2020 did), or a prepared connectome (weights/lengths .npy/.csv, "
                        + ".mat, .h5).")
        Path connectome;

        @Option(names = "--variant", defaultValue = "sgm2020", paramLabel = "NAME",
                description = "sgm2020 (default; Spectrome-AI's), sgm2020_la, msgm2022, msgm2023, msgm2023_pct.")
        String variant;

        @Option(names = "--freqs", paramLabel = "FILE", description = "Frequencies in Hz (.npy or .csv); default "
                + "40 from 2 to 45 Hz.")
        Path freqs;

        SpectralGraphModel model() throws IOException {
            SgmVariant v = SgmVariant.of(variant);
            Connectome c = SgmConnectome.read(connectome);
            double[] f = SpectralGraphModel.standardFrequencies();
            if (freqs != null && freqs.toString().endsWith(".npy")) {
                f = Npy.load(freqs).data();
            } else if (freqs != null) {
                double[][] m = Csv.readMatrix(freqs);
                f = m.length == 1 ? m[0] : column(m);
            }
            return new SpectralGraphModel(c, f, v);
        }

        private double[] column(double[][] m) {
            double[] out = new double[m.length];
            for (int i = 0; i < m.length; i++) {
                if (m[i].length != 1) {
                    throw new IllegalArgumentException(freqs + ": expected one row or one column of frequencies");
                }
                out[i] = m[i][0];
            }
            return out;
        }
    }

    /** {@code sgm simulate}: one spectrum. */
    @Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Simulate the regions x frequencies spectrum of the spectral graph model.",
                    "",
                    "Writes FILE.npy (float64 [regions][frequencies]): the magnitude, or 20 log10 of it with --db; "
                    + "with --plot also a PNG of every region's spectrum."})
    static final class Simulate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        ModelOptions options = new ModelOptions();

        @Option(names = "--params", paramLabel = "FILE.json", description = "Parameters: a reference case.json, "
                + "{\"tau_e\": 0.012, ...} or {\"parameters\": {\"tau_e\": {\"value\": 12, \"unit\": \"ms\"}}}; "
                + "missing ones take spectrome's defaults.")
        Path params;

        @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output spectrum.")
        Path out;

        @Option(names = "--db", description = "Write 20 log10(magnitude) (spectrome's mag2db).")
        boolean db;

        @Option(names = "--smooth", description = "Smooth along frequency first, as the 2020 fitting pipeline "
                + "([1, 2, 5, 2, 1] / 11).")
        boolean smooth;

        @Option(names = "--plot", paramLabel = "FILE.png", description = "Also plot every region's spectrum in dB.")
        Path plot;

        @Option(names = "--force", description = "Replace existing output files.")
        boolean force;

        @picocli.CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            org.neuroinfer.io.AtomicFiles.checkWritable(out, force);
            if (plot != null) {
                org.neuroinfer.io.AtomicFiles.checkWritable(plot, force);
            }
            SpectralGraphModel model = options.model();
            SgmParameters p = params == null ? SgmParameters.DEFAULTS : SgmParameters.read(params);
            long t0 = System.nanoTime();
            double[][] mag = model.magnitude(p, threads.get());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (smooth) {
                mag = SpectralGraphModel.smooth(mag);
            }
            double[][] spectrum = db ? SpectralGraphModel.decibels(mag) : mag;
            Npy.save(out, NpyArray.of(spectrum), force);
            if (plot != null) {
                plot(plot, model, SpectralGraphModel.decibels(mag), p, force);
            }
            o.printf(Locale.ROOT, "%s, %d regions x %d frequencies in %.3f s; %s%n", model.variant(),
                    model.regions(), model.frequencies().length, seconds, p.asMap());
            o.printf("wrote %s (%s)%s%n", out, db ? "dB" : "magnitude", plot != null ? " and " + plot : "");
            o.flush();
            return 0;
        }

        static void plot(Path file, SpectralGraphModel model, double[][] db, SgmParameters p, boolean force)
                throws IOException {
            XYChart c = spectrumChart(model.variant() + " spectra, " + db.length + " regions");
            double[] f = model.frequencies();
            double[] mean = new double[f.length];
            for (int i = 0; i < db.length; i++) {
                Plots.line(c, "region " + i, f, db[i], Plots.ramp(i / (double) Math.max(1, db.length - 1)))
                        .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.SOLID);
                for (int j = 0; j < f.length; j++) {
                    mean[j] += db[i][j] / db.length;
                }
            }
            Plots.line(c, "mean", f, mean, java.awt.Color.BLACK).setLineWidth(3f);
            List<XYChart> charts = new ArrayList<>();
            charts.add(c);
            Plots.save(file, charts, 1, force);
        }
    }

    /** {@code sgm generate}: a training set of simulated spectra. */
    @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Generate a data set of simulated SGM spectra (see examples/sgm-*.yaml).",
                    "",
                    "Writes DIR/manifest.json and HDF5 shards DIR/shards/cNN_sMMMM.h5 (X float32 [n, regions, "
                    + "frequencies] in dB or magnitude, y float64 [n, 7] in s, 1, m/s, valid, index, freqs_hz, region "
                    + "and parameter names): the layout of the EEG data sets, so train, evaluate and calibrate read "
                    + "it. Running the same command again after a kill continues where it stopped and ends with "
                    + "the same bytes."})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Experiment file.")
        Path config;

        @picocli.CommandLine.Mixin
        GenerationTarget target = new GenerationTarget();

        @picocli.CommandLine.Mixin
        SparkOption spark = new SparkOption();

        @Override
        public Integer call() throws IOException {
            org.neuroinfer.pipeline.Cluster cluster = spark.cluster(target.part != null);
            org.neuroinfer.pipeline.RemoteFolder remote = target.remote(cluster);
            if (remote != null) {
                int made = org.neuroinfer.pipeline.SpectraGeneration.onCluster(config, remote, target.force,
                        cluster, spark.master);
                PrintWriter o = spec.commandLine().getOut();
                o.printf(Locale.ROOT, "made %d shards on Spark (%s); the data set is in %s%n", made, spark.master,
                        remote.uri());
                o.flush();
                return 0;
            }
            if (cluster != null) {
                int made = org.neuroinfer.pipeline.SpectraGeneration.onCluster(config, target.out(), target.force,
                        target.threads.get(), cluster, spark.master, n -> { });
                PrintWriter o = spec.commandLine().getOut();
                o.printf(Locale.ROOT, "made %d shards on Spark (%s)%n", made, spark.master);
                o.print(org.neuroinfer.dataset.DatasetInspector.inspect(target.out()));
                o.flush();
                return 0;
            }
            org.neuroinfer.dataset.SpectraConfig c = org.neuroinfer.dataset.SpectraConfig.read(config);
            org.neuroinfer.dataset.SpectraGenerator g = new org.neuroinfer.dataset.SpectraGenerator(c,
                    target.threads.get());
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%s: %d speeds x %d spectra x %d noise conditions = %d spectra on %d threads%n",
                    c.variant(), c.speeds(), c.spectraPerSpeed(), c.noiseDb().size(), g.total(), target.threads.get());
            o.flush();
            long t0 = System.nanoTime();
            int made;
            try (Progress p = Progress.start(spec.commandLine().getErr(), "generating", g.total())) {
                made = g.generate(target.out(), target.force, p::advance, target.stopAfter, target.part());
            }
            int blocks = g.plan().size() / c.noiseDb().size();
            if (target.reportPart(o, made, target.part() == null ? 0 : target.part().ownedOf(blocks)
                    * c.noiseDb().size())) {
                return 0;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            o.printf(Locale.ROOT, "made %d of %d shards in %.1f s (%.0f spectra per second)%n", made, g.plan().size(),
                    s, g.total() / s);
            o.print(org.neuroinfer.dataset.DatasetInspector.inspect(target.out()));
            o.flush();
            return 0;
        }
    }

    /** {@code sgm train}: {@code train} with Spectrome-AI's network as the default file. */
    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train the Spectrome-AI estimator (or the network of CONFIG.yaml) on an SGM data set.",
                    "",
                    "Without CONFIG.yaml: examples/sgm-fcnn.yaml (3440 inputs, three hidden layers with batch norm "
                    + "and ReLU, five outputs, MSE, Adam, up to 200 epochs). Otherwise exactly train: resumable, "
                    + "writes MODEL_DIR/model.json, weights.npz and history.csv."})
    static final class Train extends TrainCommand {
        Train() {
            defaultPreset = "sgm-fcnn.yaml";
        }
    }

    /** {@code sgm evaluate}: {@code evaluate} on an SGM data set. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"Score a trained SGM estimator: R^2, Pearson r, RMSE per parameter, scatter plots.",
                    "",
                    "Exactly evaluate: on the model's own data set its test split, on another every spectrum."})
    static final class Evaluate extends EvaluateCommand {
    }

    /** A chart of power (dB) against frequency (Hz). */
    static XYChart spectrumChart(String title) {
        XYChart c = Plots.chart(title, "frequency (Hz)", "power (dB)");
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }
}
