package org.neuroinfer.learn.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import java.util.function.Function;
import org.neuroinfer.learn.nn.Lstm;
import org.neuroinfer.learn.nn.LstmKernel;
import org.neuroinfer.learn.nn.MaskedLinear;
import org.neuroinfer.learn.nn.SelfAttention;

/**
 * The engine self-check's probes: one tiny fixed computation per block kind the networks use (linear, conv1d, the
 * LSTM in both modes, attention, layer and batch normalisation, a MADE masked layer, the element-wise activations),
 * each with its evaluation written out in double precision, and the remedies known for them.
 */
public final class EngineProbes {
    private EngineProbes() {
    }

    /** A probe from a name and a function giving {engine, reference}. */
    private record Fixed(String name, Function<NDManager, double[][]> body) implements EngineCheck.Probe {
        @Override
        public double[][] run(NDManager manager) {
            return body.apply(manager);
        }
    }

    /** Every probe. */
    public static List<EngineCheck.Probe> standard() {
        return List.of(new Fixed("linear", EngineProbes::linear), new Fixed("conv1d", EngineProbes::conv1d),
                new Fixed("lstm (inference)", m -> lstm(m, false)), new Fixed("lstm (training)", m -> lstm(m, true)),
                new Fixed("attention", EngineProbes::attention), new Fixed("layer norm", EngineProbes::layerNorm),
                new Fixed("batch norm (inference)", EngineProbes::batchNorm),
                new Fixed("made masked linear", EngineProbes::masked),
                new Fixed("activations", EngineProbes::activations));
    }

    /** The remedies known: the LSTM's stepwise kernel for a wrong fused one. */
    public static List<EngineCheck.Remedy> remedies() {
        return List.of(new EngineCheck.Remedy("the stepwise LSTM kernel", "lstm",
                () -> Lstm.useKernel(LstmKernel.STEPWISE)));
    }

