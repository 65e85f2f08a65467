package org.neuroinfer.learn.npe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import org.neuroinfer.learn.nn.NetworkSpec;

/**
 * The conditional density estimator of neural posterior estimation, as written under {@code estimator:} in a
 * training file. The defaults are sbi's: a MAF of 5 transforms with MADEs of 2 layers of 50 tanh units, or an MDN
 * of 10 full-covariance components after 2 ReLU layers of 50 units.
 *
 * @param kind       maf or mdn
 * @param transforms maf: autoregressive transforms
 * @param components mdn: mixture components
 * @param hidden     units per hidden layer (MADE or MDN)
 * @param layers     hidden layers (MADE or MDN)
 * @param embedding  the network that turns a recording into the context vector, trained jointly (any inverse
 *                   network kind, its output size {@code features}); missing: the standardised recording itself,
 *                   flattened (sbi's identity embedding)
 * @param features   size of the embedding's output
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EstimatorSpec(@JsonProperty("kind") String kind,
                            @JsonProperty("transforms") Integer transforms,
                            @JsonProperty("components") Integer components,
                            @JsonProperty("hidden") Integer hidden,
                            @JsonProperty("layers") Integer layers,
                            @JsonProperty("embedding") NetworkSpec embedding,
                            @JsonProperty("features") Integer features) {
    /** The kinds there are. */
    public static final List<String> KINDS = List.of("maf", "mdn");

    @JsonCreator
    public EstimatorSpec {
        kind = kind == null ? "maf" : kind.trim().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("estimator.kind: unknown estimator '" + kind + "'; valid: "
                    + String.join(", ", KINDS));
        }
        transforms = positive("estimator.transforms", transforms, 5);
        components = positive("estimator.components", components, 10);
        hidden = positive("estimator.hidden", hidden, 50);
        layers = positive("estimator.layers", layers, 2);
        embedding = embedding == null ? null : embedding.withDefaults();
        features = positive("estimator.features", features, 32);
    }

    /** sbi's default of {@code kind}. */
    public static EstimatorSpec of(String kind) {
        return new EstimatorSpec(kind, null, null, null, null, null, null);
    }

    private static int positive(String field, Integer v, int dflt) {
        int x = v == null ? dflt : v;
        if (x < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + x);
        }
        return x;
    }

    /** The density block for D parameters. */
    ConditionalDensity density(int dim) {
        return kind.equals("mdn") ? new MixtureDensity(dim, components, hidden, layers)
                : new MaskedAutoregressiveFlow(dim, transforms, hidden, layers);
    }
}
