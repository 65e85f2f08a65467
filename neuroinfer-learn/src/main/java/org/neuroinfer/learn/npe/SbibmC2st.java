package org.neuroinfer.learn.npe;

import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.neuroinfer.numeric.VectorMath;
import org.neuroinfer.random.RandomStreams;

/**
 * The classifier two-sample test exactly as sbibm scores a posterior (Lueckmann et al. 2021; Lopez-Paz &amp; Oquab
 * 2017; the definition in the sbibm reference README, section 3): both samples z-scored with the reference's column
 * means and standard deviations (ddof 1); a classifier with two hidden ReLU layers of 10·d units and a logistic
 * output, trained by Adam (learning rate 10⁻³, β = (0.9, 0.999), ε = 10⁻⁸) on batches of 200 with L2 penalty
 * 10⁻⁴, for at most 10,000 epochs, stopping when the training loss has not fallen by 10⁻⁴ for more than 10 epochs
 * (scikit-learn's MLPClassifier defaults, Glorot-uniform initial weights); 5-fold shuffled cross-validation; the
 * score is the mean held-out accuracy. 0.5: the samples cannot be told apart; 1.0: completely separable.
 */
public final class SbibmC2st {
    private static final int FOLDS = 5;
    private static final int BATCH = 200;
    private static final double LEARNING_RATE = 1e-3;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private static final double ALPHA = 1e-4;
    private static final double TOL = 1e-4;
    private static final int NO_CHANGE = 10;
    private static final int MAX_EPOCHS = 10_000;

    private SbibmC2st() {
    }