    /** Deterministic, varied values in [-0.5, 0.5). */
    static float[] values(int n, int salt) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) (((k * 37 + salt * 11) % 17) / 17.0 - 0.5);
        }
        return v;
    }

    /** Initialises {@code b} for {@code in} and sets every parameter to {@link #values} with its own salt. */
    private static void fill(Block b, NDManager m, Shape in) {
        b.initialize(m, DataType.FLOAT32, in);
        int salt = 1;
        for (Pair<String, Parameter> p : b.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(values((int) a.size(), salt++));
        }
    }

    private static float[] param(Block b, String suffix) {
        for (Pair<String, Parameter> p : b.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new IllegalStateException("no parameter " + suffix + " in " + b);
    }

    private static double[] forward(Block b, NDManager m, float[] x, Shape s, boolean training) {
        NDArray y = b.forward(new ParameterStore(m, false), new NDList(m.create(x, s)), training).singletonOrThrow();
        return toDouble(y.toFloatArray());
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** y = x (W ⊙ M)ᵀ + b in double precision: {@code rows} rows of {@code in} into {@code out}; M = 1 if null. */
    private static double[] affine(float[] x, float[] w, float[] b, int rows, int in, int out, boolean[] mask) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double z = b[o];
                for (int j = 0; j < in; j++) {
                    if (mask == null || mask[o * in + j]) {
                        z += (double) w[o * in + j] * x[r * in + j];
                    }
                }
                y[r * out + o] = z;
            }
        }
        return y;
    }

    /** y = x Wᵀ + b: 3 rows of 4 into 5 units. */
    private static double[][] linear(NDManager m) {
        Linear l = Linear.builder().setUnits(5).build();
        Shape s = new Shape(3, 4);
        fill(l, m, s);
        float[] x = values(12, 5);
        float[] w = param(l, "weight");
        float[] b = param(l, "bias");
        return new double[][]{forward(l, m, x, s, false), affine(x, w, b, 3, 4, 5, null)};
    }

    /** 3 filters of width 3, stride 2, over 2 recordings of 2 channels × 9 samples. */
    private static double[][] conv1d(NDManager m) {
        Conv1d c = Conv1d.builder().setFilters(3).setKernelShape(new Shape(3)).optStride(new Shape(2)).build();
        Shape s = new Shape(2, 2, 9);
        fill(c, m, s);
        float[] x = values(36, 6);
        float[] w = param(c, "weight");
        float[] b = param(c, "bias");
        double[] want = new double[2 * 3 * 4];
        for (int r = 0; r < 2; r++) {
            for (int f = 0; f < 3; f++) {
                for (int t = 0; t < 4; t++) {
                    double z = b[f];
                    for (int ch = 0; ch < 2; ch++) {
                        for (int k = 0; k < 3; k++) {
                            z += (double) w[(f * 2 + ch) * 3 + k] * x[(r * 2 + ch) * 9 + 2 * t + k];
                        }
                    }
                    want[(r * 3 + f) * 4 + t] = z;
                }
            }
        }
        return new double[][]{forward(c, m, x, s, false), want};
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * An LSTM of 3 units (a partial block: the width the fused AVX-512 kernel got wrong) over 2 sequences of 4 steps
     * of 2 features.
     */
    private static double[][] lstm(NDManager m, boolean training) {
        int n = 2;
        int steps = 4;
        int in = 2;
        int h = 3;
        Lstm l = new Lstm(in, h);
        Shape s = new Shape(n, steps, in);
        fill(l, m, s);
        float[] x = values(n * steps * in, 8);
        float[] wi = param(l, "w_ih");
        float[] wh = param(l, "w_hh");
        float[] bi = param(l, "b_ih");
        float[] bh = param(l, "b_hh");
        double[] want = new double[n * steps * h];
        for (int r = 0; r < n; r++) {
            double[] state = new double[h];
            double[] cell = new double[h];
            for (int t = 0; t < steps; t++) {
                double[][] gate = new double[4][h];
                for (int g = 0; g < 4; g++) {
                    for (int u = 0; u < h; u++) {
                        int row = g * h + u;
                        double z = (double) bi[row] + bh[row];
                        for (int j = 0; j < in; j++) {
                            z += (double) wi[row * in + j] * x[(r * steps + t) * in + j];
                        }
                        for (int j = 0; j < h; j++) {
                            z += wh[row * h + j] * state[j];
                        }
                        gate[g][u] = z;
                    }
                }
                for (int u = 0; u < h; u++) {
                    cell[u] = sigmoid(gate[1][u]) * cell[u] + sigmoid(gate[0][u]) * Math.tanh(gate[2][u]);
                    state[u] = sigmoid(gate[3][u]) * Math.tanh(cell[u]);
                    want[(r * steps + t) * h + u] = state[u];
                }
            }
        }
        return new double[][]{forward(l, m, x, s, training), want};
    }

    /** Two heads over 3 tokens of width 4. */
    private static double[][] attention(NDManager m) {
        int tokens = 3;
        int dim = 4;
        int heads = 2;
        int dh = dim / heads;
        SelfAttention a = new SelfAttention(dim, heads);
        Shape s = new Shape(1, tokens, dim);
        fill(a, m, s);
        float[] x = values(tokens * dim, 9);
        float[] wq = param(a, "qkv_weight");
        float[] bq = param(a, "qkv_bias");
        float[] wo = param(a, "out_weight");
        float[] bo = param(a, "out_bias");
        double[][] z = new double[tokens][3 * dim];
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < 3 * dim; r++) {
                z[t][r] = bq[r];
                for (int j = 0; j < dim; j++) {
                    z[t][r] += (double) wq[r * dim + j] * x[t * dim + j];
                }
            }
        }
        double[][] y = new double[tokens][dim];
        for (int hd = 0; hd < heads; hd++) {
            for (int t = 0; t < tokens; t++) {
                double[] score = new double[tokens];
                double max = Double.NEGATIVE_INFINITY;
                for (int u = 0; u < tokens; u++) {
                    for (int e = 0; e < dh; e++) {
                        score[u] += z[t][hd * dh + e] * z[u][dim + hd * dh + e];
                    }
                    score[u] /= Math.sqrt(dh);
                    max = Math.max(max, score[u]);
                }
                double sum = 0;
                for (int u = 0; u < tokens; u++) {
                    score[u] = Math.exp(score[u] - max);
                    sum += score[u];
                }
                for (int u = 0; u < tokens; u++) {
                    for (int e = 0; e < dh; e++) {
                        y[t][hd * dh + e] += score[u] / sum * z[u][2 * dim + hd * dh + e];
                    }
                }
            }
        }
        double[] want = new double[tokens * dim];
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < dim; o++) {
                double v = bo[o];
                for (int j = 0; j < dim; j++) {
                    v += wo[o * dim + j] * y[t][j];
                }
                want[t * dim + o] = v;
            }
        }
        return new double[][]{forward(a, m, x, s, false), want};
    }

    /** Over the last axis of [2, 3, 5], ε = 1e-5. */
    private static double[][] layerNorm(NDManager m) {
        LayerNorm n = LayerNorm.builder().axis(2).build();
        Shape s = new Shape(2, 3, 5);
        fill(n, m, s);
        float[] x = values(30, 10);
        float[] g = param(n, "gamma");
        float[] b = param(n, "beta");
        double[] want = new double[30];
        for (int r = 0; r < 6; r++) {
            double mean = 0;
            for (int k = 0; k < 5; k++) {
                mean += x[r * 5 + k] / 5.0;
            }
            double var = 0;
            for (int k = 0; k < 5; k++) {
                var += (x[r * 5 + k] - mean) * (x[r * 5 + k] - mean) / 5.0;
            }
            for (int k = 0; k < 5; k++) {
                want[r * 5 + k] = (x[r * 5 + k] - mean) / Math.sqrt(var + 1e-5) * g[k] + b[k];
            }
        }
        return new double[][]{forward(n, m, x, s, false), want};
    }

    /** Inference mode (running statistics) over 4 rows of 3 features, ε = 1e-5. */
    private static double[][] batchNorm(NDManager m) {
        BatchNorm n = BatchNorm.builder().build();
        Shape s = new Shape(4, 3);
        fill(n, m, s);
        float[] var = {0.5f, 1.5f, 2.25f};
        for (Pair<String, Parameter> p : n.getParameters()) {
            if (p.getKey().endsWith("runningVar")) {
                p.getValue().getArray().set(var);
            }
        }
        float[] x = values(12, 11);
        float[] g = param(n, "gamma");
        float[] b = param(n, "beta");
        float[] mean = param(n, "runningMean");
        double[] want = new double[12];
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 3; k++) {
                want[r * 3 + k] = (x[r * 3 + k] - mean[k]) / Math.sqrt(var[k] + 1e-5) * g[k] + b[k];
            }
        }
        return new double[][]{forward(n, m, x, s, false), want};
    }

    /** A MADE layer (Germain et al. 2015) from degrees {1, 2, 3} to {2, 1, 3, 2}, strictly lower. */
    private static double[][] masked(NDManager m) {
        int[] in = {1, 2, 3};
        int[] out = {2, 1, 3, 2};
        MaskedLinear l = new MaskedLinear(in, out, true);
        Shape s = new Shape(2, 3);
        fill(l, m, s);
        float[] x = values(6, 12);
        float[] w = param(l, "weight");
        float[] b = param(l, "bias");
        boolean[] on = new boolean[4 * 3];
        for (int o = 0; o < 4; o++) {
            for (int j = 0; j < 3; j++) {
                on[o * 3 + j] = out[o] > in[j];
            }
        }
        return new double[][]{forward(l, m, x, s, false), affine(x, w, b, 2, 3, 4, on)};
    }

    /** erf(x) by its Maclaurin series (Abramowitz &amp; Stegun 7.1.5), to double precision for |x| ≤ 2.2. */
    static double erf(double x) {
        double term = x;
        double sum = x;
        for (int n = 1; n < 60; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** ReLU, sigmoid, tanh, GELU (erf form) and exp over 9 values in [-3, 3]. */
    private static double[][] activations(NDManager m) {
        float[] x = new float[9];
        for (int i = 0; i < 9; i++) {
            x[i] = (float) (-3 + 0.75 * i);
        }
        NDArray a = m.create(x);
        NDArray y = Activation.relu(a).concat(Activation.sigmoid(a)).concat(a.tanh()).concat(Activation.gelu(a))
                .concat(a.exp());
        double[] want = new double[45];
        for (int i = 0; i < 9; i++) {
            double v = x[i];
            want[i] = Math.max(0, v);
            want[9 + i] = sigmoid(v);
            want[18 + i] = Math.tanh(v);
            want[27 + i] = 0.5 * v * (1 + erf(v / Math.sqrt(2)));
            want[36 + i] = Math.exp(v);
        }
        return new double[][]{toDouble(y.toFloatArray()), want};
    }
}
