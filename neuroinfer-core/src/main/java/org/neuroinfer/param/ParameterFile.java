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
    private static final Map<String, Double> VOLT_SCALE = Map.of("V", 1.0, "mV", 1e-3, "uV", 1e-6, "µV", 1e-6);

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
        JsonNode params = root.has("parameters") ? root.get("parameters") : root;
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
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
     * The values expressed in the units of {@code space}: voltages are converted between V, mV and uV, any other
     * unit mismatch is an error naming the parameter.
     */
    public Map<String, Double> valuesIn(ParameterSpace space) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            Parameter p = space.get(space.indexOf(e.getKey()));
            String unit = units.get(e.getKey());
            double v = e.getValue();
            if (unit != null && !unit.equals(p.unit())) {
                Double from = VOLT_SCALE.get(unit);
                Double to = VOLT_SCALE.get(p.unit());
                if (from == null || to == null) {
                    throw new ParameterException("parameter " + p.name() + " is given in '" + unit + "' but the model "
                            + "expects '" + p.unit() + "'");
                }
                v = v * from / to;
            }
            out.put(e.getKey(), v);
        }
        return out;
    }
}
