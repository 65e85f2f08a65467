package org.neuroinfer.learn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;
import org.neuroinfer.learn.torch.TorchRuntime;

/** The recurrent blocks against an LSTM written out by hand in double precision on a tiny input. */
class LstmBlocksTest {
    static final int B = 2;
    static final int T = 4;
    static final int I = 2;
    static final int H = 3;

    /** Deterministic, varied values in [-0.5, 0.5). */
    static float[] values(int n, int salt) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) (((k * 37 + salt * 11) % 17) / 17.0 - 0.5);
        }
        return v;
    }

    static void fill(Block block) {
        int salt = 1;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(values((int) a.size(), salt++));
        }
    }

    static double sig(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** h_t for every t of one sequence x[T][I], weights as the block holds them (gates i, f, g, o). */
    static double[][] handLstm(float[][] x, float[] wih, float[] whh, float[] bih, float[] bhh) {
        double[] h = new double[H];
        double[] c = new double[H];
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double[] z = new double[4 * H];
            for (int r = 0; r < 4 * H; r++) {
                z[r] = bih[r] + bhh[r];
                for (int j = 0; j < I; j++) {
                    z[r] += wih[r * I + j] * x[t][j];
                }
                for (int j = 0; j < H; j++) {
                    z[r] += whh[r * H + j] * h[j];
                }
            }
            double[] hn = new double[H];
            for (int u = 0; u < H; u++) {
                c[u] = sig(z[H + u]) * c[u] + sig(z[u]) * Math.tanh(z[2 * H + u]);
                hn[u] = sig(z[3 * H + u]) * Math.tanh(c[u]);
            }
            h = hn;
            out[t] = hn.clone();
        }
        return out;
    }

    static float[][][] input() {
        float[] v = values(B * T * I, 5);
        float[][][] x = new float[B][T][I];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < I; j++) {
                    x[b][t][j] = 2 * v[(b * T + t) * I + j];
                }
            }
        }
        return x;
    }

    static NDArray array(NDManager m, float[][][] x) {
        float[] flat = new float[B * T * I];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                System.arraycopy(x[b][t], 0, flat, (b * T + t) * I, I);
            }
        }
        return m.create(flat, new Shape(B, T, I));
    }

    static float[] weights(Block block, String name) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(name)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError(name);
    }

    static float[][] reversed(float[][] x) {
        float[][] r = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            r[t] = x[x.length - 1 - t];
        }
        return r;
    }

    /** Runs {@code body} once per kernel and mode (inference, training), leaving the process's kernel as it was. */
    static void everyKernel(java.util.function.BiConsumer<LstmKernel, Boolean> body) {
        LstmKernel before = Lstm.kernel();
        try {
            for (LstmKernel k : LstmKernel.values()) {
                Lstm.useKernel(k);
                body.accept(k, false);
                body.accept(k, true);
            }
        } finally {
            Lstm.useKernel(before);
        }
    }

    @Test
    void lstmMatchesTheEquations() {
        everyKernel(this::lstmMatchesTheEquations);
    }

    /** Gradients of a fixed loss with respect to every weight and the input, under {@code kernel}. */
    static double[][] gradients(LstmKernel kernel) {
        LstmKernel before = Lstm.kernel();
        Lstm.useKernel(kernel);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            Lstm lstm = new Lstm(I, H);
            lstm.initialize(m, DataType.FLOAT32, new Shape(B, T, I));
            fill(lstm);
            NDArray x = array(m, input());
            x.setRequiresGradient(true);
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray out = lstm.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gc.backward(out.mul(m.create(values(B * T * H, 7), new Shape(B, T, H))).sum());
            }
            double[][] g = new double[5][];
            g[0] = toDouble(x.getGradient().toFloatArray());
            int k = 1;
            for (Pair<String, Parameter> p : lstm.getParameters()) {
                g[k++] = toDouble(p.getValue().getArray().getGradient().toFloatArray());
            }
            return g;
        } finally {
            Lstm.useKernel(before);
        }
    }

    @Test
    void thePaddedFusedKernelHasTheGradientsOfTheStepwiseOne() {
        double[][] fused = gradients(LstmKernel.FUSED);
        double[][] stepwise = gradients(LstmKernel.STEPWISE);
        for (int k = 0; k < fused.length; k++) {
            assertArrayEquals(stepwise[k], fused[k], 1e-6, "gradient " + k);
        }
    }

    void lstmMatchesTheEquations(LstmKernel kernel, boolean training) {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            Lstm lstm = new Lstm(I, H);
            lstm.initialize(m, DataType.FLOAT32, new Shape(B, T, I));
            fill(lstm);
            float[][][] x = input();
            NDArray out = lstm.forward(new ParameterStore(m, false), new NDList(array(m, x)), training)
                    .singletonOrThrow();
            assertEquals(new Shape(B, T, H), out.getShape());
            float[] got = out.toFloatArray();
            for (int b = 0; b < B; b++) {
                double[][] want = handLstm(x[b], weights(lstm, "w_ih"), weights(lstm, "w_hh"), weights(lstm, "b_ih"),
                        weights(lstm, "b_hh"));
                for (int t = 0; t < T; t++) {
                    for (int u = 0; u < H; u++) {
                        assertEquals(want[t][u], got[(b * T + t) * H + u], 1e-6,
                                kernel + (training ? " training" : " inference") + " b" + b + " t" + t + " u" + u);
                    }
                }
            }
        }
    }

    @Test
    void biLstmIsForwardPlusReversedBackward() {
        everyKernel(this::biLstmIsForwardPlusReversedBackward);
    }

    void biLstmIsForwardPlusReversedBackward(LstmKernel kernel, boolean training) {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            float[][][] x = input();
            for (boolean last : new boolean[]{false, true}) {
                BiLstm bi = new BiLstm(I, H, last);
                bi.initialize(m, DataType.FLOAT32, new Shape(B, T, I));
                fill(bi);
                float[] got = bi.forward(new ParameterStore(m, false), new NDList(array(m, x)), training)
                        .singletonOrThrow().toFloatArray();
                for (int b = 0; b < B; b++) {
                    double[][] f = handLstm(x[b], weights(bi, "forward_w_ih"), weights(bi, "forward_w_hh"),
                            weights(bi, "forward_b_ih"), weights(bi, "forward_b_hh"));
                    double[][] r = handLstm(reversed(x[b]), weights(bi, "backward_w_ih"),
                            weights(bi, "backward_w_hh"), weights(bi, "backward_b_ih"), weights(bi, "backward_b_hh"));
                    if (last) {
                        double[] want = new double[2 * H];
                        System.arraycopy(f[T - 1], 0, want, 0, H);
                        System.arraycopy(r[T - 1], 0, want, H, H);
                        float[] row = new float[2 * H];
                        System.arraycopy(got, b * 2 * H, row, 0, 2 * H);
                        assertArrayEquals(want, toDouble(row), 1e-6, kernel + " last " + training);
                    } else {
                        for (int t = 0; t < T; t++) {
                            for (int u = 0; u < H; u++) {
                                assertEquals(f[t][u], got[(b * T + t) * 2 * H + u], 1e-6, kernel + " fwd " + training);
                                assertEquals(r[T - 1 - t][u], got[(b * T + t) * 2 * H + H + u], 1e-6,
                                        kernel + " bwd " + training);
                            }
                        }
                    }
                }
            }
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
