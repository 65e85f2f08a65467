package org.neuroinfer.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Part;
import org.neuroinfer.io.StageStamp;

/**
 * The index of a data set: its configuration and hash, array layout and names, and every finished shard with its
 * checksum. It holds no timestamps, so an interrupted and resumed run ends with the same bytes as one without a
 * break.
 *
 * @param format         always {@code neuroinfer-dataset}
 * @param formatVersion  layout version (1)
 * @param configSha256   SHA-256 of the canonical configuration
 * @param config         the configuration with defaults filled in: a {@link GenerationConfig} for EEG data sets, a
 *                       {@link SpectraConfig} for SGM spectra (its {@code model} is {@code sgm})
 * @param paramNames     names of the columns of y
 * @param paramUnits     their units
 * @param channelNames   names of the channels (X's second axis)
 * @param xShape         shape of X per shard, the first entry being the shard's count
 * @param shards         finished shards in plan order
 * @param complete       whether every planned shard is present
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record Manifest(
        @JsonProperty("format") String format,
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("config_sha256") String configSha256,
        @JsonProperty("config") com.fasterxml.jackson.databind.JsonNode config,
        @JsonProperty("param_names") List<String> paramNames,
        @JsonProperty("param_units") List<String> paramUnits,
        @JsonProperty("channel_names") List<String> channelNames,
        @JsonProperty("x_shape") List<String> xShape,
        @JsonProperty("shards") List<Shard> shards,
        @JsonProperty("complete") boolean complete) {

    /** File name of the manifest inside a data-set folder. */
    public static final String FILE = "manifest.json";

    /**
     * One shard file.
     *
     * @param file         path relative to the data-set folder
     * @param condition    index of the noise condition
     * @param noiseFactor  the condition's noise factor (null for an SNR condition)
     * @param snrDb        the condition's target SNR in dB (null for a noise-factor condition)
     * @param first        index of its first recording within the condition
     * @param count        recordings in the shard
     * @param sha256       checksum of the file
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Shard(@JsonProperty("file") String file, @JsonProperty("condition") int condition,
                        @JsonProperty("noise_factor") Double noiseFactor, @JsonProperty("snr_db") Double snrDb,
                        @JsonProperty("first") int first,
                        @JsonProperty("count") int count, @JsonProperty("sha256") String sha256) {
        /** This (planned) shard with the checksum {@code sum}. */
        public Shard withSha256(String sum) {
            return new Shard(file, condition, noiseFactor, snrDb, first, count, sum);
        }

        /**
         * The shards of {@code plan} with the checksums {@code sha256}, in plan order.
         *
         * @throws IllegalArgumentException when the counts differ
         */
        public static List<Shard> withSha256(List<Shard> plan, List<String> sha256) {
            if (sha256.size() != plan.size()) {
                throw new IllegalArgumentException(sha256.size() + " checksums for " + plan.size() + " shards");
            }
            List<Shard> out = new java.util.ArrayList<>(plan.size());
            for (int i = 0; i < plan.size(); i++) {
                out.add(plan.get(i).withSha256(sha256.get(i)));
            }
            return out;
        }
    }

    /** Whether this is a data set of SGM spectra rather than EEG recordings. */
    public boolean spectra() {
        return config != null && "sgm".equals(config.path("model").asText());
    }

    /** Whether its shards hold the model's evoked responses, from which X is rebuilt ({@code store: source}). */
    public boolean storesSource() {
        return config != null && !spectra() && GenerationConfig.STORE_SOURCE.equals(config.path("store").asText());
    }

    /** The configuration of an EEG data set. */
    public GenerationConfig generationConfig() {
        if (spectra()) {
            throw new IllegalArgumentException("this is a data set of SGM spectra, not EEG recordings");
        }
        return mapper().convertValue(config, GenerationConfig.class);
    }

    /** The configuration of an SGM spectra data set. */
    public SpectraConfig spectraConfig() {
        if (!spectra()) {
            throw new IllegalArgumentException("this is a data set of EEG recordings, not SGM spectra");
        }
        return mapper().convertValue(config, SpectraConfig.class);
    }

    /** A configuration as the manifest stores it. */
    static com.fasterxml.jackson.databind.JsonNode tree(Object config) {
        return mapper().valueToTree(config);
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * Prepares {@code dir} for generating the data set whose configuration is {@code config} (hash {@code hash}):
     * the shards a manifest of the same configuration lists are returned to be kept; a data set of another
     * configuration, or one whose manifest is damaged, is refused naming what changed (or the damage), or with
     * {@code force} removed with every shard in {@code shards/}, listed or not. Shards the manifest does not list
     * and half-written {@code .part} files, left by a killed run, are removed.
     *
     * @throws IllegalArgumentException without {@code force}, for another configuration or a damaged manifest
     */
    public static Map<String, Shard> resume(Path dir, String hash, JsonNode config, boolean force)
            throws IOException {
        return resume(dir, hash, config, force, false);
    }

    /**
     * As {@link #resume(Path, String, JsonNode, boolean)}; for a {@link Part} ({@code part} true) nothing is deleted
     * (other parts may be writing into the folder) and {@code --force} is refused.
     */
    public static Map<String, Shard> resume(Path dir, String hash, JsonNode config, boolean force, boolean part)
            throws IOException {
        if (part) {
            Part.refuseForce(force, dir);
        }
        Path shards = dir.resolve("shards");
        Map<String, Shard> keep = new TreeMap<>();
        String why = null;
        if (Files.exists(dir.resolve(FILE))) {
            try {
                Manifest old = read(dir);
                if (!hash.equals(old.configSha256())) {
                    List<String> d = StageStamp.differences(old.config(), config);
                    why = "it holds a data set of another configuration (" + (d.isEmpty() ? "same settings, other "
                            + "format" : String.join("; ", d)) + ")";
                } else {
                    old.shards().forEach(sh -> keep.put(sh.file(), sh));
                }
            } catch (IOException e) {
                why = "its " + FILE + " is damaged (" + e.getMessage().lines().findFirst().orElse("") + "), so its "
                        + "shards cannot be checked";
            }
        }
        if (why != null) {
            if (part) {
                throw new IllegalArgumentException(dir + ": " + why + "; a part never replaces it: choose another --out"
                        + " or remove it");
            }
            if (!force) {
                throw new IllegalArgumentException(dir + ": " + why + "; pass --force to generate it again, or "
                        + "choose another --out");
            }
            AtomicFiles.deleteTree(shards);
            Files.deleteIfExists(dir.resolve(FILE));
        }
        Files.createDirectories(shards);
        if (part) {
            return keep;
        }
        try (Stream<Path> files = Files.list(shards)) {
            for (Path f : files.toList()) {
                String rel = "shards/" + f.getFileName();
                if (!keep.containsKey(rel) && Files.isRegularFile(f) && !Part.keptForFinalRun(f, hash)) {
                    Files.delete(f); // half-written, or finished after the manifest was last written: remade
                }
            }
        }
        return keep;
    }

    /** Reads {@code dir/manifest.json}. */
    public static Manifest read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        Manifest m;
        try {
            m = mapper().readValue(f.toFile(), Manifest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(f + ": not a neuroinfer data-set manifest: " + e.getOriginalMessage(), e);
        }
        if (m == null || !"neuroinfer-dataset".equals(m.format()) || m.configSha256() == null
                || !m.configSha256().matches("[0-9a-f]{64}") || m.config() == null || m.shards() == null
                || m.xShape() == null || m.xShape().size() != 3 || m.paramNames() == null || m.channelNames() == null) {
            throw new IOException(f + ": not a complete neuroinfer data-set manifest (format, config_sha256, config, "
                    + "shards, x_shape, param_names and channel_names are required)");
        }
        return m;
    }

    /** Writes {@code dir/manifest.json} atomically. */
    public void write(Path dir) throws IOException {
        byte[] json = (mapper().writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(FILE), true, out -> out.write(json));
    }
}
