package org.neuroinfer.learn.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.learn.nn.NetworkSpec;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.recording.ChannelMatch;
import org.neuroinfer.recording.LabelledRecordings;
import org.neuroinfer.recording.RecordingLayout;
import org.neuroinfer.recording.Units;

/**
 * {@code model.json}, everything about a saved inverse model except its weights: what it reads, what it returns,
 * how it normalises, how it was made (Tribuo-style provenance) and the format version, so a model can be checked
 * against the data it is given and old model files stay readable.
 *
 * @param format        always {@code neuroinfer-model}
 * @param formatVersion layout version ({@link #FORMAT_VERSION})
 * @param network       the architecture
 * @param input         the input it reads and its normalisation
 * @param targets       the parameters it returns and their normalisation
 * @param training      the training configuration
 * @param provenance    how and from what it was made
 * @param weightsSha256 SHA-256 of {@code weights.npz}
 * @param fingerprint   the network's outputs on a fixed probe input when saved (absent in older files)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(@JsonProperty("format") String format,
                        @JsonProperty("format_version") int formatVersion,
                        @JsonProperty("network") NetworkSpec network,
                        @JsonProperty("input") InputSpec input,
                        @JsonProperty("targets") TargetSpec targets,
                        @JsonProperty("training") TrainingConfig training,
                        @JsonProperty("provenance") Provenance provenance,
                        @JsonProperty("weights_sha256") String weightsSha256,
                        @JsonProperty("fingerprint") Fingerprint fingerprint) {

    /** The format name. */
    public static final String FORMAT = "neuroinfer-model";
    /** The newest layout this version writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** File name inside a model folder. */
    public static final String FILE = "model.json";

    /**
     * What the model reads.
     *
     * @param channels     channels per recording
     * @param rawTimes     samples per channel before decimation
     * @param decimate     block-mean decimation factor
     * @param channelNames channel names (empty in models saved before 0.9)
     * @param mean         per-channel mean (after decimation) of the training split
     * @param sd           per-channel standard deviation of the training split
     * @param sampleRate   samples per second before decimation (absent in older models)
     * @param start        time of the first sample from the event, s (absent in older models)
     * @param unit         unit of the values (absent in older models, which read volts)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputSpec(@JsonProperty("channels") int channels, @JsonProperty("raw_times") int rawTimes,
                            @JsonProperty("decimate") int decimate,
                            @JsonProperty("channel_names") List<String> channelNames,
                            @JsonProperty("mean") double[] mean, @JsonProperty("sd") double[] sd,
                            @JsonProperty("sample_rate") Double sampleRate, @JsonProperty("start") Double start,
                            @JsonProperty("unit") String unit) {
        /** Recordings whose rate, start and unit are not known, read as they come. */
        public InputSpec(int channels, int rawTimes, int decimate, List<String> channelNames, double[] mean,
                         double[] sd) {
            this(channels, rawTimes, decimate, channelNames, mean, sd, null, null, null);
        }

        /** Largest ratio of a recording's amplitude to the training data's before it is refused as mis-scaled. */
        public static final double AMPLITUDE_LIMIT = 300;

        /** Samples per channel the network sees. */
        public int times() {
            return rawTimes / decimate;
        }

        /** The layout of the recordings the model reads, as far as its file knows it. */
        public RecordingLayout layout() {
            return new RecordingLayout(channelNames == null ? List.of() : channelNames,
                    sampleRate == null ? Double.NaN : sampleRate, start == null ? Double.NaN : start, unit);
        }

        /**
         * {@code rec}'s recordings as this model reads them: channels put in the model's order by name, values in
         * the model's unit; refused when their rate or start differ from the model's, when a channel is missing, or
         * when their layout is not known — unless {@code assumeLayout} says a bare array is already in the model's
         * layout.
         *
         * @param source the file, for messages
         * @throws IllegalArgumentException naming the file and what does not fit
         */
        public float[][][] conform(LabelledRecordings rec, String source, boolean assumeLayout) {
            RecordingLayout have = rec.layout();
            RecordingLayout want = layout();
            List<String> unknown = new java.util.ArrayList<>();
            if (have.channelNames().isEmpty()) {
                unknown.add("channel names");
            }
            if (Double.isNaN(have.sampleRate())) {
                unknown.add("sampling rate");
            }
            if (have.unit() == null) {
                unknown.add("unit");
            }
            if (!unknown.isEmpty() && !assumeLayout) {
                throw new IllegalArgumentException("--input: " + source + " does not say its " + String.join(", ",
                        unknown) + ". Prepare a recording with the evoked command, which writes them; or, if this "
                        + "array is already what the model reads (" + want.describe(rawTimes).replace("unit unknown",
                        "volts") + ", in that channel order), say so with --assume-layout");
            }
            double toModel = have.unit() == null ? 1 : Units.voltsPer(have.unit(), "--input: " + source + " (its "
                    + "unit)") / Units.voltsPer(unit == null ? "V" : unit, "the model's unit");
            float[][][] x = rec.scaled(toModel);
            if (!have.channelNames().isEmpty() && !want.channelNames().isEmpty()) {
                ChannelMatch m = ChannelMatch.of(have.channelNames(), want.channelNames());
                if (!m.complete()) {
                    throw new IllegalArgumentException("--input: " + source + " lacks the model's channel(s) "
                            + m.missing() + "; it has " + have.channelNames());
                }
                x = reorder(x, m.source());
            }
            if (!Double.isNaN(have.sampleRate()) && sampleRate != null
                    && Math.abs(have.sampleRate() - sampleRate) > 1e-6 * sampleRate) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "--input: %s is sampled at "
                        + "%.6g Hz; the model reads %.6g Hz (prepare it with: neuroinfer evoked --sfreq %.6g)", source,
                        have.sampleRate(), sampleRate, sampleRate));
            }
            if (!Double.isNaN(have.start()) && start != null && sampleRate != null
                    && Math.abs(have.start() - start) > 0.5 / sampleRate) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "--input: %s starts at "
                        + "%.6g s from the event; the model's window starts at %.6g s", source, have.start(), start));
            }
            return x;
        }

        private static float[][][] reorder(float[][][] x, int[] source) {
            float[][][] y = new float[x.length][source.length][];
            for (int i = 0; i < x.length; i++) {
                for (int c = 0; c < source.length; c++) {
                    y[i][c] = x[i][source[c]];
                }
            }
            return y;
        }

        /**
         * Recordings {@code from} to {@code to - 1} of {@code rec} [n][channels][samples], checked against this
         * shape and decimated as the model reads them, one after another. When the training data's spread is known,
         * a recording whose typical channel spread is more than {@link #AMPLITUDE_LIMIT} times it is refused: it is
         * in another unit or not what the model was trained on.
         *
         * @param reader what reads them, for the message ("the estimator reads", "the simulator makes")
         * @throws IllegalArgumentException for a recording of another shape, with NaN or Inf, or mis-scaled
         */
        public float[] decimated(float[][][] rec, int from, int to, String reader) {
            int len = channels * times();
            float[] x = new float[(to - from) * len];
            for (int i = from; i < to; i++) {
                if (rec[i].length != channels || rec[i][0].length != rawTimes) {
                    throw new IllegalArgumentException("--input: recording " + i + " is " + rec[i].length
                            + " channels x " + rec[i][0].length + " samples; " + reader + " " + channels + " x "
                            + rawTimes);
                }
                if (!org.neuroinfer.learn.recordings.RecordingSet.decimateInto(rec[i], decimate, times(), x,
                        (i - from) * len)) {
                    throw new IllegalArgumentException("--input: recording " + i + " holds NaN or Inf");
                }
                double ratio = amplitudeRatio(x, (i - from) * len);
                if (ratio > AMPLITUDE_LIMIT) {
                    throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "--input: recording %d "
                            + "is %.3g times as large as the data the model was trained on (median over channels of "
                            + "its standard deviation over theirs; more than %.0f is refused): values in uV or mV "
                            + "read as %s?", i, ratio, AMPLITUDE_LIMIT, unit == null ? "V" : unit));
                }
            }
            return x;
        }

        /** Median over channels of the recording's spread at {@code at} over the training data's, NaN if unknown. */
        private double amplitudeRatio(float[] x, int at) {
            if (sd == null || sd.length != channels) {
                return Double.NaN;
            }
            int t = times();
            double[] r = new double[channels];
            for (int c = 0; c < channels; c++) {
                double m = 0;
                for (int k = 0; k < t; k++) {
                    m += x[at + c * t + k];
                }
                m /= t;
                double ss = 0;
                for (int k = 0; k < t; k++) {
                    double d = x[at + c * t + k] - m;
                    ss += d * d;
                }
                r[c] = Math.sqrt(ss / Math.max(1, t - 1)) / sd[c];
            }
            java.util.Arrays.sort(r);
            return r[channels / 2];
        }
    }

    /**
     * What the model returns.
     *
     * @param names parameter names
     * @param units their units
     * @param mean  per-parameter mean of the training split
     * @param sd    per-parameter standard deviation of the training split
     */
    public record TargetSpec(@JsonProperty("names") List<String> names, @JsonProperty("units") List<String> units,
                             @JsonProperty("mean") double[] mean, @JsonProperty("sd") double[] sd) {
    }

    /**
     * How the model was made.
     *
     * @param neuroinferVersion version that trained it
     * @param datasetSha256     configuration hash of the training data set
     * @param conditions        noise conditions it learned from
     * @param seed              training seed
     * @param rows              training, validation and test rows
     * @param epochs            epochs run
     * @param bestEpoch         epoch whose weights were kept (from 1)
     * @param bestValidation    validation loss at that epoch
     * @param seconds           training wall time
     * @param engine            deep-learning engine and version
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provenance(@JsonProperty("neuroinfer_version") String neuroinferVersion,
                             @JsonProperty("dataset_sha256") String datasetSha256,
                             @JsonProperty("conditions") List<Double> conditions,
                             @JsonProperty("seed") long seed,
                             @JsonProperty("rows") int[] rows,
                             @JsonProperty("epochs") int epochs,
                             @JsonProperty("best_epoch") int bestEpoch,
                             @JsonProperty("best_validation") double bestValidation,
                             @JsonProperty("seconds") double seconds,
                             @JsonProperty("engine") String engine) {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Writes {@code dir/model.json} atomically. */
    public void write(Path dir) throws IOException {
        write(dir, this);
    }

    /**
     * Reads {@code dir/model.json}, refusing a file that is not a neuroinfer model or is newer than this version.
     */
    public static ModelCard read(Path dir) throws IOException {
        ModelCard c = read(dir, ModelCard.class, FORMAT, FORMAT_VERSION, ModelCard::format, ModelCard::formatVersion);
        if (c.input() == null || c.targets() == null || c.network() == null) {
            throw new IOException(dir.resolve(FILE) + ": incomplete model file (input, targets and network are "
                    + "required)");
        }
        return c;
    }

    /**
     * Reads the card {@code dir/model.json} of type {@code type}, refusing a file of another format or a newer
     * version than {@code newest}.
     */
    public static <T> T read(Path dir, Class<T> type, String format, int newest, Function<T, String> formatOf,
                             ToIntFunction<T> versionOf) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            throw new IOException(dir + " is not a neuroinfer model (no " + FILE + ")");
        }
        T c;
        try {
            c = mapper().readValue(f.toFile(), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(f + ": not a readable neuroinfer model file: "
                    + org.neuroinfer.io.JsonErrors.describe(e), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(f + ": not a readable neuroinfer model file (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")", e);
        }
        if (!format.equals(formatOf.apply(c))) {
            throw new IOException(f + ": format is '" + formatOf.apply(c) + "', not " + format);
        }
        int v = versionOf.applyAsInt(c);
        if (v < 1 || v > newest) {
            throw new IOException(f + ": format version " + v + " is not one this neuroinfer reads (1.." + newest
                    + "); use a newer neuroinfer");
        }
        return c;
    }

    /** Writes {@code card} as {@code dir/model.json} atomically. */
    public static void write(Path dir, Object card) throws IOException {
        byte[] json = mapper().writeValueAsString(card).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(FILE), true, out -> out.write(json));
    }
}
