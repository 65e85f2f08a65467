package org.neuroinfer.learn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;
import org.neuroinfer.learn.torch.TorchRuntime;

/** The pre-LN encoder block against the equations written out in double precision; every network's shapes. */
class TransformerBlocksTest {
    static final int N = 3;
    static final int D = 4;
    static final int HEADS = 2;
    static final int MLP = 5;

    static Map<String, float[]> params(Block b) {
        Map<String, float[]> m = new HashMap<>();
        for (Pair<String, Parameter> p : b.getParameters()) {
            m.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return m;
    }

    static float[] find(Map<String, float[]> m, String suffix) {
        return m.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).findFirst().orElseThrow().getValue();
    }

    static double[][] layerNorm(double[][] x, float[] gamma, float[] beta) {
        double[][] y = new double[x.length][D];
        for (int n = 0; n < x.length; n++) {
            double mu = 0;
            double var = 0;
            for (double v : x[n]) {
                mu += v / D;
            }
            for (double v : x[n]) {
                var += (v - mu) * (v - mu) / D;
            }
            for (int j = 0; j < D; j++) {
                y[n][j] = (x[n][j] - mu) / Math.sqrt(var + 1e-5) * gamma[j] + beta[j];
            }
        }
        return y;
    }

    static double[][] linear(double[][] x, float[] w, float[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int n = 0; n < x.length; n++) {
            for (int o = 0; o < out; o++) {
                y[n][o] = b[o];
                for (int i = 0; i < in; i++) {
                    y[n][o] += w[o * in + i] * x[n][i];
                }
            }
        }
        return y;
    }

    static double[][] handBlock(double[][] x, Map<String, float[]> p) {
        double[][] h = layerNorm(x, find(p, "norm1_gamma"), find(p, "norm1_beta"));
        double[][] qkv = linear(h, find(p, "qkv_weight"), find(p, "qkv_bias"), 3 * D);
        int dh = D / HEADS;
        double[][] cat = new double[N][D];
        for (int head = 0; head < HEADS; head++) {
            for (int i = 0; i < N; i++) {
                double[] s = new double[N];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < N; j++) {
                    for (int k = 0; k < dh; k++) {
                        s[j] += qkv[i][head * dh + k] * qkv[j][D + head * dh + k];
                    }
                    s[j] /= Math.sqrt(dh);
                    max = Math.max(max, s[j]);
                }
                double z = 0;
                for (int j = 0; j < N; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j < N; j++) {
                    for (int k = 0; k < dh; k++) {
                        cat[i][head * dh + k] += s[j] / z * qkv[j][2 * D + head * dh + k];
                    }
                }
            }
        }
        double[][] a = linear(cat, find(p, "out_weight"), find(p, "out_bias"), D);
        double[][] y = new double[N][D];
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < D; j++) {
                y[n][j] = x[n][j] + a[n][j];
            }
        }
        double[][] u = linear(layerNorm(y, find(p, "norm2_gamma"), find(p, "norm2_beta")), find(p, "up_weight"),
                find(p, "up_bias"), MLP);
        for (double[] row : u) {
            for (int j = 0; j < MLP; j++) {
                row[j] = 0.5 * row[j] * (1 + Erf.erf(row[j] / Math.sqrt(2)));
            }
        }
        double[][] f = linear(u, find(p, "down_weight"), find(p, "down_bias"), D);
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < D; j++) {
                y[n][j] += f[n][j];
            }
        }
        return y;
    }

    @Test
    void preLnEncoderBlockMatchesTheEquations() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            EncoderBlock block = new EncoderBlock(D, HEADS, MLP, 0.0);
            block.initialize(m, DataType.FLOAT32, new Shape(1, N, D));
            LstmBlocksTest.fill(block);
            float[] xf = LstmBlocksTest.values(N * D, 9);
            double[][] x = new double[N][D];
            for (int k = 0; k < N * D; k++) {
                xf[k] *= 3;
                x[k / D][k % D] = xf[k];
            }
            float[] got = block.forward(new ParameterStore(m, false), new NDList(m.create(xf, new Shape(1, N, D))),
                    false).singletonOrThrow().toFloatArray();
            double[][] want = handBlock(x, params(block));
            for (int k = 0; k < N * D; k++) {
                assertEquals(want[k / D][k % D], got[k], 2e-5, "element " + k);
            }
        }
    }

    @Test
    void sinusoidsAreVaswanis() {
        float[] pe = TokenEmbedding.sinusoids(5, 6);
        assertEquals(Math.sin(3 / Math.pow(10000, 2 / 6.0)), pe[3 * 6 + 2], 1e-7);
        assertEquals(Math.cos(3 / Math.pow(10000, 2 / 6.0)), pe[3 * 6 + 3], 1e-7);
        assertEquals(1.0, pe[1], 0); // cos(0)
    }

    @Test
    void everyNetworkMapsARecordingToItsParameters() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            for (String kind : NetworkSpec.KINDS) {
                Block net = Networks.build(NetworkSpec.of(kind), 5, 40, 3);
                net.initialize(m, DataType.FLOAT32, new Shape(2, 5, 40));
                ParameterInit.apply(net, 1);
                NDArray x = m.randomNormal(new Shape(2, 5, 40));
                NDArray y = net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                assertEquals(new Shape(2, 3), y.getShape(), kind);
                assertTrue(Float.isFinite(y.sum().getFloat()), kind);
            }
        }
    }

    @Test
    void initialWeightsDependOnlyOnTheSeed() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            float[][] first = new float[2][];
            for (int r = 0; r < 2; r++) {
                Block net = Networks.build(NetworkSpec.of("bilstm"), 4, 10, 2);
                net.initialize(m, DataType.FLOAT32, new Shape(1, 4, 10));
                ParameterInit.apply(net, 42);
                first[r] = net.getParameters().get(0).getValue().getArray().toFloatArray();
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(first[0], first[1]);
        }
    }

    @Test
    void badSizesNameTheField() {
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of("resnet"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSpec("bilstm", -3, null, null, null, null, null, null, null, null, null, null, null, null)
                        .withDefaults());
        assertTrue(e.getMessage().contains("network.hidden"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSpec("transformer", null, null, null, null, null, null, 10, 3, null, null, null, null, null)
                        .withDefaults());
        assertTrue(e.getMessage().contains("heads"), e.getMessage());
    }
}
