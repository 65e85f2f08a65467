package org.neuroinfer.learn.npe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.neuroinfer.learn.nn.ParameterInit;
import org.neuroinfer.learn.nn.SelfAttention;
import org.neuroinfer.learn.torch.TorchRuntime;

/**
 * A gradient does not depend on when the JVM collects garbage: each density and the attention block give the same
 * gradients, bit for bit, whether or not a collection runs between the forward and the backward pass and the freed
 * native memory is then filled with other values. With DJL's {@code mul(Number)} in the forward pass the scalar's
 * Java buffer was freed under autograd, and these gradients came out different or NaN.
 */
class GradientSurvivesCollectionTest {
    @Test
    void splineFlow() throws Exception {
        same(() -> MaskedAutoregressiveFlow.spline(3, 4, 12, 2, 6), new Shape(1, 4), new Shape(1, 3),
                (b, s) -> ((ConditionalDensity) b).logProb(s.store, s.x, s.theta, true).mean());
    }

    @Test
    void affineFlow() throws Exception {
        same(() -> new MaskedAutoregressiveFlow(3, 4, 12, 2), new Shape(1, 4), new Shape(1, 3),
                (b, s) -> ((ConditionalDensity) b).logProb(s.store, s.x, s.theta, true).mean());
    }

    @Test
    void mixtureDensity() throws Exception {
        same(() -> new MixtureDensity(3, 2, 12, 2), new Shape(1, 4), new Shape(1, 3),
                (b, s) -> ((ConditionalDensity) b).logProb(s.store, s.x, s.theta, true).mean());
    }

    @Test
    void selfAttention() throws Exception {
        same(() -> new SelfAttention(8, 2), new Shape(1, 5, 8), null,
                (b, s) -> b.forward(s.store, new NDList(s.x.reshape(-1, 5, 8)), true).singletonOrThrow().square()
                        .mean());
    }

    /** What a forward pass sees. */
    record Inputs(ParameterStore store, NDArray x, NDArray theta) {
    }

    interface Factory {
        Block make();
    }

    private static void same(Factory make, Shape x, Shape theta, BiFunction<Block, Inputs, NDArray> loss)
            throws Exception {
        List<float[]> quiet = gradients(make, x, theta, loss, false);
        for (int run = 0; run < 3; run++) {
            List<float[]> churned = gradients(make, x, theta, loss, true);
            for (int i = 0; i < quiet.size(); i++) {
                assertArrayEquals(quiet.get(i), churned.get(i), "gradient of parameter " + i + ", run " + run);
            }
        }
    }

    private static List<float[]> gradients(Factory make, Shape xs, Shape ts, BiFunction<Block, Inputs, NDArray> loss,
                                           boolean churn) throws Exception {
        int rows = 16;
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            Block b = make.make();
            if (ts == null) {
                b.initialize(m, DataType.FLOAT32, xs);
            } else {
                b.initialize(m, DataType.FLOAT32, xs, ts);
            }
            ParameterInit.apply(b, 3);
            for (Pair<String, Parameter> p : b.getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
            NDArray x = m.create(values(rows * (int) xs.size(), 1), new Shape(rows, xs.size()));
            NDArray theta = ts == null ? null : m.create(values(rows * (int) ts.size(), 2), new Shape(rows, ts.size()));
            List<ByteBuffer> filler = new ArrayList<>();
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray l = loss.apply(b, new Inputs(new ParameterStore(m, false), x, theta));
                if (churn) {
                    for (int k = 0; k < 3; k++) {
                        System.gc();
                        Thread.sleep(30);
                    }
                    // fill freed native memory of a scalar's size with other values
                    for (int k = 0; k < 20_000; k++) {
                        ByteBuffer f = ByteBuffer.allocateDirect(4 + 4 * (k % 3));
                        while (f.hasRemaining()) {
                            f.put((byte) 0x4f);
                        }
                        filler.add(f);
                    }
                }
                gc.backward(l);
            }
            List<float[]> g = new ArrayList<>();
            for (Pair<String, Parameter> p : b.getParameters()) {
                g.add(p.getValue().getArray().getGradient().toFloatArray());
            }
            filler.clear();
            return g;
        }
    }

    private static float[] values(int n, int seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(0.7 * i + seed) * 0.9f;
        }
        return v;
    }
}
