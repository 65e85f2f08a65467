package org.neuroinfer.learn.npe;

import java.util.stream.IntStream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
     * input-major ({@code w[in][out]}); the layers are products of row-major blocks ({@link VectorMath#multiplyAdd})
     * whose every element is a chain of fused multiply-adds in a fixed order: the same bits at any vector width, on
     * any CPU.
     */
    static final class Mlp {
        private static final VectorSpecies<Double> SP = VectorMath.SPECIES;
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
            Work w = new Work(d, h, 1);
            forward(x, new int[] {i}, 0, 1, w);
            double[] logit = new double[1];
            logits(w.z2, 1, logit);
            return 1 / (1 + Math.exp(-logit[0]));
        }

        /** A chunk's activations and gradients, row-major [sample][unit], and the transposes the gradients use. */
        private static final class Work {
            final int rows;
            final double[] xa;
            final double[] xt;
            final double[] z1;
            final double[] a1;
            final double[] a1t;
            final double[] z2;
            final double[] dz2;
            final double[] da1;

            Work(int d, int h, int rows) {
                this.rows = rows;
                xa = new double[rows * d];
                xt = new double[d * rows];
                z1 = new double[rows * h];
                a1 = new double[rows * h];
                a1t = new double[h * rows];
                z2 = new double[rows * h];
                dz2 = new double[rows * h];
                da1 = new double[rows * h];
            }
        }

        /** Layers 1 and 2 for the rows {@code idx[c0 .. c0 + cn)}: pre-activations z1, z2 and activations a1. */
        private void forward(double[] x, int[] idx, int c0, int cn, Work w) {
            for (int c = 0; c < cn; c++) {
                System.arraycopy(x, idx[c0 + c] * d, w.xa, c * d, d);
                System.arraycopy(p, b1, w.z1, c * h, h);
            }
            VectorMath.multiplyAdd(w.xa, 0, d, cn, d, p, w1, h, w.z1, 0, h, h);
            int all = cn * h;
            int k = 0;
            for (; k < SP.loopBound(all); k += SP.length()) {
                DoubleVector.fromArray(SP, w.z1, k).max(0.0).intoArray(w.a1, k);
            }
            for (; k < all; k++) {
                w.a1[k] = Math.max(w.z1[k], 0.0);
            }
            for (int c = 0; c < cn; c++) {
                System.arraycopy(p, b2, w.z2, c * h, h);
            }
            VectorMath.multiplyAdd(w.a1, 0, h, cn, h, p, w2, h, w.z2, 0, h, h);
        }

        /**
         * The output's logits of the first {@code cn} rows of layer 2's pre-activations: b3 + Σ_k relu(z2_k) w3_k,
         * summed in increasing k for each row, the rows side by side.
         */
        private void logits(double[] z2, int cn, double[] out) {
            java.util.Arrays.fill(out, 0, cn, p[b3]);
            for (int k = 0; k < h; k++) {
                double wk = p[w3 + k];
                for (int c = 0; c < cn; c++) {
                    double z = z2[c * h + k];
                    out[c] += (z > 0 ? z : 0) * wk;
                }
            }
        }

        /**
         * Adam on the rows {@code rows} until the training loss stops falling. Every sum over a batch's samples runs
         * in their order, one fused multiply-add per sample, as scikit-learn's would in exact arithmetic.
         */
        void fit(double[] x, double[] y, int[] rows, UniformRandomProvider rng) {
            int n = rows.length;
            double[] g = new double[p.length];
            double[] m = new double[p.length];
            double[] v = new double[p.length];
            int batch = Math.min(BATCH, n);
            Work w = new Work(d, h, batch);
            double[] dz3 = new double[batch];
            double[] logit = new double[batch];
            int[] idx = rows.clone();
            double best = Double.POSITIVE_INFINITY;
            int noImprovement = 0;
            long t = 0;
            for (int epoch = 0; epoch < MAX_EPOCHS; epoch++) {
                RandomStreams.shuffle(idx, rng);
                double epochLoss = 0;
                for (int start = 0; start < n; start += batch) {
                    int end = Math.min(n, start + batch);
                    int b = end - start;
                    java.util.Arrays.fill(g, 0);
                    double loss = 0;
                    forward(x, idx, start, b, w);
                    // output and its gradient
                    logits(w.z2, b, logit);
                    for (int c = 0; c < b; c++) {
                        int r = idx[start + c];
                        double prob = 1 / (1 + Math.exp(-logit[c]));
                        double pc = Math.min(Math.max(prob, 1e-15), 1 - 1e-15);
                        loss -= y[r] * Math.log(pc) + (1 - y[r]) * Math.log(1 - pc);
                        dz3[c] = (prob - y[r]) / b;
                        g[b3] += dz3[c];
                        outputGradient(dz3[c], w.z2, c * h, g, w.dz2);
                    }
                    // back through layer 2: da1 = dz2 W2ᵀ, and ∂W2 = a1ᵀ dz2
                    java.util.Arrays.fill(w.da1, 0, b * h, 0);
                    VectorMath.multiplyAdd(w.dz2, 0, h, b, h, w2t, 0, h, w.da1, 0, h, h);
                    transpose(w.a1, b, h, w.a1t, w.rows);
                    VectorMath.multiplyAdd(w.a1t, 0, w.rows, h, b, w.dz2, 0, h, g, w2, h, h);
                    // back through layer 1: ∂W1 = xᵀ da1
                    for (int c = 0; c < b; c++) {
                        hiddenGradient(w.z1, w.da1, c * h, g);
                    }
                    transpose(w.xa, b, d, w.xt, w.rows);
                    VectorMath.multiplyAdd(w.xt, 0, w.rows, d, b, w.da1, 0, h, g, w1, h, h);
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

        /**
         * For one sample (its layer-2 row at {@code at}) with output gradient {@code dz3}: ∂w3 += dz3 · relu(z2),
         * dz2 = dz3 · w3 where z2 &gt; 0 (else 0), ∂b2 += dz2; lane by lane, the scalar operations' bits.
         */
        private void outputGradient(double dz3, double[] z2, int at, double[] g, double[] dz2) {
            DoubleVector zero = DoubleVector.zero(SP);
            int k = 0;
            for (; k < SP.loopBound(h); k += SP.length()) {
                DoubleVector z = DoubleVector.fromArray(SP, z2, at + k);
                VectorMask<Double> on = z.compare(VectorOperators.GT, 0.0);
                DoubleVector.fromArray(SP, g, w3 + k).add(zero.blend(z.mul(dz3), on)).intoArray(g, w3 + k);
                DoubleVector dz = zero.blend(DoubleVector.fromArray(SP, p, w3 + k).mul(dz3), on);
                dz.intoArray(dz2, at + k);
                DoubleVector.fromArray(SP, g, b2 + k).add(dz).intoArray(g, b2 + k);
            }
            for (; k < h; k++) {
                double z = z2[at + k];
                boolean on = z > 0;
                g[w3 + k] += on ? dz3 * z : 0;
                double dz = on ? dz3 * p[w3 + k] : 0;
                dz2[at + k] = dz;
                g[b2 + k] += dz;
            }
        }

        /** For one sample (its rows at {@code at}): da1 = 0 where z1 &lt;= 0, then ∂b1 += da1. */
        private void hiddenGradient(double[] z1, double[] da1, int at, double[] g) {
            DoubleVector zero = DoubleVector.zero(SP);
            int k = 0;
            for (; k < SP.loopBound(h); k += SP.length()) {
                VectorMask<Double> on = DoubleVector.fromArray(SP, z1, at + k).compare(VectorOperators.GT, 0.0);
                DoubleVector da = zero.blend(DoubleVector.fromArray(SP, da1, at + k), on);
                da.intoArray(da1, at + k);
                DoubleVector.fromArray(SP, g, b1 + k).add(da).intoArray(g, b1 + k);
            }
            for (; k < h; k++) {
                double da = z1[at + k] > 0 ? da1[at + k] : 0;
                da1[at + k] = da;
                g[b1 + k] += da;
            }
        }

        /** dst[j · ldd + c] = src[c · cols + j] for c in [0, rows), j in [0, cols). */
        private static void transpose(double[] src, int rows, int cols, double[] dst, int ldd) {
            for (int c = 0; c < rows; c++) {
                for (int j = 0; j < cols; j++) {
                    dst[j * ldd + c] = src[c * cols + j];
                }
            }
        }
    }
}
