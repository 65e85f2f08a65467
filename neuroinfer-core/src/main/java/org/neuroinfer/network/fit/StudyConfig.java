package org.neuroinfer.network.fit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.io.YamlFiles;
import org.neuroinfer.network.NetworkConfig;

/**
 * An exploration or a fit of a network's global parameters ({@code network explore|fit FILE.yaml}).
 *
 * @param network     the run, as a {@code network simulate} file's content (paths relative to this file)
 * @param explore     for explore: parameter → values, a list or {@code {from, to, n}}; the grid is their product
 * @param fit         for fit: parameter → {@code [lower, upper]}
 * @param target      empirical data (.npy): an FC, a BOLD, or subjects × regions × samples of BOLD; relative to the
 *                    file; optional for explore
 * @param evaluations for fit: the most network runs CMA-ES may use (default 200)
 * @param seed        for fit: CMA-ES's seed (default 0); for npe: the seed of the prior draws
 * @param simulations for npe: network runs drawn from the uniform prior given by {@code fit:} (default 1000)
 * @param npe         for npe: the estimator's settings as in an NPE training file (estimator:, training:)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StudyConfig(@JsonProperty("network") JsonNode network,
                          @JsonProperty("explore") LinkedHashMap<String, JsonNode> explore,
                          @JsonProperty("fit") LinkedHashMap<String, List<Double>> fit,
                          @JsonProperty("target") String target,
                          @JsonProperty("evaluations") Integer evaluations,
                          @JsonProperty("seed") Long seed,
                          @JsonProperty("simulations") Integer simulations,
                          @JsonProperty("npe") JsonNode npe) {

    /** One explored parameter and its values. */
    public record Axis(String name, double[] values) {
    }

    /** Reads the file; the network's and the target's paths are resolved against its folder. */
    public static StudyConfig read(Path file) throws IOException {
        StudyConfig c = YamlFiles.read(file, StudyConfig.class);
        if (c == null || c.network == null) {
            throw new IllegalArgumentException(file + ": network: missing (the run, as in a network simulate file)");
        }
        Path dir = file.toAbsolutePath().getParent();
        return new StudyConfig(c.network, c.explore, c.fit, c.target == null ? null
                : dir.resolve(c.target).normalize().toString(), c.evaluations == null ? 200 : c.evaluations,
                c.seed == null ? 0L : c.seed, c.simulations == null ? 1000 : c.simulations, c.npe);
    }

    /** The network run, with its paths resolved against the folder of {@code file}. */
    public NetworkConfig networkConfig(Path file) throws IOException {
        return new ObjectMapper().convertValue(network, NetworkConfig.class).relativeTo(file);
    }

    /** The exploration's axes, in the file's order. */
    public List<Axis> axes() {
        if (explore == null || explore.isEmpty()) {
            throw new IllegalArgumentException("explore: missing; name the parameters and their values, e.g. "
                    + "K_gl: {from: 0, to: 1, n: 11}");
        }
        List<Axis> axes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : explore.entrySet()) {
            JsonNode v = e.getValue();
            double[] values;
            if (v.isArray()) {
                values = new double[v.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = v.get(i).asDouble();
                }
            } else if (v.has("from") && v.has("to") && v.has("n")) {
                int n = v.get("n").asInt();
                if (n < 1) {
                    throw new IllegalArgumentException("explore." + e.getKey() + ".n = " + n + "; valid: >= 1");
                }
                double a = v.get("from").asDouble();
                double b = v.get("to").asDouble();
                values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = n == 1 ? a : a + (b - a) * i / (n - 1);
                }
            } else {
                throw new IllegalArgumentException("explore." + e.getKey() + ": a list of values or {from, to, n}");
            }
            if (values.length == 0) {
                throw new IllegalArgumentException("explore." + e.getKey() + ": no values");
            }
            axes.add(new Axis(e.getKey(), values));
        }
        return axes;
    }

    /** The fit's bounds: name → [lower, upper]. */
    public Map<String, double[]> bounds() {
        if (fit == null || fit.isEmpty()) {
            throw new IllegalArgumentException("fit: missing; name the parameters and their bounds, e.g. "
                    + "K_gl: [0, 1]");
        }
        Map<String, double[]> b = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : fit.entrySet()) {
            List<Double> v = e.getValue();
            if (v == null || v.size() != 2 || !(v.get(0) < v.get(1))) {
                throw new IllegalArgumentException("fit." + e.getKey() + ": " + v + "; valid: [lower, upper] with "
                        + "lower < upper");
            }
            b.put(e.getKey(), new double[] {v.get(0), v.get(1)});
        }
        if (evaluations < 10) {
            throw new IllegalArgumentException("evaluations = " + evaluations + "; valid: >= 10");
        }
        return b;
    }
}
