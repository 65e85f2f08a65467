package org.neuroinfer.learn.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The architecture of an inverse network, as written under {@code network:} in a training file and stored in a
 * saved model. Fields a kind does not use are ignored; a missing field takes the kind's default
 * ({@link #withDefaults()}), which for {@code bilstm} is the benchmark's Keras model: one bidirectional layer of 64
 * units, dropout 0.1, a linear output.
 *
 * @param kind         bilstm, lstm, cnn-bilstm, transformer (channel tokens), patch-transformer, fcnn or summary
 * @param hidden       LSTM units per direction
 * @param dropout      dropout rate before the output layer (and in transformer blocks)
 * @param convFilters  cnn-bilstm: filters of each Conv1d layer
 * @param convKernel   cnn-bilstm: kernel width, samples
 * @param convStride   cnn-bilstm: stride of each Conv1d layer
 * @param convLayers   cnn-bilstm: number of Conv1d + ReLU layers
 * @param dModel       transformers: token width
 * @param heads        transformers: attention heads
 * @param depth        transformers: encoder blocks
 * @param mlp          transformers: feed-forward width
 * @param patch        patch-transformer: samples per time patch
 * @param layers       fcnn and summary: hidden widths
 * @param batchNorm    fcnn and summary: batch normalisation between each hidden Linear and its ReLU (Spectrome-AI's
 *                     network), default false
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkSpec(
        @JsonProperty("kind") String kind,
        @JsonProperty("hidden") Integer hidden,
        @JsonProperty("dropout") Double dropout,
        @JsonProperty("conv_filters") Integer convFilters,
        @JsonProperty("conv_kernel") Integer convKernel,
        @JsonProperty("conv_stride") Integer convStride,
        @JsonProperty("conv_layers") Integer convLayers,
        @JsonProperty("d_model") Integer dModel,
        @JsonProperty("heads") Integer heads,
        @JsonProperty("depth") Integer depth,
        @JsonProperty("mlp") Integer mlp,
        @JsonProperty("patch") Integer patch,
        @JsonProperty("layers") List<Integer> layers,
        @JsonProperty("batch_norm") Boolean batchNorm) {

    /** The kinds of network there are. */
    public static final List<String> KINDS = List.of("bilstm", "lstm", "cnn-bilstm", "transformer",
            "patch-transformer", "fcnn", "summary");

    @JsonCreator
    public NetworkSpec {
        kind = kind == null ? "bilstm" : kind.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("network.kind: unknown network '" + kind + "'; valid: "
                    + String.join(", ", KINDS));
        }
        layers = layers == null ? null : List.copyOf(layers);
    }

    /** A spec of {@code kind} with every default filled in. */
    public static NetworkSpec of(String kind) {
        return org.neuroinfer.io.YamlFiles.of(java.util.Map.of("kind", kind), NetworkSpec.class).withDefaults();
    }

    /** This spec with the kind's defaults where a field is missing, every size checked. */
    public NetworkSpec withDefaults() {
        boolean tf = kind.endsWith("transformer");
        NetworkSpec s = new NetworkSpec(kind, or(hidden, 64), or(dropout, 0.1), or(convFilters, 64),
                or(convKernel, 7), or(convStride, 2), or(convLayers, 2), or(dModel, 64), or(heads, 4),
                or(depth, 2), or(mlp, 128), or(patch, 10), layers != null ? layers : List.of(512, 256), or(batchNorm, false));
        Sizes.positive("network.hidden", s.hidden);
        Sizes.fraction("network.dropout", s.dropout);
        Sizes.positive("network.conv_filters", s.convFilters);
        Sizes.positive("network.conv_kernel", s.convKernel);
        Sizes.positive("network.conv_stride", s.convStride);
        Sizes.positive("network.conv_layers", s.convLayers);
        Sizes.positive("network.d_model", s.dModel);
        Sizes.positive("network.heads", s.heads);
        Sizes.positive("network.depth", s.depth);
        Sizes.positive("network.mlp", s.mlp);
        Sizes.positive("network.patch", s.patch);
        for (int w : s.layers) {
            Sizes.positive("network.layers[]", w);
        }
        if (tf && s.dModel % s.heads != 0) {
            throw new IllegalArgumentException("network.heads (" + s.heads + ") must divide network.d_model ("
                    + s.dModel + ")");
        }
        return s;
    }

    private static <T> T or(T v, T d) {
        return v != null ? v : d;
    }

    /** A one-line description, e.g. {@code bilstm(hidden=64, dropout=0.1)}. */
    public String describe() {
        NetworkSpec s = withDefaults();
        String body = switch (kind) {
            case "bilstm", "lstm" -> "hidden=" + s.hidden;
            case "cnn-bilstm" -> s.convLayers + "x conv(" + s.convFilters + ", k=" + s.convKernel + ", stride="
                    + s.convStride + "), hidden=" + s.hidden;
            case "transformer" -> "channel tokens, d=" + s.dModel + ", heads=" + s.heads + ", depth=" + s.depth;
            case "patch-transformer" -> "patches of " + s.patch + ", d=" + s.dModel + ", heads=" + s.heads
                    + ", depth=" + s.depth;
            default -> "layers=" + s.layers.stream().map(String::valueOf).collect(Collectors.joining("-"))
                    + (s.batchNorm ? ", batch norm" : "");
        };
        return kind + "(" + body + ", dropout=" + s.dropout + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
