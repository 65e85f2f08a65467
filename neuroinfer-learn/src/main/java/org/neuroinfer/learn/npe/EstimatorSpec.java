package org.neuroinfer.learn.npe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import org.neuroinfer.learn.nn.NetworkSpec;

/**
 * The conditional density estimator of neural posterior estimation, as written under {@code estimator:} in a
 * training file. The defaults are sbi's: a MAF of 5 transforms with MADEs of 2 layers of 50 tanh units, a neural
 * spline flow of as many transforms with splines of 10 bins on [-3, 3], or an MDN of 10 full-covariance components
 * after 2 ReLU layers of 50 units.
 *
 * @param kind       maf, nsf or mdn
 * @param transforms maf, nsf: autoregressive transforms
 * @param components mdn: mixture components
 * @param hidden     units per hidden layer (MADE or MDN)
 * @param layers     hidden layers (MADE or MDN)
 * @param embedding  the network that turns a recording into the context vector, trained jointly (any inverse
 *                   network kind, its output size {@code features}); missing: the standardised recording itself,
 *                   flattened (sbi's identity embedding)
 * @param features   size of the embedding's output
 * @param bounds     how the prior's bounds are kept: {@code transform} (the default: the density is learned in an
 *                   unbounded space, logit or log of each bounded parameter, so every draw lies inside the support;
 *                   see {@link BoundsTransform}) or {@code reject} (sbi's: θ is learned as it is and draws outside
 *                   the support are rejected)
 * @param bins       nsf: bins of each spline
 * @param flow       maf, nsf: {@code autoregressive} (the default: each transform a MADE, Papamakarios et al. 2017)
 *                   or {@code coupling} (sbi's NSF: coupling layers with residual-network conditioners of
 *                   {@code layers} blocks, alternating halves, an LU-linear map after each; needs ≥ 2 parameters)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EstimatorSpec(@JsonProperty("kind") String kind,
                            @JsonProperty("transforms") Integer transforms,
                            @JsonProperty("components") Integer components,
                            @JsonProperty("hidden") Integer hidden,
                            @JsonProperty("layers") Integer layers,
                            @JsonProperty("embedding") NetworkSpec embedding,
                            @JsonProperty("features") Integer features,
                            @JsonProperty("bounds") String bounds,
                            @JsonProperty("bins") Integer bins,
                            @JsonProperty("flow") String flow) {
    /** The kinds there are. */
    public static final List<String> KINDS = List.of("maf", "nsf", "mdn");
    /** Learn in the unbounded space of {@link BoundsTransform}. */
    public static final String TRANSFORM = "transform";
    /** Learn θ as it is and reject draws outside the support. */
    public static final String REJECT = "reject";
    /** The ways to keep the prior's bounds. */
    public static final List<String> BOUNDS = List.of(TRANSFORM, REJECT);
    /** Each transform of a flow an autoregressive map of a MADE. */
    public static final String AUTOREGRESSIVE = "autoregressive";
    /** Each transform of a flow a coupling layer and an LU-linear map. */
    public static final String COUPLING = "coupling";
    /** The structures of a flow. */
    public static final List<String> FLOWS = List.of(AUTOREGRESSIVE, COUPLING);

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
        bins = positive("estimator.bins", bins, 10);
        if (bins < 2) {
            throw new IllegalArgumentException("estimator.bins must be >= 2, got " + bins);
        }
        bounds = bounds == null ? TRANSFORM : bounds.trim().toLowerCase(Locale.ROOT);
        if (!BOUNDS.contains(bounds)) {
            throw new IllegalArgumentException("estimator.bounds: unknown value '" + bounds + "'; valid: "
                    + String.join(", ", BOUNDS));
        }
        flow = flow == null ? AUTOREGRESSIVE : flow.trim().toLowerCase(Locale.ROOT);
        if (!FLOWS.contains(flow)) {
            throw new IllegalArgumentException("estimator.flow: unknown structure '" + flow + "'; valid: "
                    + String.join(", ", FLOWS));
        }
    }

    /** sbi's default of {@code kind}. */
    public static EstimatorSpec of(String kind) {
        return new EstimatorSpec(kind, null, null, null, null, null, null, null, null, null);
    }

    /** This estimator with {@code how} for the prior's bounds. */
    public EstimatorSpec withBounds(String how) {
        return new EstimatorSpec(kind, transforms, components, hidden, layers, embedding, features, how, bins,
                flow);
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
        return switch (kind) {
            case "mdn" -> new MixtureDensity(dim, components, hidden, layers);
            case "nsf" -> COUPLING.equals(flow) ? CouplingFlow.spline(dim, transforms, hidden, layers, bins)
                    : MaskedAutoregressiveFlow.spline(dim, transforms, hidden, layers, bins);
            default -> COUPLING.equals(flow) ? new CouplingFlow(dim, transforms, hidden, layers, new AffineTransform())
                    : new MaskedAutoregressiveFlow(dim, transforms, hidden, layers);
        };
    }
}
