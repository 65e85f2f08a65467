package org.neuroinfer.sensitivity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.neuroinfer.data.YamlFiles;

/**
 * A sensitivity analysis, read from YAML with snake_case keys; absent keys take the benchmark's values.
 *
 * @param analysis    one-at-a-time (the benchmark's sweeps)
 * @param convention  Jansen-Rit constants
 * @param parameters  parameters to sweep (default: all)
 * @param n           values per parameter (default 200)
 * @param range       relative (default ± span around the default) or prior
 * @param span        relative half-width (default 0.5: ±50 %)
 * @param signal      channel (default), gfp (global field power) or source
 * @param channel     EEG channel for signal: channel (default O2, as the benchmark)
 * @param noiseFactor sensor-noise factor of the EEG (default 0)
 * @param seed        seed of the sensor noise
 */
public record SensitivityConfig(
        @JsonProperty("analysis") String analysis,
        @JsonProperty("convention") String convention,
        @JsonProperty("parameters") List<String> parameters,
        @JsonProperty("n") Integer n,
        @JsonProperty("range") String range,
        @JsonProperty("span") Double span,
        @JsonProperty("signal") String signal,
        @JsonProperty("channel") String channel,
        @JsonProperty("noise_factor") Double noiseFactor,
        @JsonProperty("seed") Long seed) {

    /** Reads a YAML file; errors name the file, line and key. */
    public static SensitivityConfig read(Path file) throws IOException {
        SensitivityConfig c = YamlFiles.read(file, SensitivityConfig.class);
        if (c == null) {
            c = new SensitivityConfig(null, null, null, null, null, null, null, null, null, null);
        }
        SensitivityConfig d = new SensitivityConfig(or(c.analysis, "one-at-a-time"), or(c.convention, "deepjr"),
                c.parameters, or(c.n, 200), or(c.range, "relative"), or(c.span, 0.5), or(c.signal, "channel"),
                or(c.channel, "O2"), or(c.noiseFactor, 0.0), or(c.seed, 0L));
        if (!"one-at-a-time".equals(d.analysis)) {
            throw new IllegalArgumentException(file + ": analysis '" + d.analysis + "'; valid: one-at-a-time "
                    + "(Morris and Sobol indices are not available yet)");
        }
        if (!List.of("channel", "gfp", "source").contains(d.signal)) {
            throw new IllegalArgumentException(file + ": signal '" + d.signal + "'; valid: channel, gfp, source");
        }
        if (!List.of("relative", "prior").contains(d.range)) {
            throw new IllegalArgumentException(file + ": range '" + d.range + "'; valid: relative, prior");
        }
        if (d.n < 2) {
            throw new IllegalArgumentException(file + ": n must be >= 2, got " + d.n);
        }
        return d;
    }

    private static <T> T or(T v, T d) {
        return v == null ? d : v;
    }
}
