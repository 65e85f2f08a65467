package org.neuroinfer.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuroinfer.Version;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.recording.ChannelMatch;
import org.neuroinfer.recording.ContinuousRecording;
import org.neuroinfer.recording.EdfFile;
import org.neuroinfer.recording.Events;
import org.neuroinfer.recording.EvokedAverager;
import org.neuroinfer.recording.ExportFile;
import org.neuroinfer.recording.LabelledRecordings;
import org.neuroinfer.recording.Units;

/**
 * The recording-preparation stage: a measured continuous recording (EDF, BDF, or an MNE-Python export) turned into
 * the evoked response the models read — channels matched by name to the montage (missing ones refused or
 * interpolated, extra ones left out), values converted to volts and refused when implausible for EEG in the
 * stated unit, epochs around the events resampled to the model's rate and window, average reference, baseline,
 * amplitude rejection, averaging — written with its layout and provenance for {@code infer}, {@code posterior} and
 * {@code snpe}.
 */
public final class RecordingPreparation {
    private RecordingPreparation() {
    }

    /** What to do with montage channels the recording lacks. */
    public enum Missing {
        /** Refuse the recording, listing them. */
        FAIL,
        /** Fill each from its four nearest present channels by inverse squared distance. */
        INTERPOLATE
    }

    /**
     * How to prepare a recording.
     *
     * @param input        the recording: .bdf, .edf, or an MNE export .npz/.h5
     * @param events       a CSV of events (onset in s, or sample; optional code), or null for the file's own
     * @param eventCodes   the event codes to epoch (empty: all)
     * @param unit         the values' unit when the file's is wrong or absent, or null to use the file's
     * @param montage      the montage whose channels the model reads (biosemi64, 1020, 1010)
     * @param sampleRate   the model's sampling rate, Hz
     * @param window       the epoch window and baseline in samples at {@code sampleRate}
     * @param rejectVolts  largest peak-to-peak amplitude of an epoch on any channel, V (0 keeps every epoch)
     * @param missing      what to do with missing channels
     */
    public record Spec(Path input, Path events, int[] eventCodes, String unit, String montage, double sampleRate,
                       EpochWindow window, double rejectVolts, Missing missing) {
        public Spec {
            if (!(sampleRate > 0) || Double.isInfinite(sampleRate)) {
                throw new IllegalArgumentException("--sfreq must be finite and > 0, got " + sampleRate);
            }
            if (!(rejectVolts >= 0) || Double.isInfinite(rejectVolts)) {
                throw new IllegalArgumentException("--reject must be finite and >= 0 uV, got " + rejectVolts * 1e6);
            }
            if (unit != null) {
                Units.voltsPer(unit, "--unit");
            }
            Montage.named(montage);
            eventCodes = eventCodes.clone();
        }

        /**
         * The benchmark's evoked response (biosemi64, 1 kHz, -0.2 .. 1 s, baseline -0.2 .. 0 s), the file's events
         * and unit, epochs over 150 uV peak to peak rejected, missing channels refused.
         */
        public static Spec benchmark(Path input) {
            return new Spec(input, null, new int[0], null, "biosemi64", 1000, EpochWindow.benchmark(), 150e-6,
                    Missing.FAIL);
        }
    }

    /**
     * A prepared evoked response.
     *
     * @param evoked     the response and its layout
     * @param report     what was done, one line per step, for the person running it
     * @param provenance the source and every setting, as JSON
     */
    public record Result(EvokedAverager.Evoked evoked, List<String> report, String provenance) {
        /** Writes the evoked file ({@code .h5} or {@code .npz}) atomically. */
        public void save(Path out, boolean force) throws IOException {
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("nave", evoked.epochs());
            attrs.put("rejected", evoked.rejected());
            attrs.put("provenance", provenance);
            LabelledRecordings.write(out, new float[][][] {evoked.data()}, evoked.layout(), attrs, force);
        }
    }

