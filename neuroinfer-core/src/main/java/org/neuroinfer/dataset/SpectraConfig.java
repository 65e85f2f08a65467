package org.neuroinfer.dataset;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.model.sgm.SgmVariant;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;

/**
 * The experiment file of a data set of simulated SGM spectra ({@code sgm generate}). The spectra are grouped in
 * speed strata: stratum j has its own transmission speed, drawn uniformly within the j-th of {@code speeds} equal
 * slices of the speed range, and {@code spectra_per_speed} spectra whose other parameters are drawn uniformly from
 * their ranges. The Laplacian's eigen-decompositions depend only on the speed, so each stratum needs them once:
 * that is what makes 10⁵–10⁶ spectra cheap, and the speeds still cover their range continuously.
 *
 * @param model           always {@code sgm}
 * @param variant         the SGM formulation ({@link SgmVariant}), default {@code sgm2020}
 * @param connectome      the connectome folder (spectrome's raw files, prepared; or a prepared one)
 * @param freqMin         lowest frequency (Hz), default 2
 * @param freqMax         highest frequency (Hz), default 45
 * @param freqCount       frequencies, default 40 (numpy.linspace(freq_min, freq_max, freq_count))
 * @param output          {@code db} (20 log10 |x|, default) or {@code magnitude}
 * @param smooth          smooth along frequency first as the 2020 pipeline ([1, 2, 5, 2, 1] / 11), default false
 * @param parameters      per parameter [lower, upper] (uniform) or [value] (fixed); missing ones are fixed at
 *                        spectrome's defaults. Default: Spectrome-AI's five (τe, τi, α, speed, τC) over the 2020
 *                        box of the reference README, g_ei = 4 and g_ii = 1 fixed
 * @param speeds          speed strata, default 2304
 * @param spectraPerSpeed spectra per stratum, default 100 (2304 × 100 = 230,400, Spectrome-AI's size)
 * @param noiseDb         measurement-noise conditions: the SD in dB of Gaussian noise added to each dB value (the
 *                        magnitude multiplied by 10^(σz/20)); default [0] (none)
 * @param speedsPerShard  strata per shard file, default 40
 * @param seed            seed of every draw
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpectraConfig(
        @JsonProperty("model") String model,
        @JsonProperty("variant") String variant,
        @JsonProperty("connectome") String connectome,
        @JsonProperty("freq_min") Double freqMin,
        @JsonProperty("freq_max") Double freqMax,
        @JsonProperty("freq_count") Integer freqCount,
        @JsonProperty("output") String output,
        @JsonProperty("smooth") Boolean smooth,
        @JsonProperty("parameters") Map<String, List<Double>> parameters,
        @JsonProperty("speeds") Integer speeds,
        @JsonProperty("spectra_per_speed") Integer spectraPerSpeed,
        @JsonProperty("noise_db") List<Double> noiseDb,
        @JsonProperty("speeds_per_shard") Integer speedsPerShard,
        @JsonProperty("seed") Long seed) {

    /** Spectrome-AI's prior: the five predicted parameters over the 2020 box, the gains fixed. */
    public static final Map<String, List<Double>> SPECTROME_AI_PRIOR = spectromeAi();

    private static Map<String, List<Double>> spectromeAi() {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        m.put("tau_e", List.of(0.005, 0.020));
        m.put("tau_i", List.of(0.005, 0.020));
        m.put("alpha", List.of(0.1, 1.0));
        m.put("speed", List.of(5.0, 20.0));
        m.put("gei", List.of(4.0));
        m.put("gii", List.of(1.0));
        m.put("tauC", List.of(0.005, 0.020));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Every absent key replaced by its default; parameters in the model's order. */
    public SpectraConfig withDefaults() {
        Map<String, List<Double>> p = new LinkedHashMap<>();
        Map<String, List<Double>> given = parameters == null ? SPECTROME_AI_PRIOR : parameters;
        for (String name : given.keySet()) {
            if (!SgmParameters.NAMES.contains(name)) {
                throw new IllegalArgumentException("parameters: unknown SGM parameter '" + name + "'; valid: "
                        + String.join(", ", SgmParameters.NAMES));
            }
        }
        double[] defaults = SgmParameters.DEFAULTS.toArray();
        for (int i = 0; i < SgmParameters.NAMES.size(); i++) {
            String name = SgmParameters.NAMES.get(i);
            p.put(name, given.containsKey(name) ? given.get(name) : List.of(defaults[i]));
        }
        return new SpectraConfig(or(model, "sgm"), or(variant, "sgm2020"), connectome, or(freqMin, 2.0),
                or(freqMax, 45.0), or(freqCount, 40), or(output, "db"), or(smooth, false), p, or(speeds, 2304),
                or(spectraPerSpeed, 100), or(noiseDb, List.of(0.0)), or(speedsPerShard, 40), or(seed, 0L));
    }

    private static <T> T or(T v, T d) {
        return v == null ? d : v;
    }

    /** Checks what the types do not; errors name the key and the valid range. */
    public void validate() {
        if (!"sgm".equals(model)) {
            throw new IllegalArgumentException("model: '" + model + "'; an SGM spectra file has model: sgm");
        }
        SgmVariant.of(variant);
        if (connectome == null) {
            throw new IllegalArgumentException("connectome: give the folder with the connectome (e.g. spectrome's "
                    + "mean80_fibercount.csv and mean80_fiberlength.csv)");
        }
        if (!Files.exists(org.neuroinfer.io.InputFiles.local(Path.of(connectome)))) {
            throw new IllegalArgumentException("connectome: " + connectome + " does not exist");
        }
        if (!(freqMin > 0) || !(freqMax > freqMin) || freqMax.isInfinite() || freqCount < 2) {
            throw new IllegalArgumentException("freq_min, freq_max, freq_count: need 0 < freq_min < freq_max "
                    + "(finite) and freq_count >= 2; got " + freqMin + ", " + freqMax + ", " + freqCount);
        }
        if (!"db".equals(output) && !"magnitude".equals(output)) {
            throw new IllegalArgumentException("output: '" + output + "'; valid: db, magnitude");
        }
        for (Map.Entry<String, List<Double>> e : parameters.entrySet()) {
            List<Double> v = e.getValue();
            if (v == null || v.isEmpty() || v.size() > 2 || v.stream().anyMatch(x -> x == null || !(x > 0)
                    || x.isInfinite())) {
                throw new IllegalArgumentException("parameters." + e.getKey() + ": give [lower, upper] or [value], "
                        + "finite and > 0; got " + v);
            }
            if (v.size() == 2 && !(v.get(0) < v.get(1))) {
                throw new IllegalArgumentException("parameters." + e.getKey() + ": lower " + v.get(0)
                        + " must be below upper " + v.get(1));
            }
        }
        if (speeds < 1 || spectraPerSpeed < 1 || speedsPerShard < 1) {
            throw new IllegalArgumentException("speeds, spectra_per_speed and speeds_per_shard must be >= 1");
        }
        if ((long) speeds * spectraPerSpeed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("speeds x spectra_per_speed = " + (long) speeds * spectraPerSpeed
                    + " spectra; at most " + Integer.MAX_VALUE + " per condition");
        }
        if (noiseDb.isEmpty() || noiseDb.stream().anyMatch(x -> x == null || !(x >= 0) || x.isInfinite())) {
            throw new IllegalArgumentException("noise_db: give at least one finite noise level >= 0 dB (0: none)");
        }
    }

    /** Spectra per condition. */
    @JsonIgnore
    public int spectraPerCondition() {
        return speeds * spectraPerSpeed;
    }

    /** The frequency grid (Hz), as numpy.linspace. */
    @JsonIgnore
    public double[] frequencies() {
        double[] f = new double[freqCount];
        double step = (freqMax - freqMin) / (freqCount - 1);
        for (int i = 0; i < freqCount; i++) {
            f[i] = i * step + freqMin;
        }
        f[freqCount - 1] = freqMax;
        return f;
    }

    /** Whether parameter {@code name} is drawn (rather than fixed). */
    public boolean drawn(String name) {
        return parameters.get(name).size() == 2;
    }

    /**
     * The drawn parameters as a space (uniform priors over their ranges), for the prior support of inference; the
     * fixed ones are left out.
     */
    @JsonIgnore
    public ParameterSpace parameterSpace() {
        List<Parameter> ps = new ArrayList<>();
        double[] defaults = SgmParameters.DEFAULTS.toArray();
        for (int i = 0; i < SgmParameters.NAMES.size(); i++) {
            String name = SgmParameters.NAMES.get(i);
            List<Double> v = parameters.get(name);
            if (v.size() == 2) {
                double def = Math.min(Math.max(defaults[i], v.get(0)), v.get(1));
                ps.add(new Parameter(name, SgmParameters.UNITS.get(i), def, v.get(0), v.get(1), Prior.UNIFORM,
                        "SGM " + name));
            }
        }
        return new ParameterSpace(ps);
    }

    /** Reads and validates a YAML file; relative paths are resolved against its folder. */
    public static SpectraConfig read(Path file) throws IOException {
        SpectraConfig c = org.neuroinfer.io.YamlFiles.read(file, SpectraConfig.class);
        if (c == null) {
            c = org.neuroinfer.io.YamlFiles.of(java.util.Map.of(), SpectraConfig.class); // an empty file
        }
        Path dir = file.toAbsolutePath().getParent();
        SpectraConfig d = c.withDefaults();
        d = new SpectraConfig(d.model, d.variant, d.connectome == null ? null
                : dir.resolve(d.connectome).toAbsolutePath().normalize().toString(), d.freqMin, d.freqMax,
                d.freqCount, d.output, d.smooth, d.parameters, d.speeds, d.spectraPerSpeed, d.noiseDb,
                d.speedsPerShard, d.seed);
        try {
            d.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return d;
    }

    /**
     * SHA-256 of the canonical JSON (sorted keys) and of the connectome's files: the data set's identity. The
     * connectome's location does not count, its contents do.
     */
    public String hash() {
        try {
            SpectraConfig anonymous = new SpectraConfig(model, variant, null, freqMin, freqMax, freqCount, output,
                    smooth, parameters, speeds, spectraPerSpeed, noiseDb, speedsPerShard, seed);
            StringBuilder sb = new StringBuilder(JsonMapper.builder()
                    .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build().writeValueAsString(anonymous));
            Path named = Path.of(connectome);
            Path c = org.neuroinfer.io.InputFiles.local(named);
            boolean folder = Files.isDirectory(c);
            List<Path> files = folder ? Files.list(c).filter(Files::isRegularFile).sorted().toList() : List.of(c);
            for (Path f : files) {
                sb.append('\n').append(folder ? f.getFileName() : named.getFileName()).append(' ')
                        .append(org.neuroinfer.io.Checksums.sha256(f));
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
