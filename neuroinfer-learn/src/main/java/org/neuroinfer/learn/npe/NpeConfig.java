package org.neuroinfer.learn.npe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuroinfer.learn.config.TrainingConfig;

/**
 * A posterior-estimation training file ({@code train CONFIG.yaml} with an {@code estimator:} section): the
 * estimator and its embedding, the data it learns from, and the optimisation, whose defaults are sbi's (batch
 * 200, Adam 5·10⁻⁴, 10 % validation, stop after 20 epochs without improvement, gradient norm clipped at 5) plus a
 * 10 % test split kept for calibration.
 *
 * @param estimator the density estimator and embedding
 * @param input     data selection and preprocessing (as for inverse networks)
 * @param training  optimisation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NpeConfig(@JsonProperty("estimator") EstimatorSpec estimator,
                        @JsonProperty("input") TrainingConfig.Input input,
                        @JsonProperty("training") TrainingConfig.Optimisation training) {

    /** sbi's training defaults, under neuroinfer's field names. */
    public static final Map<String, Object> SBI_DEFAULTS = Map.of("batch_size", 200, "learning_rate", 5e-4,
            "validation", 0.1, "test", 0.1, "patience", 20, "clip_norm", 5.0, "epochs", 1000);

    public NpeConfig {
        estimator = estimator == null ? EstimatorSpec.of("maf") : estimator;
        input = input == null ? new TrainingConfig.Input(null, null, null) : input;
        training = training == null ? optimisation(Map.of()) : training;
    }

    /** Reads a file's sections; missing training fields take sbi's defaults. */
    @JsonCreator
    static NpeConfig parse(@JsonProperty("estimator") EstimatorSpec estimator,
                           @JsonProperty("input") TrainingConfig.Input input,
                           @JsonProperty("training") Map<String, Object> training) {
        return new NpeConfig(estimator, input, optimisation(training == null ? Map.of() : training));
    }

    /** {@code fields} over sbi's defaults. */
    public static TrainingConfig.Optimisation optimisation(Map<String, Object> fields) {
        Map<String, Object> all = new LinkedHashMap<>(SBI_DEFAULTS);
        all.putAll(fields);
        try {
            return new ObjectMapper().convertValue(all, TrainingConfig.Optimisation.class);
        } catch (IllegalArgumentException e) {
            Throwable c = e;
            while (c.getCause() != null) {
                c = c.getCause();
            }
            throw new IllegalArgumentException(c.getMessage(), e);
        }
    }

    /**
     * The file of the settings {@code values}, keyed as in YAML ({@code estimator: {kind: maf}},
     * {@code input: {decimate: 10}}, {@code training: {epochs: 50}}), by the same strict rules.
     */
    public static NpeConfig of(Map<String, ?> values) {
        return org.neuroinfer.io.YamlFiles.of(values, NpeConfig.class);
    }

    /** The defaults with {@code estimator}. */
    public static NpeConfig of(EstimatorSpec estimator) {
        return new NpeConfig(estimator, null, null);
    }
}
