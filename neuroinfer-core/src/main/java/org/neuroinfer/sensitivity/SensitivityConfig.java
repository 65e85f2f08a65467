package org.neuroinfer.sensitivity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.neuroinfer.io.YamlFiles;

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
 * @param seed        seed of the sensor noise and the bootstrap
 * @param baseSamples Sobol base samples n (default 1024): n (k + 2) simulations
 * @param trajectories Morris trajectories r (default 50): r (k + 1) simulations
 * @param levels      Morris grid levels (default 4)
 * @param bootstrap   bootstrap resamples of the Sobol indices (default 200)
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
        @JsonProperty("seed") Long seed,
        @JsonProperty("base_samples") Integer baseSamples,
        @JsonProperty("trajectories") Integer trajectories,
        @JsonProperty("levels") Integer levels,
        @JsonProperty("bootstrap") Integer bootstrap) {

    /** Reads a YAML file; errors name the file, line and key. */
    public static SensitivityConfig read(Path file) throws IOException {
        return withDefaults(YamlFiles.read(file, SensitivityConfig.class), file.toString(), "deepjr");
    }

    /**
     * The analysis {@code c} (null: every default) with absent keys filled in and every key checked; errors begin
     * with {@code where} (a file name or a section of a larger file).
     *
     * @param convention the convention when {@code c} names none
     */
    public static SensitivityConfig withDefaults(SensitivityConfig c, String where, String convention) {
        if (c == null) {
            c = org.neuroinfer.io.YamlFiles.of(java.util.Map.of(), SensitivityConfig.class);
        }
        String analysis = or(c.analysis, "one-at-a-time");
        SensitivityConfig d = new SensitivityConfig(analysis, or(c.convention, convention), c.parameters,
                or(c.n, 200), or(c.range, "one-at-a-time".equals(analysis) ? "relative" : "prior"), or(c.span, 0.5),
                or(c.signal, "channel"), or(c.channel, "O2"), or(c.noiseFactor, 0.0), or(c.seed, 0L),
                or(c.baseSamples, 1024), or(c.trajectories, 50), or(c.levels, 4), or(c.bootstrap, 200));
        if (!List.of("one-at-a-time", "morris", "sobol").contains(d.analysis)) {
            throw new IllegalArgumentException(where + ": analysis '" + d.analysis + "'; valid: one-at-a-time, "
                    + "morris, sobol");
        }
        if (d.baseSamples < 2 || d.trajectories < 2 || d.levels < 2 || d.levels % 2 != 0 || d.bootstrap < 0) {
            throw new IllegalArgumentException(where + ": base_samples and trajectories must be >= 2, levels even "
                    + "and >= 2, bootstrap >= 0");
        }
        if (!List.of("channel", "gfp", "source").contains(d.signal)) {
            throw new IllegalArgumentException(where + ": signal '" + d.signal + "'; valid: channel, gfp, source");
        }
        if (!List.of("relative", "prior").contains(d.range)) {
            throw new IllegalArgumentException(where + ": range '" + d.range + "'; valid: relative, prior");
        }
        if (d.n < 2) {
            throw new IllegalArgumentException(where + ": n must be >= 2, got " + d.n);
        }
        return d;
    }

    private static <T> T or(T v, T d) {
        return v == null ? d : v;
    }
}
