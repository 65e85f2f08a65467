package org.neuroinfer.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.ndarray.types.Shape;

/**
 * Builds the inverse networks. Every network reads a recording [B, channels, times] and returns [B, outputs]
 * (standardised parameters):
 * <ul>
 *   <li>{@code bilstm}: the benchmark's model — BiLSTM over time (channels as features), last states, dropout,
 *       linear;</li>
 *   <li>{@code lstm}: the same with one forward LSTM;</li>
 *   <li>{@code cnn-bilstm}: Conv1d + ReLU layers (strided, shortening the sequence) before the BiLSTM;</li>
 *   <li>{@code transformer}: one token per electrode (its whole time course, linearly embedded) plus a learned
 *       electrode code, pre-LN encoder blocks (attention across channels), final LayerNorm, mean over tokens,
 *       linear;</li>
 *   <li>{@code patch-transformer}: one token per time patch (all channels), sinusoidal positions, otherwise the
 *       same;</li>
 *   <li>{@code fcnn}: flattened input, Linear (+ batch norm with {@code batch_norm}) + ReLU + dropout layers,
 *       linear;</li>
 *   <li>{@code summary}: six summary features per channel (mean, standard deviation, minimum, maximum, and the
 *       times of the minimum and maximum as fractions of the window), then the layers of {@code fcnn}.</li>
 * </ul>
 */
public final class Networks {
    private Networks() {
    }

    /**
     * The network {@code spec} for inputs of {@code channels} × {@code times} and {@code outputs} targets.
     *
     * @throws IllegalArgumentException if the input is too short for the network (e.g. fewer samples than a patch)
     */
    public static Block build(NetworkSpec spec, int channels, int times, int outputs) {
        NetworkSpec s = spec.withDefaults();
        Sizes.positive("input channels", channels);
        Sizes.positive("input samples", times);
        Sizes.positive("outputs", outputs);
        SequentialBlock net = new SequentialBlock();
        switch (s.kind()) {
            case "bilstm" -> net.add(timeMajor()).add(new BiLstm(channels, s.hidden(), true));
            case "lstm" -> net.add(timeMajor()).add(new Lstm(channels, s.hidden())).add(lastStep());
            case "cnn-bilstm" -> {
                int len = times;
                for (int l = 0; l < s.convLayers(); l++) {
                    len = (len - s.convKernel()) / s.convStride() + 1;
                    if (len < 1) {
                        throw new IllegalArgumentException("network: " + s.convLayers() + " conv layers (kernel "
                                + s.convKernel() + ", stride " + s.convStride() + ") leave no samples of " + times);
                    }
                    net.add(Conv1d.builder().setFilters(s.convFilters()).setKernelShape(new Shape(s.convKernel()))
                            .optStride(new Shape(s.convStride())).build()).add(Activation.reluBlock());
                }
                net.add(timeMajor()).add(new BiLstm(s.convFilters(), s.hidden(), true));
            }
            case "transformer" -> {
                net.add(Linear.builder().setUnits(s.dModel()).build())
                        .add(new TokenEmbedding(channels, s.dModel(), true));
                encoder(net, s);
            }
            case "patch-transformer" -> {
                int p = s.patch();
                int n = times / p;
                if (n < 1) {
                    throw new IllegalArgumentException("network.patch (" + p + ") is longer than the input ("
                            + times + " samples)");
                }
                net.add(LambdaBlock.singleton(x -> patches(x, p, n), "patches"))
                        .add(Linear.builder().setUnits(s.dModel()).build())
                        .add(new TokenEmbedding(n, s.dModel(), false));
                encoder(net, s);
            }
            default -> {
                net.add(s.kind().equals("summary") ? LambdaBlock.singleton(Networks::summary, "summary")
                        : LambdaBlock.singleton(x -> x.reshape(x.getShape().get(0), -1), "flatten"));
                for (int w : s.layers()) {
                    net.add(Linear.builder().setUnits(w).build());
                    if (s.batchNorm()) {
                        net.add(ai.djl.nn.norm.BatchNorm.builder().build());
                    }
                    net.add(Activation.reluBlock()).add(Dropout.builder().optRate(s.dropout().floatValue()).build());
                }
                net.add(Linear.builder().setUnits(outputs).build());
                return net;
            }
        }
        if (!s.kind().endsWith("transformer")) {
            net.add(Dropout.builder().optRate(s.dropout().floatValue()).build());
        }
        return net.add(Linear.builder().setUnits(outputs).build());
    }

    private static void encoder(SequentialBlock net, NetworkSpec s) {
        for (int d = 0; d < s.depth(); d++) {
            net.add(new EncoderBlock(s.dModel(), s.heads(), s.mlp(), s.dropout()));
        }
        net.add(LayerNorm.builder().axis(2).build())
                .add(LambdaBlock.singleton(x -> x.mean(new int[]{1}), "mean-over-tokens"));
    }

    /** [B, C, T] → [B, 6C]: per channel mean, sd, min, max, argmin / T, argmax / T. */
    static NDArray summary(NDArray x) {
        long b = x.getShape().get(0);
        float t = x.getShape().get(2);
        NDArray mean = x.mean(new int[]{2}, true);
        NDArray sd = x.sub(mean).square().mean(new int[]{2}, true).sqrt();
        NDArray tMin = x.argMin(2).expandDims(2).toType(x.getDataType(), false).div(t);
        NDArray tMax = x.argMax(2).expandDims(2).toType(x.getDataType(), false).div(t);
        return NDArrays.concat(new NDList(mean, sd, x.min(new int[]{2}, true), x.max(new int[]{2}, true), tMin,
                tMax), 2).reshape(b, -1);
    }

    /** [B, C, T] → [B, T, C]. */
    private static Block timeMajor() {
        return LambdaBlock.singleton(x -> x.transpose(0, 2, 1), "time-major");
    }

    /** [B, T, H] → [B, H] at the last step. */
    private static Block lastStep() {
        return LambdaBlock.singleton(x -> x.get(new NDIndex(":, -1, :")), "last-step");
    }

    /** [B, C, T] → [B, n, C·p]: consecutive patches of p samples (a remainder is dropped), all channels. */
    static NDArray patches(NDArray x, int p, int n) {
        long b = x.getShape().get(0);
        long c = x.getShape().get(1);
        return x.get(new NDIndex(":, :, :{}", (long) n * p)).reshape(b, c, n, p).transpose(0, 2, 1, 3)
                .reshape(b, n, c * p);
    }
}
