package org.neuroinfer.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.neuroinfer.random.RandomStreams;

/**
 * Seeded initial weights, drawn in Java so that a seed gives the same network on every engine, device and thread
 * count. The rules follow Keras' defaults, which the benchmark's models used: Glorot-uniform weights (Glorot &amp;
 * Bengio 2010), orthogonal recurrent weights per gate (Saxe et al. 2014), zero biases except a forget-gate bias of 1
 * (Jozefowicz et al. 2015), LayerNorm scale 1 and shift 0, learned token codes N(0, 0.02²); blocks named
 * {@link #NEAR_ZERO} start within ±10⁻³, blocks named {@link #FAN_IN} as PyTorch starts a linear layer.
 */
public final class ParameterInit {
    /**
     * Marks a block whose weights and biases start uniform in ±10⁻³ instead (the last layer of a residual block,
     * which then begins near the identity, as nflows initialises it).
     */
    public static final String NEAR_ZERO = "nearzero";
    /**
     * Marks a block whose weights start uniform in ±1/√fan-in (a vector of n weights: ±1/√n) with zero biases,
     * PyTorch's default for a linear layer's weights, from which sbi's flows start.
     */
    public static final String FAN_IN = "fanin";

    private ParameterInit() {
    }

    /** Overwrites every parameter of an initialised {@code block} from stream {@code seed}. */
    public static void apply(Block block, long seed) {
        int index = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            UniformRandomProvider rng = RandomStreams.stream(seed, index++, RandomStreams.WEIGHTS);
            NDArray a = p.getValue().getArray();
            a.set(values(p.getKey(), a.getShape(), rng));
        }
    }

    static float[] values(String name, Shape shape, UniformRandomProvider rng) {
        int n = (int) shape.size();
        float[] v = new float[n];
        if (name.contains(NEAR_ZERO)) {
            for (int k = 0; k < n; k++) {
                v[k] = (float) ((2 * rng.nextDouble() - 1) * 1e-3);
            }
        } else if (name.contains(FAN_IN) && !name.endsWith("bias")) {
            double limit = 1 / Math.sqrt(shape.get(shape.dimension() - 1));
            for (int k = 0; k < n; k++) {
                v[k] = (float) ((2 * rng.nextDouble() - 1) * limit);
            }
        } else if (name.endsWith("gamma") || name.endsWith("runningVar")) {
            java.util.Arrays.fill(v, 1f);
        } else if (name.endsWith("b_ih")) {
            int h = n / 4;
            java.util.Arrays.fill(v, h, 2 * h, 1f); // forget gate
        } else if (name.endsWith("w_hh")) {
            orthogonalGates(v, (int) shape.get(1), rng);
        } else if (name.endsWith("position")) {
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            for (int k = 0; k < n; k++) {
                v[k] = (float) (0.02 * g.sample());
            }
        } else if (shape.dimension() >= 2 && !name.endsWith("bias") && !name.endsWith("beta")) {
            long receptive = n / (shape.get(0) * shape.get(1));
            double fanIn = shape.get(1) * receptive;
            double fanOut = shape.get(0) * receptive;
            double limit = Math.sqrt(6 / (fanIn + fanOut));
            for (int k = 0; k < n; k++) {
                v[k] = (float) ((2 * rng.nextDouble() - 1) * limit);
            }
        }
        return v;
    }

    /** Each of the four [h × h] gate blocks of a recurrent weight [4h × h] an orthogonal matrix. */
    private static void orthogonalGates(float[] v, int h, UniformRandomProvider rng) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        for (int gate = 0; gate < 4; gate++) {
            double[][] a = new double[h][h];
            for (double[] row : a) {
                for (int j = 0; j < h; j++) {
                    row[j] = g.sample();
                }
            }
            RealMatrix q = new QRDecomposition(MatrixUtils.createRealMatrix(a)).getQ();
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < h; j++) {
                    v[(gate * h + i) * h + j] = (float) q.getEntry(i, j);
                }
            }
        }
    }
}
