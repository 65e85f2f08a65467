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
     * @param channelNames channel names (may be empty)
     * @param mean         per-channel mean (after decimation) of the training split
     * @param sd           per-channel standard deviation of the training split
     */
    public record InputSpec(@JsonProperty("channels") int channels, @JsonProperty("raw_times") int rawTimes,
                            @JsonProperty("decimate") int decimate,
                            @JsonProperty("channel_names") List<String> channelNames,
                            @JsonProperty("mean") double[] mean, @JsonProperty("sd") double[] sd) {
        /** Samples per channel the network sees. */
        public int times() {
            return rawTimes / decimate;
        }

        /**
         * Recordings {@code from} to {@code to - 1} of {@code rec} [n][channels][samples], checked against this
         * shape and decimated as the model reads them, one after another.
         *
         * @param reader what reads them, for the message ("the estimator reads", "the simulator makes")
         * @throws IllegalArgumentException for a recording of another shape or with NaN or Inf
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
            }
            return x;
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
