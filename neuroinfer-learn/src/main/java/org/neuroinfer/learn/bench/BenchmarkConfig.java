package org.neuroinfer.learn.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.sensitivity.SensitivityConfig;

/**
 * A benchmark file ({@code benchmark CONFIG.yaml}): the data set to generate and the inverse models to train on
 * each of its noise conditions.
 *
 * @param generate   a generate file's settings
 * @param models     model name → its training settings (a {@code train} file's content: a network, or an
 *                   {@code estimator:} section for a posterior estimator); {@code input.conditions} is set per cell
 * @param draws      posterior draws per held-out simulation when scoring a posterior estimator
 * @param simulations at most this many held-out simulations per posterior estimator
 * @param sensitivity the sensitivity analysis of the report (a sensitivity file's settings; default: the
 *                    benchmark's one-at-a-time sweeps in the data set's convention)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchmarkConfig(@JsonProperty("generate") GenerationConfig generate,
                              @JsonProperty("models") LinkedHashMap<String, JsonNode> models,
                              @JsonProperty("draws") Integer draws,
                              @JsonProperty("simulations") Integer simulations,
                              @JsonProperty("sensitivity") SensitivityConfig sensitivity) {
    public BenchmarkConfig {
        if (generate == null) {
            throw new IllegalArgumentException("generate: missing (the data set's settings, as in a generate file)");
        }
        generate = generate.withDefaults();
        generate.validate();
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("models: missing; name at least one model and its training settings");
        }
        draws = draws == null ? 500 : draws;
        simulations = simulations == null ? 1000 : simulations;
        if (draws < 10 || simulations < 10) {
            throw new IllegalArgumentException("draws and simulations must be >= 10");
        }
        sensitivity = SensitivityConfig.withDefaults(sensitivity, "sensitivity", generate.convention());
        for (Map.Entry<String, JsonNode> e : models.entrySet()) {
            model(e.getKey(), e.getValue()); // validates every model up front
        }
    }

    /** Whether the model's settings describe a posterior estimator. */
    static boolean isPosterior(JsonNode settings) {
        return settings != null && settings.has("estimator");
    }

    /** The model's settings as a training file: a {@link TrainingConfig} or an {@link NpeConfig}. */
    static Object model(String name, JsonNode settings) {
        JsonNode s = settings == null || settings.isNull() ? new ObjectMapper().createObjectNode() : settings;
        try {
            return isPosterior(s) ? new ObjectMapper().convertValue(s, NpeConfig.class)
                    : new ObjectMapper().convertValue(s, TrainingConfig.class);
        } catch (IllegalArgumentException e) {
            Throwable c = e;
            while (c.getCause() != null) {
                c = c.getCause();
            }
            throw new IllegalArgumentException("models." + name + ": " + c.getMessage(), e);
        }
    }
}