    /**
     * The C2ST of {@code candidate} (an algorithm's posterior samples) against {@code reference}, both [n][d];
     * folds and initial weights from {@code seed} (sbibm's is 1). Folds run in parallel; the score does not depend
     * on how many.
     *
     * @throws IllegalArgumentException for samples of different dimension, fewer than 10 rows, or NaN/Inf
     */
    public static double score(double[][] candidate, double[][] reference, long seed) {
        int d = reference[0].length;
        check("candidate", candidate, d);
        check("reference", reference, d);
        int n = reference.length + candidate.length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (double[] r : reference) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / reference.length;
            }
        }
        for (double[] r : reference) {
            for (int j = 0; j < d; j++) {
                sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / (reference.length - 1);
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
        }
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double[] r = i < reference.length ? reference[i] : candidate[i - reference.length];
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (r[j] - mean[j]) / sd[j];
            }
            y[i] = i < reference.length ? 0 : 1;
        }
        int[] order = RandomStreams.permutation(n, RandomStreams.stream(seed, 0, RandomStreams.SHUFFLE));
        double[] accuracy = IntStream.range(0, FOLDS).parallel().mapToDouble(f -> {
            int lo = (int) ((long) n * f / FOLDS);
            int hi = (int) ((long) n * (f + 1) / FOLDS);
            int[] train = new int[n - (hi - lo)];
            int[] test = new int[hi - lo];
            for (int i = 0, a = 0, b = 0; i < n; i++) {
                if (i >= lo && i < hi) {
                    test[b++] = order[i];
                } else {
                    train[a++] = order[i];
                }
            }
            Mlp m = new Mlp(d, 10 * d, RandomStreams.stream(seed, 1 + f, RandomStreams.WEIGHTS));
            m.fit(x, y, train, RandomStreams.stream(seed, 1 + f, RandomStreams.SHUFFLE));
            int correct = 0;
            for (int i : test) {
                correct += (m.probability(x, i) > 0.5 ? 1 : 0) == y[i] ? 1 : 0;
            }
            return correct / (double) test.length;
        }).toArray();
        double s = 0;
        for (double a : accuracy) {
            s += a / FOLDS;
        }
        return s;
    }

    private static void check(String what, double[][] s, int d) {
        if (s.length < 10) {
            throw new IllegalArgumentException(what + ": " + s.length + " samples; C2ST needs at least 10");
        }
        for (int i = 0; i < s.length; i++) {
            if (s[i].length != d) {
                throw new IllegalArgumentException(what + ": sample " + i + " has " + s[i].length
                        + " dimensions, the reference " + d);
            }
            for (double v : s[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + ": sample " + i + " holds " + v);
                }
            }
        }
    }

    /**
     * scikit-learn's MLPClassifier for two classes: d → h → h → 1, ReLU, logistic output, Adam. Weights are kept
     * input-major ({@code w[in][out]}) and every inner loop is an element-wise update over a contiguous row, which
     * the JIT vectorises with the same result at any vector width (no reordered sums: the same bits on any CPU).
     */
    static final class Mlp {
        final int d;
        final int h;
        // parameters, flattened: w1 [d][h], b1 [h], w2 [h][h] (input-major), b2 [h], w3 [h], b3 [1]
        final double[] p;
        final int w1;
        final int b1;
        final int w2;
        final int b2;
        final int w3;
        final int b3;
        /** w2 output-major [out][in], refreshed after every step, for the backward pass. */
        private final double[] w2t;

        Mlp(int d, int h, UniformRandomProvider rng) {
            this.d = d;
            this.h = h;
            w1 = 0;
            b1 = w1 + h * d;
            w2 = b1 + h;
            b2 = w2 + h * h;
            w3 = b2 + h;
            b3 = w3 + h;
            p = new double[b3 + 1];
            w2t = new double[h * h];
            // Glorot uniform, bound sqrt(6 / (fan_in + fan_out)), for weights and biases alike
            init(rng, w1, h * d, d, h);
            init(rng, b1, h, d, h);
            init(rng, w2, h * h, h, h);
            init(rng, b2, h, h, h);
            init(rng, w3, h, h, 1);
            init(rng, b3, 1, h, 1);
            transpose();
        }

        private void init(UniformRandomProvider rng, int at, int count, int in, int out) {
            double bound = Math.sqrt(6.0 / (in + out));
            for (int i = at; i < at + count; i++) {
                p[i] = bound * (2 * rng.nextDouble() - 1);
            }
        }

        private void transpose() {
            for (int j = 0; j < h; j++) {
                for (int k = 0; k < h; k++) {
                    w2t[k * h + j] = p[w2 + j * h + k];
                }
            }
        }

        /** P(label 1 | row {@code i} of {@code x}). */
        double probability(double[] x, int i) {
            double[][] z1 = new double[1][h];
            double[][] z2 = new double[1][h];
            forward(x, new int[] {i}, 0, 1, z1, new double[1][h], z2);
            return 1 / (1 + Math.exp(-logit(z2[0])));
        }

        /** Layers 1 and 2 for the rows {@code idx[c0 .. c0 + cn)}: pre-activations z1, z2 and activations a1. */
        private void forward(double[] x, int[] idx, int c0, int cn, double[][] z1, double[][] a1, double[][] z2) {
            for (int c = 0; c < cn; c++) {
                System.arraycopy(p, b1, z1[c], 0, h);
            }
            for (int j = 0; j < d; j++) {
                int row = w1 + j * h;
                for (int c = 0; c < cn; c++) {
                    VectorMath.axpy(x[idx[c0 + c] * d + j], p, row, z1[c], 0, h);
                }
            }
            for (int c = 0; c < cn; c++) {
                for (int k = 0; k < h; k++) {
                    a1[c][k] = z1[c][k] > 0 ? z1[c][k] : 0;
                }
                System.arraycopy(p, b2, z2[c], 0, h);
            }
            for (int j = 0; j < h; j++) {
                int row = w2 + j * h;
                for (int c = 0; c < cn; c++) {
                    double aj = a1[c][j];
                    if (aj != 0) {
                        VectorMath.axpy(aj, p, row, z2[c], 0, h);
                    }
                }
            }
        }

        /** The output's logit from layer 2's pre-activations. */
        private double logit(double[] z2) {
            double s = p[b3];
            for (int k = 0; k < h; k++) {
                s += (z2[k] > 0 ? z2[k] : 0) * p[w3 + k];
            }
            return s;
        }

        /** Samples processed together, so that a weight row read from cache serves all of them. */
        private static final int CHUNK = 8;

        /**
         * Adam on the rows {@code rows} until the training loss stops falling. A batch is processed in chunks of
         * {@value #CHUNK} samples; every sum still runs over the samples in the same order, so the result does not
         * depend on the chunking.
         */
        void fit(double[] x, double[] y, int[] rows, UniformRandomProvider rng) {
            int n = rows.length;
            double[] g = new double[p.length];
            double[] m = new double[p.length];
            double[] v = new double[p.length];
            double[][] z1 = new double[CHUNK][h];
            double[][] a1 = new double[CHUNK][h];
            double[][] z2 = new double[CHUNK][h];
            double[][] dz2 = new double[CHUNK][h];
            double[][] da1 = new double[CHUNK][h];
            double[] dz3 = new double[CHUNK];
            int[] idx = rows.clone();
            double best = Double.POSITIVE_INFINITY;
            int noImprovement = 0;
            long t = 0;
            int batch = Math.min(BATCH, n);
            for (int epoch = 0; epoch < MAX_EPOCHS; epoch++) {
                RandomStreams.shuffle(idx, rng);
                double epochLoss = 0;
                for (int start = 0; start < n; start += batch) {
                    int end = Math.min(n, start + batch);
                    int b = end - start;
                    java.util.Arrays.fill(g, 0);
                    double loss = 0;
                    for (int c0 = start; c0 < end; c0 += CHUNK) {
                        int cn = Math.min(CHUNK, end - c0);
                        forward(x, idx, c0, cn, z1, a1, z2);
                        // output and its gradient
                        for (int c = 0; c < cn; c++) {
                            int r = idx[c0 + c];
                            double prob = 1 / (1 + Math.exp(-logit(z2[c])));
                            double pc = Math.min(Math.max(prob, 1e-15), 1 - 1e-15);
                            loss -= y[r] * Math.log(pc) + (1 - y[r]) * Math.log(1 - pc);
                            dz3[c] = (prob - y[r]) / b;
                            g[b3] += dz3[c];
                            for (int k = 0; k < h; k++) {
                                boolean on = z2[c][k] > 0;
                                g[w3 + k] += on ? dz3[c] * z2[c][k] : 0;
                                dz2[c][k] = on ? dz3[c] * p[w3 + k] : 0;
                                g[b2 + k] += dz2[c][k];
                            }
                        }
                        // back through layer 2
                        for (int c = 0; c < cn; c++) {
                            java.util.Arrays.fill(da1[c], 0);
                        }
                        for (int k = 0; k < h; k++) {
                            int row = k * h;
                            for (int c = 0; c < cn; c++) {
                                double dk = dz2[c][k];
                                if (dk == 0) {
                                    continue;
                                }
                                VectorMath.axpy(dk, w2t, row, da1[c], 0, h);
                            }
                        }
                        for (int j = 0; j < h; j++) {
                            int row = w2 + j * h;
                            for (int c = 0; c < cn; c++) {
                                double aj = a1[c][j];
                                if (aj == 0) {
                                    continue;
                                }
                                VectorMath.axpy(aj, dz2[c], 0, g, row, h);
                            }
                        }
                        // back through layer 1
                        for (int c = 0; c < cn; c++) {
                            for (int k = 0; k < h; k++) {
                                da1[c][k] = z1[c][k] > 0 ? da1[c][k] : 0;
                                g[b1 + k] += da1[c][k];
                            }
                        }
                        for (int j = 0; j < d; j++) {
                            int row = w1 + j * h;
                            for (int c = 0; c < cn; c++) {
                                VectorMath.axpy(x[idx[c0 + c] * d + j], da1[c], 0, g, row, h);
                            }
                        }
                    }
                    // L2 on the weights (not the biases), scaled as scikit-learn does: alpha / batch
                    double penalty = 0;
                    for (int[] range : new int[][] {{w1, b1}, {w2, b2}, {w3, b3}}) {
                        for (int k = range[0]; k < range[1]; k++) {
                            g[k] += ALPHA * p[k] / b;
                            penalty += p[k] * p[k];
                        }
                    }
                    loss = loss / b + 0.5 * ALPHA * penalty / b;
                    epochLoss += loss * b;
                    t++;
                    double lr = LEARNING_RATE * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
                    for (int k = 0; k < p.length; k++) {
                        m[k] = BETA1 * m[k] + (1 - BETA1) * g[k];
                        v[k] = BETA2 * v[k] + (1 - BETA2) * g[k] * g[k];
                        p[k] -= lr * m[k] / (Math.sqrt(v[k]) + EPSILON);
                    }
                    transpose();
                }
                epochLoss /= n;
                noImprovement = epochLoss > best - TOL ? noImprovement + 1 : 0;
                best = Math.min(best, epochLoss);
                if (noImprovement > NO_CHANGE) {
                    return;
                }
            }
        }
    }
}
