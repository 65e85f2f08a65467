package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.pipeline.RecordingPreparation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Turns a measured continuous recording into the evoked response the models read. */
@Command(name = "evoked", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prepare your own recording: a continuous EEG (BDF, EDF, or an MNE-Python export) to the "
                + "evoked response infer, posterior and snpe read.",
                "",
                "Channels are matched by name to the montage (case, an 'EEG ' prefix, a '-REF' suffix and BioSemi's "
                + "A1..B32 labels are understood); values are converted to volts and refused when implausible for "
                + "the stated unit; epochs around the events (the BDF Status channel, the export's events, or "
                + "--events) are resampled to the model's rate, re-referenced to the average, baseline-corrected, "
                + "rejected by amplitude and averaged. The output (.h5 or .npz) holds X [1, channels, samples] in V, "
                + "times, channel_names and the provenance. docs/recordings.md shows the three lines that export a "
                + "recording from MNE-Python."})
final class EvokedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECORDING", description = ".bdf, .edf, or an export .npz/.h5 (data, "
            + "ch_names, sfreq, unit, events).")
    Path input;

    @Option(names = "--events", paramLabel = "FILE.csv", description = "Events: a CSV/TSV with a column onset (s "
            + "from the first sample, as BIDS events.tsv) or sample, and optionally code (default: the file's own).")
    Path events;

    @Option(names = "--event-code", paramLabel = "N", split = ",", description = "Epoch only events with these "
            + "codes (default: every event).")
    int[] eventCodes = new int[0];

    @Option(names = "--unit", paramLabel = "UNIT", description = "The values' unit when the file states none or a "
            + "wrong one: V, mV, uV, nV.")
    String unit;

    @Option(names = "--montage", defaultValue = "biosemi64", paramLabel = "NAME",
            description = "The montage the model reads (default ${DEFAULT-VALUE}).")
    String montage;

    @Option(names = "--sfreq", defaultValue = "1000", paramLabel = "HZ",
            description = "The model's sampling rate (default ${DEFAULT-VALUE} Hz).")
    double sfreq;

    @Option(names = "--tmin", defaultValue = "-0.2", paramLabel = "S",
            description = "Epoch start from the event (default ${DEFAULT-VALUE} s).")
    double tmin;

    @Option(names = "--tmax", defaultValue = "1.0", paramLabel = "S",
            description = "Epoch end (default ${DEFAULT-VALUE} s).")
    double tmax;

    @Option(names = "--baseline", defaultValue = "-0.2,0", split = ",", paramLabel = "FROM,TO",
            description = "Baseline interval in s (default ${DEFAULT-VALUE}).")
    double[] baseline;

    @Option(names = "--reject", defaultValue = "150", paramLabel = "UV", description = "Leave out epochs whose "
            + "peak-to-peak amplitude exceeds this on any channel, µV; 0 keeps every epoch (default "
            + "${DEFAULT-VALUE}).")
    double reject;

    @Option(names = "--missing", defaultValue = "fail", paramLabel = "fail|interpolate", description = "Montage "
            + "channels the recording lacks: refuse (fail), or fill each from its 4 nearest neighbours "
            + "(interpolate) (default ${DEFAULT-VALUE}).")
    String missing;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The evoked file, .h5 or .npz.")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also plot the evoked response (µV).")
    Path plot;

    @Option(names = "--force", description = "Replace existing output files.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        String ext = org.neuroinfer.pipeline.Simulation.extension(out);
        if (!ext.equals("h5") && !ext.equals("npz")) {
            throw new IllegalArgumentException("--out " + out + ": valid formats: .h5, .npz");
        }
        if (plot != null && !"png".equals(org.neuroinfer.pipeline.Simulation.extension(plot))) {
            throw new IllegalArgumentException("--plot " + plot + ": the plot is written as .png");
        }
        AtomicFiles.checkWritable(out, force);
        if (plot != null) {
            AtomicFiles.checkWritable(plot, force);
        }
        if (baseline.length != 2) {
            throw new IllegalArgumentException("--baseline takes two times, FROM,TO, got " + baseline.length);
        }
        RecordingPreparation.Missing policy = switch (missing.toLowerCase(Locale.ROOT)) {
            case "fail" -> RecordingPreparation.Missing.FAIL;
            case "interpolate" -> RecordingPreparation.Missing.INTERPOLATE;
            default -> throw new IllegalArgumentException("--missing must be fail or interpolate, got '" + missing
                    + "'");
        };
        EpochWindow window = new EpochWindow(samples(tmin, "--tmin"), samples(tmax, "--tmax"),
                samples(baseline[0], "--baseline"), samples(baseline[1], "--baseline"));
        RecordingPreparation.Result r = RecordingPreparation.run(new RecordingPreparation.Spec(input, events,
                eventCodes, unit, montage, sfreq, window, reject * 1e-6, policy));
        PrintWriter o = spec.commandLine().getOut();
        r.report().forEach(o::println);
        r.save(out, force);
        o.println("wrote " + out + ": " + r.evoked().layout().describe(r.evoked().data()[0].length) + ", "
                + r.evoked().epochs() + " epochs averaged");
        if (plot != null) {
            float[][] x = r.evoked().data();
            double[][] volts = new double[x.length][x[0].length];
            for (int c = 0; c < x.length; c++) {
                for (int k = 0; k < x[c].length; k++) {
                    volts[c][k] = x[c][k];
                }
            }
            Plots.save(plot, List.of(Plots.butterfly("evoked response of " + input.getFileName() + ", "
                    + r.evoked().epochs() + " epochs", "time from event (s)",
                    r.evoked().layout().times(x[0].length), volts, r.evoked().layout().channelNames())), 1, force);
            o.println("wrote " + plot);
        }
        return 0;
    }

    private int samples(double seconds, String field) {
        if (!Double.isFinite(seconds)) {
            throw new IllegalArgumentException(field + " must be a finite time in s, got " + seconds);
        }
        double k = seconds * sfreq;
        if (Math.abs(k - Math.rint(k)) > 1e-6) {
            throw new IllegalArgumentException(field + " " + seconds + " s is not a whole number of samples at "
                    + sfreq + " Hz");
        }
        return (int) Math.rint(k);
    }
}
