package org.neuroinfer.dataset;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.neuroinfer.io.InputFiles;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;

/**
 * A data-set experiment: model, prior, protocol, observation, noise conditions and sizes. Read from YAML with
 * snake_case keys; every key is optional and takes the benchmark's value when absent.
 *
 * @param model                    model name (jansen-rit)
 * @param convention               Jansen-Rit constants (deepjr, classic_mV, textbook)
 * @param prior                    prior family (truncated-normal, seed-normal, uniform, log-uniform)
 * @param method                   integration scheme (euler, heun, rk4)
 * @param dt                       integration step in seconds
 * @param duration                 simulated seconds of the protocol
 * @param montage                  electrode montage of the built-in head
 * @param sourceScale              dipole moment per unit of model output (A·m)
 * @param noiseFactors             sensor-noise conditions, factors of the ad-hoc noise variance
 * @param recordingsPerCondition   recordings drawn per noise condition
 * @param shardSize                recordings per shard file (bounds memory)
 * @param seed                     seed of every random draw
 * @param onDivergence             fail, or nan (diverged recordings are kept as NaN and flagged)
 * @param leadfield                a user's lead field (.npy with {@code leadfieldChannels}, or .csv); null for the
 *                                 built-in head
 * @param leadfieldChannels        channel names of an .npy lead field, one per line
 * @param sources                  lead-field columns summed into the region's topography
 * @param averageReference         apply the average reference
 * @param noiseCovariance          a user's sensor-noise covariance (.npy, channels x channels, V^2); null for MNE's
 *                                 ad-hoc diagonal
 * @param backgroundRms            RMS (V) of realistic background EEG added to every recording (0: none)
 * @param backgroundBeta           its spectral exponent (1/f^beta)
 * @param backgroundAlphaFraction  fraction of its variance in the 10-Hz alpha rhythm
 * @param backgroundSources        number of its latent cortical sources
 * @param design                   placement of the parameter sets: random, latin-hypercube (per condition) or sobol
 * @param snrDb                    conditions given as target SNRs in dB instead of noise factors: each recording's
 *                                 factor is solved from its own clean power
 * @param precision                float64 (the reference; absent means it) or float32 (opt-in, forward Euler
 *                                 only: twice the SIMD lanes)
 * @param store                    what a shard holds: eeg (the recordings X; absent means it) or source (the
 *                                 model's evoked response, 1/64 of the size at 64 channels, from which every
 *                                 neuroinfer reader rebuilds X bit for bit, its sensor noise drawn again from the seed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerationConfig(
        @JsonProperty("model") String model,
        @JsonProperty("convention") String convention,
        @JsonProperty("prior") String prior,
        @JsonProperty("method") String method,
        @JsonProperty("dt") Double dt,
        @JsonProperty("duration") Double duration,
        @JsonProperty("montage") String montage,
        @JsonProperty("source_scale") Double sourceScale,
        @JsonProperty("noise_factors") List<Double> noiseFactors,
        @JsonProperty("recordings_per_condition") Integer recordingsPerCondition,
        @JsonProperty("shard_size") Integer shardSize,
        @JsonProperty("seed") Long seed,
        @JsonProperty("on_divergence") String onDivergence,
        @JsonProperty("leadfield") String leadfield,
        @JsonProperty("leadfield_channels") String leadfieldChannels,
        @JsonProperty("sources") List<Integer> sources,
        @JsonProperty("average_reference") Boolean averageReference,
        @JsonProperty("noise_covariance") String noiseCovariance,
        @JsonProperty("snr_db") List<Double> snrDb,
        @JsonProperty("design") String design,
        @JsonProperty("background_rms") Double backgroundRms,
        @JsonProperty("background_beta") Double backgroundBeta,
        @JsonProperty("background_alpha_fraction") Double backgroundAlphaFraction,
        @JsonProperty("background_sources") Integer backgroundSources,
        @JsonProperty("precision") String precision,
        @JsonProperty("store") String store) {

    /** The benchmark's conditions: no noise, then factors 0.1 .. 1.0. */
    public static final List<Double> BENCHMARK_FACTORS = List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
            1.0);

    /** Number of noise conditions (noise factors or target SNRs). */
    @JsonIgnore
    public int conditions() {
        return snrDb != null ? snrDb.size() : noiseFactors.size();
    }

    /** Recordings in the data set: every condition's. */
    @JsonIgnore
    public long recordings() {
        return (long) conditions() * recordingsPerCondition();
    }

    /** {@link #store()}: shards hold the recordings X. */
    public static final String STORE_EEG = "eeg";
    /** {@link #store()}: shards hold the model's evoked response; readers rebuild X. */
    public static final String STORE_SOURCE = "source";

    /** Whether shards hold the model's evoked response instead of X. */
    @JsonIgnore
    public boolean storesSource() {
        return STORE_SOURCE.equals(store);
    }

    /** Every absent key replaced by its default. */
    public GenerationConfig withDefaults() {
        return new GenerationConfig(or(model, "jansen-rit"), or(convention, "deepjr"), or(prior, "truncated-normal"),
                or(method, "euler"), or(dt, 0.001), or(duration, 61.0), or(montage, "biosemi64"),
                or(sourceScale, 1e-6), snrDb == null ? or(noiseFactors, BENCHMARK_FACTORS) : noiseFactors,
                or(recordingsPerCondition, 1000),
                or(shardSize, 500), or(seed, 0L), or(onDivergence, "fail"), leadfield, leadfieldChannels,
                or(sources, List.of(0)), or(averageReference, true), noiseCovariance, snrDb, or(design, "random"),
                or(backgroundRms, 0.0), or(backgroundBeta, 1.0), or(backgroundAlphaFraction, 0.3),
                or(backgroundSources, 10), "float64".equals(precision) ? null : precision,
                STORE_EEG.equals(store) ? null : store);
    }

    /** The same configuration with relative file names resolved against {@code dir}. */
    GenerationConfig resolvedAgainst(Path dir) {
        return new GenerationConfig(model, convention, prior, method, dt, duration, montage, sourceScale,
                noiseFactors, recordingsPerCondition, shardSize, seed, onDivergence, resolve(dir, leadfield),
                resolve(dir, leadfieldChannels), sources, averageReference, resolve(dir, noiseCovariance), snrDb,
                design, backgroundRms, backgroundBeta, backgroundAlphaFraction, backgroundSources, precision, store);
    }

    private static String resolve(Path dir, String file) {
        return file == null ? null : dir.resolve(file).toAbsolutePath().normalize().toString();
    }

    private static <T> T or(T v, T d) {
        return v == null ? d : v;
    }

    /** Checks values that the types do not; errors name the key and the valid range. */
    public void validate() {
        if (!"jansen-rit".equals(model)) {
            throw new IllegalArgumentException("model: unknown model '" + model + "'; valid: jansen-rit");
        }
        try {
            org.neuroinfer.model.jansenrit.Convention.of(convention);
            org.neuroinfer.param.Prior.named(prior);
            org.neuroinfer.integrate.Scheme.of(method);
            org.neuroinfer.observe.head.Montage.named(montage);
            org.neuroinfer.param.Design.of(design);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("convention, prior, method, montage or design: " + e.getMessage(), e);
        }
        if (store != null && !STORE_EEG.equals(store) && !STORE_SOURCE.equals(store)) {
            throw new IllegalArgumentException("store: unknown '" + store + "'; valid: eeg (the recordings X, the "
                    + "default) or source (the model's evoked response, X rebuilt when read)");
        }
        if (org.neuroinfer.integrate.Precision.of(precision) == org.neuroinfer.integrate.Precision.FLOAT32
                && !"euler".equals(method)) {
            throw new IllegalArgumentException("precision: float32 integrates with method euler only, got method "
                    + method);
        }
        if (!(dt > 0) || !(duration > 0) || !(sourceScale > 0) || dt.isInfinite() || duration.isInfinite()
                || sourceScale.isInfinite()) {
            throw new IllegalArgumentException("dt, duration and source_scale must be positive finite numbers");
        }
        if (snrDb != null) {
            if (noiseFactors != null) {
                throw new IllegalArgumentException("give noise_factors or snr_db, not both");
            }
            if (snrDb.isEmpty() || snrDb.stream().anyMatch(v -> v == null || !Double.isFinite(v))) {
                throw new IllegalArgumentException("snr_db: give at least one finite SNR in dB");
            }
        } else {
            if (noiseFactors.isEmpty()) {
                throw new IllegalArgumentException("noise_factors: give at least one factor (0 for no noise)");
            }
            for (Double f : noiseFactors) {
                if (f == null || !(f >= 0) || f.isInfinite()) {
                    throw new IllegalArgumentException("noise_factors: every factor must be a finite number >= 0, "
                            + "got " + f);
                }
            }
        }
        if (recordingsPerCondition < 1 || shardSize < 1) {
            throw new IllegalArgumentException("recordings_per_condition and shard_size must be >= 1");
        }
        for (String f : new String[] {leadfield, leadfieldChannels, noiseCovariance}) {
            if (f != null && !java.nio.file.Files.isRegularFile(InputFiles.local(Path.of(f)))) {
                throw new IllegalArgumentException("file " + f + " (leadfield, leadfield_channels or "
                        + "noise_covariance) does not exist");
            }
        }
        if (sources.isEmpty() || sources.stream().anyMatch(j -> j == null || j < 0)) {
            throw new IllegalArgumentException("sources: give lead-field column indices >= 0");
        }
        if (backgroundRms > 0) {
            if (leadfield != null) {
                throw new IllegalArgumentException("background_rms: realistic background EEG needs the built-in head "
                        + "(no leadfield)");
            }
            if (snrDb != null) {
                throw new IllegalArgumentException("background_rms cannot be combined with snr_db yet; use "
                        + "noise_factors");
            }
        }
        if (!(backgroundRms >= 0) || !(backgroundBeta > 0 && backgroundBeta < 2)
                || !(backgroundAlphaFraction >= 0 && backgroundAlphaFraction <= 1) || backgroundSources < 1) {
            throw new IllegalArgumentException("background: background_rms >= 0 V, 0 < background_beta < 2, "
                    + "background_alpha_fraction in [0, 1], background_sources >= 1");
        }
        if (!"fail".equals(onDivergence) && !"nan".equals(onDivergence)) {
            throw new IllegalArgumentException("on_divergence: '" + onDivergence + "'; valid: fail, nan");
        }
    }

    /** The files this experiment names (lead field, channel names, noise covariance), for a cluster to ship. */
    @JsonIgnore
    public List<Path> inputFiles() {
        return java.util.stream.Stream.of(leadfield, leadfieldChannels, noiseCovariance)
                .filter(java.util.Objects::nonNull).map(Path::of).toList();
    }

    /** The parameters drawn: the model's ranges with this file's prior. */
    @JsonIgnore
    public ParameterSpace parameterSpace() {
        return new JansenRit(Convention.of(convention())).parameterSpace().withPrior(Prior.named(prior()));
    }

    /**
     * The experiment of the settings {@code values}, keyed as in the YAML file (e.g. {@code duration},
     * {@code noise_factors}), the rest at their defaults; validated.
     */
    public static GenerationConfig of(Map<String, ?> values) {
        GenerationConfig d = org.neuroinfer.io.YamlFiles.of(values, GenerationConfig.class).withDefaults();
        d.validate();
        return d;
    }

    /** Reads and validates a YAML experiment file; errors name the file, the line and the key. */
    public static GenerationConfig read(Path file) throws IOException {
        GenerationConfig c = org.neuroinfer.io.YamlFiles.read(file, GenerationConfig.class);
        if (c == null) { // an empty file: every default
            c = org.neuroinfer.io.YamlFiles.of(Map.of(), GenerationConfig.class);
        }
        Path parent = file.toAbsolutePath().getParent();
        GenerationConfig d = c.withDefaults().resolvedAgainst(parent);
        d.validate();
        return d;
    }

    /**
     * The experiment of a {@link #canonicalJson()} text, as a worker of a cluster receives it: the same settings and
     * {@link #hash()}.
     */
    public static GenerationConfig ofJson(String json) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
            return of(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not an experiment's canonical JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The canonical JSON form (sorted keys), whose SHA-256 identifies the data set. */
    public String canonicalJson() {
        try {
            return JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build().writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SHA-256 of {@link #canonicalJson()} and of the contents of the files it names (lead field, channel names,
     * noise covariance), hex: a file changed in place makes another data set.
     */
    public String hash() {
        try {
            StringBuilder sb = new StringBuilder(canonicalJson());
            for (String f : new String[] {leadfield, leadfieldChannels, noiseCovariance}) {
                if (f != null) {
                    sb.append('\n').append(org.neuroinfer.io.Checksums.sha256(InputFiles.local(Path.of(f))));
                }
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
