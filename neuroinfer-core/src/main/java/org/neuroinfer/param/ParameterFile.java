package org.neuroinfer.param;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parameter file in JSON: either the reference format
 * {@code {"convention": "deepjr", "parameters": {"A_e": {"value": 0.00325, "unit": "V"}, ...}}}, or plain
 * {@code {"A_e": 0.00325, ...}}. Values given in another voltage unit (V, mV, uV) than the model's are converted.
 *
 * @param convention the constant convention named in the file, if any
 * @param values     parameter values by name, as written in the file
 * @param units      units by name, where the file states them
 */
public record ParameterFile(Optional<String> convention, Map<String, Double> values, Map<String, String> units) {
    /** Units that convert into each other: unit → (dimension, factor to the dimension's SI unit). */
    private static final Map<String, Map.Entry<String, Double>> SCALE = Map.of(
            "V", Map.entry("voltage", 1.0), "mV", Map.entry("voltage", 1e-3), "uV", Map.entry("voltage", 1e-6),
            "µV", Map.entry("voltage", 1e-6), "s", Map.entry("time", 1.0), "ms", Map.entry("time", 1e-3),
            "m/s", Map.entry("speed", 1.0), "mm/ms", Map.entry("speed", 1.0));

    /** Reads {@code file}; errors name the file and the field. */
    public static ParameterFile read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected a JSON object of parameters");
        }
        Optional<String> convention = Optional.ofNullable(root.get("convention")).map(JsonNode::asText);
        // the reference formats: {"parameters": {...}} or a case file's {"params": {...}, "units": {...}}
        JsonNode params = root.has("parameters") ? root.get("parameters")
                : root.has("params") && root.get("params").isObject() ? root.get("params") : root;
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        if (params != root && root.has("units") && root.get("units").isObject()) {
            root.get("units").fields().forEachRemaining(e -> units.put(e.getKey(), e.getValue().asText()));
        }
        var it = params.fields();
        while (it.hasNext()) {
            var e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (params == root && ("convention".equals(name) || "description".equals(name) || "case".equals(name))) {
                continue;
            }
            if (v.isObject()) {
                JsonNode value = v.get("value");
                if (value == null || !value.isNumber()) {
                    throw new IOException(file + ": parameters." + name + ".value must be a number");
                }
                values.put(name, value.asDouble());
                if (v.has("unit")) {
                    units.put(name, v.get("unit").asText());
                }
            } else if (v.isNumber()) {
                values.put(name, v.asDouble());
            } else {
                throw new IOException(file + ": parameter " + name + " must be a number or {\"value\": ..., "
                        + "\"unit\": ...}, got " + v);
            }
        }
        return new ParameterFile(convention, values, units);
    }

    /**
     * The values expressed in the units of {@code space} ({@link #convert}).
     */
    public Map<String, Double> valuesIn(ParameterSpace space) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            Parameter p = space.get(space.indexOf(e.getKey()));
            out.put(e.getKey(), convert(e.getKey(), e.getValue(), units.get(e.getKey()), p.unit()));
        }
        return out;
    }

    /**
     * {@code value} given in {@code unit} (null: none stated) expressed in {@code expected}: voltages convert
     * between V, mV and uV, times between s and ms, speeds between m/s and mm/ms; any other mismatch is an error
     * naming the parameter.
     */
    public static double convert(String name, double value, String unit, String expected) {
        if (unit == null || unit.equals(expected)) {
            return value;
        }
        Map.Entry<String, Double> from = SCALE.get(unit);
        Map.Entry<String, Double> to = SCALE.get(expected);
        if (from == null || to == null || !from.getKey().equals(to.getKey())) {
            throw new ParameterException("parameter " + name + " is given in '" + unit + "' but the model "
                    + "expects '" + expected + "'");
        }
        return value * from.getValue() / to.getValue();
    }
}