    /** Reads {@code spec.input()} (EDF, BDF or an export, by its content and extension). */
    public static ContinuousRecording read(Path input) throws IOException {
        if (!java.nio.file.Files.exists(input)) {
            throw new IllegalArgumentException("--input: " + input + " does not exist");
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".fif") || name.endsWith(".fif.gz")) {
            throw new IllegalArgumentException("--input: " + input + " is a FIF file, which neuroinfer does not "
                    + "read; export it from MNE-Python as .npz (docs/recordings.md gives the three lines)");
        }
        if (EdfFile.looksLike(input)) {
            return EdfFile.read(input);
        }
        if (name.endsWith(".edf") || name.endsWith(".bdf")) {
            throw new IllegalArgumentException("--input: " + input + " does not start like an EDF or BDF file");
        }
        return ExportFile.read(input);
    }

    private static String fmt(double v) {
        return org.neuroinfer.recording.RecordingLayout.fmt(v);
    }

    /** Prepares the evoked response. */
    public static Result run(Spec spec) throws IOException {
        ContinuousRecording rec = read(spec.input());
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "read %s: %s, %d channels, %s Hz, %.1f s, unit %s, %d events",
                spec.input().getFileName(), rec.format(), rec.channelNames().size(), fmt(rec.sampleRate()),
                rec.samples() / rec.sampleRate(), rec.unit(), rec.events().size()));
        Events events = spec.events() != null ? Events.readCsv(spec.events(), rec.sampleRate()) : rec.events();
        if (spec.events() != null) {
            report.add("events from " + spec.events().getFileName() + ": " + events.size() + " (codes "
                    + events.codeCounts() + ")");
        }
        if (events.size() == 0) {
            throw new IllegalArgumentException("--input: " + spec.input() + " has no events (no trigger channel, or "
                    + "it never changes); give them with --events FILE.csv (columns onset in s, or sample)");
        }
        Events chosen = events.withCodes(spec.eventCodes());
        if (chosen.size() == 0) {
            throw new IllegalArgumentException("--event-code " + Arrays.toString(spec.eventCodes()) + " matches no "
                    + "event; the recording's codes are " + events.codeCounts());
        }
        if (spec.eventCodes().length > 0) {
            report.add("events with code " + Arrays.toString(spec.eventCodes()) + ": " + chosen.size() + " of "
                    + events.size());
        }
        Montage montage = Montage.named(spec.montage());
        List<String> names = List.of(montage.channelNames());
        ChannelMatch match = ChannelMatch.of(rec.channelNames(), names);
        if (!match.note().isEmpty()) {
            report.add(match.note());
        }
        if (!match.complete() && spec.missing() == Missing.FAIL) {
            throw new IllegalArgumentException("--input: " + spec.input() + " lacks " + match.missing().size()
                    + " of the " + names.size() + " channels of montage " + montage.name() + ": " + match.missing()
                    + "; its channels are " + rec.channelNames() + ". Give --missing interpolate to fill them from "
                    + "their neighbours, or rename the channels");
        }
        if (match.missing().size() > names.size() / 4) {
            throw new IllegalArgumentException("--input: " + spec.input() + " lacks " + match.missing().size()
                    + " of the " + names.size() + " channels of montage " + montage.name() + " (more than a quarter "
                    + "cannot be interpolated): " + match.missing());
        }
        if (!match.extra().isEmpty()) {
            report.add("left out " + match.extra().size() + " channel(s) the montage does not have: "
                    + match.extra());
        }
        String unit = spec.unit() != null ? spec.unit() : rec.unit();
        double toVolts = Units.voltsPer(unit, spec.unit() != null ? "--unit" : spec.input() + " (its unit)");
        float[][] volts = new float[names.size()][];
        for (int m = 0; m < names.size(); m++) {
            int s = match.source()[m];
            if (s >= 0) {
                volts[m] = new float[rec.samples()];
                float[] from = rec.data()[s];
                for (int k = 0; k < from.length; k++) {
                    volts[m][k] = (float) (from[k] * toVolts);
                }
            }
        }
        if (!match.complete()) {
            double[][][] w = match.interpolation(montage.positions(), montage.centre(), 4);
            for (int m = 0; m < names.size(); m++) {
                if (w[m] != null) {
                    volts[m] = new float[rec.samples()];
                    for (double[] p : w[m]) {
                        float[] from = volts[(int) p[0]];
                        for (int k = 0; k < from.length; k++) {
                            volts[m][k] += (float) (p[1] * from[k]);
                        }
                    }
                }
            }
            report.add("interpolated " + match.missing().size() + " missing channel(s) from their 4 nearest "
                    + "neighbours: " + match.missing());
        }
        String unitField = spec.unit() != null ? "--unit" : spec.input().getFileName().toString();
        EvokedAverager.Evoked ev = EvokedAverager.average(volts, rec.sampleRate(), chosen, names, spec.window(),
                spec.sampleRate(), spec.rejectVolts(), true,
                sd -> Units.checkPlausible(sd, unit, unitField + " in " + unit));
        report.add("epochs " + fmt(spec.window().start() / spec.sampleRate()) + " .. "
                + fmt(spec.window().end() / spec.sampleRate()) + " s at " + fmt(spec.sampleRate()) + " Hz"
                + (rec.sampleRate() == spec.sampleRate() ? "" : " (resampled from " + fmt(rec.sampleRate()) + " Hz)")
                + ", average reference, baseline " + fmt(spec.window().baseFrom() / spec.sampleRate()) + " .. "
                + fmt(spec.window().baseTo() / spec.sampleRate()) + " s");
        report.add(String.format(Locale.ROOT, "averaged %d epochs; rejected %d over %.0f uV peak to peak%s; "
                        + "median within-epoch sd %.3g uV", ev.epochs(), ev.rejected(), spec.rejectVolts() * 1e6,
                ev.incomplete() > 0 ? "; " + ev.incomplete() + " event(s) too near the recording's ends" : "",
                ev.medianSd() * 1e6));
        ObjectMapper json = new ObjectMapper();
        ObjectNode p = json.createObjectNode();
        p.put("neuroinfer_version", Version.get());
        p.put("source", spec.input().toAbsolutePath().toString());
        p.put("source_sha256", Checksums.sha256(spec.input()));
        p.put("source_format", rec.format());
        p.put("source_sample_rate", rec.sampleRate());
        p.put("source_unit", unit);
        p.put("events", spec.events() == null ? "from the file" : spec.events().toAbsolutePath().toString());
        p.putPOJO("event_codes", spec.eventCodes());
        p.put("montage", montage.name());
        p.putPOJO("missing_channels", match.missing());
        p.put("missing", spec.missing().name().toLowerCase(Locale.ROOT));
        p.putPOJO("left_out_channels", match.extra());
        p.put("sample_rate", spec.sampleRate());
        p.put("tmin", spec.window().start() / spec.sampleRate());
        p.put("tmax", spec.window().end() / spec.sampleRate());
        p.putPOJO("baseline", new double[] {spec.window().baseFrom() / spec.sampleRate(),
            spec.window().baseTo() / spec.sampleRate()});
        p.put("reference", "average");
        p.put("reject_uV", spec.rejectVolts() * 1e6);
        p.put("epochs", ev.epochs());
        p.put("rejected", ev.rejected());
        p.put("incomplete", ev.incomplete());
        return new Result(ev, report, json.writerWithDefaultPrettyPrinter().writeValueAsString(p));
    }
}
