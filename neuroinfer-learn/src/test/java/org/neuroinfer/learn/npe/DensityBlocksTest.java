package org.neuroinfer.learn.npe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;
import org.neuroinfer.learn.nn.ParameterInit;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.random.RandomStreams;

/** The density blocks against their definitions: autoregressive masks, invertibility, hand-computed densities. */
class DensityBlocksTest {
    @Test
    void madeOutputsDependOnlyOnEarlierInputs() {
        Made made = new Made(4, 10, 3);
        for (int o = 0; o < 8; o++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(i < o % 4, made.dependsOn(o, i), "output " + o + ", input " + i);
            }
        }
    }

    @Test
    void madeGivesEachVariableItsParameters() {
        Made made = new Made(3, 9, 2, 5);
        for (int o = 0; o < 15; o++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(i < o % 3, made.dependsOn(o, i), "output " + o + ", input " + i);
            }
        }
    }

    @Test
    void affineFlowSamplingInvertsTheForwardPass() {
        samplingInvertsTheForwardPass(new MaskedAutoregressiveFlow(3, 4, 12, 2));
    }

    @Test
    void splineFlowSamplingInvertsTheForwardPass() {
        samplingInvertsTheForwardPass(MaskedAutoregressiveFlow.spline(3, 4, 12, 2, 6));
    }

    @Test
    void couplingFlowSamplingInvertsTheForwardPass() {
        samplingInvertsTheForwardPass(new CouplingFlow(3, 4, 12, 2, new AffineTransform()));
        samplingInvertsTheForwardPass(CouplingFlow.spline(3, 4, 12, 2, 6));
    }

    @Test
    void couplingSplineFlowDensityIntegratesToOne() {
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            CouplingFlow flow = CouplingFlow.spline(2, 3, 10, 2, 8);
            flow.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
            ParameterInit.apply(flow, 8);
            scrambleLuLayers(flow, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray c = m.create(new float[]{-0.7f, 0.9f}, new Shape(1, 2));
            assertEquals(1.0, integral(flow, ps, c, 8), 2e-3);
        }
    }

    @Test
    void couplingLeavesOneParityAloneAndRefusesOneParameter() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CouplingFlow.spline(1, 2, 8, 2, 4));
        assertTrue(e.getMessage().contains("estimator.flow"), e.getMessage());
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            CouplingFlow flow = CouplingFlow.spline(3, 1, 8, 2, 4);
            flow.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 3));
            ParameterInit.apply(flow, 2);
            for (var p : flow.getParameters()) {
                if (p.getKey().matches("(.*_)?\\d+lu\\d+.*")) {
                    p.getValue().getArray().set(new float[(int) p.getValue().getArray().size()]); // the identity
                }
            }
            float[] theta = {0.5f, -1.5f, 2f, 1f, 0.2f, -0.25f};
            float[] z = flow.toNoise(new ParameterStore(m, false), m.create(new float[]{1f, 2f, 1f, 2f},
                    new Shape(2, 2)), m.create(theta, new Shape(2, 3)), false).get(0).toFloatArray();
            for (int r = 0; r < 2; r++) {
                assertEquals(theta[r * 3 + 1], z[r * 3 + 1], 1e-6f, "the odd variable of row " + r); // d = 1 to a float
                assertTrue(z[r * 3] != theta[r * 3] && z[r * 3 + 2] != theta[r * 3 + 2], "the even ones change");
            }
        }
    }

    @Test
    void luLayerStartsAsTheIdentityAndKeepsItsDeterminant() {
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            LuLinear lu = new LuLinear(3);
            lu.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            ParameterInit.apply(lu, 1);
            ParameterStore ps = new ParameterStore(m, false);
            float[] x = {0.5f, -1.5f, 2f, 1f, 0f, -0.25f};
            var out = lu.forward(ps, m.create(x, new Shape(2, 3)), false);
            org.junit.jupiter.api.Assertions.assertArrayEquals(x, out.get(0).toFloatArray(), 1e-6f);
            assertEquals(0f, out.get(1).getFloat(), 1e-6f);
            // set W = L U with L = [[1,0,0],[2,1,0],[-1,3,1]], U = [[d0,1,0],[0,d1,-2],[0,0,d2]], b = (1,-1,0.5)
            float[] s = {0.3f, -0.8f, 1.1f};
            set(lu, "lower", new float[]{2f, -1f, 3f});
            set(lu, "upper", new float[]{1f, 0f, -2f});
            set(lu, "diagonal", s);
            set(lu, "shift", new float[]{1f, -1f, 0.5f});
            double off = Math.log(Math.expm1(1 - 1e-3));
            double[] d = new double[3];
            double logDet = 0;
            for (int i = 0; i < 3; i++) {
                d[i] = Math.log1p(Math.exp(s[i] + off)) + 1e-3;
                logDet += Math.log(d[i]);
            }
            double[][] l = {{1, 0, 0}, {2, 1, 0}, {-1, 3, 1}};
            double[][] u = {{d[0], 1, 0}, {0, d[1], -2}, {0, 0, d[2]}};
            double[] b = {1, -1, 0.5};
            out = lu.forward(ps, m.create(x, new Shape(2, 3)), false);
            float[] y = out.get(0).toFloatArray();
            for (int r = 0; r < 2; r++) {
                for (int i = 0; i < 3; i++) {
                    double w = b[i];
                    for (int j = 0; j < 3; j++) {
                        double wij = 0;
                        for (int k = 0; k < 3; k++) {
                            wij += l[i][k] * u[k][j];
                        }
                        w += wij * x[r * 3 + j];
                    }
                    assertEquals(w, y[r * 3 + i], 1e-5, "y[" + r + "][" + i + "]");
                }
            }
            assertEquals(logDet, out.get(1).getFloat(), 1e-6);
            lu.inverse(ps, out.get(0), y);
            org.junit.jupiter.api.Assertions.assertArrayEquals(x, y, 1e-5f);
        }
    }

    private static void set(ai.djl.nn.Block b, String name, float[] v) {
        for (var p : b.getParameters()) {
            if (p.getKey().endsWith(name)) {
                p.getValue().getArray().set(v);
            }
        }
    }

    /** Gives every LU layer of {@code flow} a non-trivial W, so that the tests see it. */
    private static void scrambleLuLayers(ai.djl.nn.Block flow, NDManager m) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        int scrambled = 0;
        for (var p : flow.getParameters()) {
            if (p.getKey().matches("(.*_)?\\d+lu\\d+.*")) {
                NDArray a = p.getValue().getArray();
                float[] v = new float[(int) a.size()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) rng.nextDouble(-0.6, 0.6);
                }
                a.set(v);
                scrambled++;
            }
        }
        assertTrue(scrambled > 0 || !(flow instanceof CouplingFlow), "no LU layer found");
    }

    private static void samplingInvertsTheForwardPass(NormalizingFlow flow) {
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            flow.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 3));
            ParameterInit.apply(flow, 5);
            scrambleLuLayers(flow, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray c = m.create(new float[]{0.3f, -1.2f}, new Shape(1, 2));
            float[][] theta = flow.sample(ps, c, 200, RandomStreams.stream(1, 2));
            float[] flat = new float[600];
            for (int r = 0; r < 200; r++) {
                System.arraycopy(theta[r], 0, flat, r * 3, 3);
            }
            float[] z = flow.toNoise(ps, c.repeat(0, 200), m.create(flat, new Shape(200, 3)), false).get(0)
                    .toFloatArray();
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(RandomStreams.stream(1, 2));
            for (int k = 0; k < 600; k++) {
                assertEquals(g.sample(), z[k], 2e-4, "variate " + k);
            }
        }
    }

    @Test
    void splineFlowDensityIntegratesToOne() {
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            MaskedAutoregressiveFlow flow = MaskedAutoregressiveFlow.spline(2, 3, 10, 2, 8);
            flow.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
            ParameterInit.apply(flow, 8);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray c = m.create(new float[]{-0.7f, 0.9f}, new Shape(1, 2));
            assertEquals(1.0, integral(flow, ps, c, 8), 2e-3);
        }
    }

    @Test
    void splineIsTheIdentityOutsideItsBoundAndMonotoneInside() {
        RationalQuadraticSpline s = new RationalQuadraticSpline(5, 3.0, 4);
        float[] p = {0.4f, -1f, 2f, 0f, 0.3f, 1f, 1f, -2f, 0.5f, 0f, 0.7f, -0.2f, 1.5f, -3f};
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            int n = 9001;
            float[] u = new float[n];
            float[] pp = new float[n * p.length];
            for (int k = 0; k < n; k++) {
                u[k] = -4.5f + 9f * k / (n - 1);
                System.arraycopy(p, 0, pp, k * p.length, p.length);
            }
            var out = s.forward(m.create(u, new Shape(n, 1)), m.create(pp, new Shape(n, 1, p.length)));
            float[] z = out.get(0).toFloatArray();
            float[] ld = out.get(1).toFloatArray();
            for (int k = 0; k < n; k++) {
                if (Math.abs(u[k]) >= 3) {
                    assertEquals(u[k], z[k], 0f, "tail at " + u[k]);
                    assertEquals(0f, ld[k], 0f);
                } else {
                    assertEquals(u[k], s.inverse(z[k], p), 2e-5, "inverse at " + u[k]);
                }
                if (k > 0) {
                    assertTrue(z[k] > z[k - 1], "monotone at " + u[k]);
                    // log |dz/du| against the finite difference of z
                    double slope = (z[k] - z[k - 1]) / (u[k] - u[k - 1]);
                    double mid = 0.5 * (Math.exp(ld[k]) + Math.exp(ld[k - 1]));
                    assertEquals(slope, mid, 0.01 * mid + 1e-3, "slope at " + u[k]);
                }
            }
        }
    }

    @Test
    void splineGradientsStayFiniteAtAndBeyondTheBound() {
        RationalQuadraticSpline s = new RationalQuadraticSpline(10, 3.0, 50);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        float[] u = {3f, -3f, 2.9999998f, -2.9999998f, 3.0000002f, 5f, -7f, 0.5f};
        int n = u.length;
        float[] p = new float[n * 29];
        for (int k = 0; k < p.length; k++) {
            // bins of every size, and knot derivatives up to 10^6, where an ulp past a bin's edge matters
            p[k] = (float) (k % 29 < 20 ? 8 * rng.nextDouble(-1, 1) : Math.exp(rng.nextDouble(0, 14)));
        }
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            NDArray params = m.create(p, new Shape(n, 1, 29));
            NDArray x = m.create(u, new Shape(n, 1));
            params.setRequiresGradient(true);
            x.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                var out = s.forward(x, params);
                gc.backward(out.get(0).sum().add(out.get(1).sum()));
            }
            for (float g : params.getGradient().toFloatArray()) {
                assertTrue(Float.isFinite(g), "parameter gradient " + g);
            }
            float[] gx = x.getGradient().toFloatArray();
            for (int k = 0; k < n; k++) {
                assertTrue(Float.isFinite(gx[k]), "input gradient at " + u[k] + ": " + gx[k]);
            }
            assertEquals(1f, gx[5], 0f, "the identity tail");
        }
    }

    /** ∫ q(θ | c) dθ on a grid over [-lim, lim]². */
    private static double integral(ConditionalDensity q, ParameterStore ps, NDArray c, double lim) {
        int n = 161;
        double h = 2 * lim / (n - 1);
        float[] grid = grid(n, lim);
        float[] lp = q.logProb(ps, c.repeat(0, n * n), c.getManager().create(grid, new Shape(n * n, 2)), false)
                .toFloatArray();
        double total = 0;
        for (float v : lp) {
            total += Math.exp(v) * h * h;
        }
        return total;
    }

    @Test
    void mixtureDensityMatchesTheGaussianMixtureFormula() {
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            MixtureDensity mdn = new MixtureDensity(2, 3, 8, 1);
            mdn.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
            ParameterInit.apply(mdn, 6);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray c = m.create(new float[]{0.5f, -0.4f}, new Shape(1, 2));
            // log q(θ) from sampling statistics: a histogram-free check through the mixture's own moments is weak,
            // so compare log q against a numerical integral: ∫ q = 1 over a wide grid
            int n = 161;
            double lim = 8;
            double h = 2 * lim / (n - 1);
            float[] grid = grid(n, lim);
            float[] lp = mdn.logProb(ps, c.repeat(0, n * n), m.create(grid, new Shape(n * n, 2)), false)
                    .toFloatArray();
            double total = 0;
            for (float v : lp) {
                total += Math.exp(v) * h * h;
            }
            assertEquals(1.0, total, 2e-3);
            // the samples' mean matches the density's mean on the grid
            double[] gm = new double[2];
            for (int k = 0; k < lp.length; k++) {
                gm[0] += grid[2 * k] * Math.exp(lp[k]) * h * h;
                gm[1] += grid[2 * k + 1] * Math.exp(lp[k]) * h * h;
            }
            float[][] s = mdn.sample(ps, c, 40_000, RandomStreams.stream(3, 0));
            double[] sm = new double[2];
            for (float[] r : s) {
                sm[0] += r[0] / s.length;
                sm[1] += r[1] / s.length;
            }
            assertEquals(gm[0], sm[0], 0.03);
            assertEquals(gm[1], sm[1], 0.03);
            assertFalse(Double.isNaN(total));
            assertTrue(total > 0);
        }
    }

    /** The n × n points of a regular grid over [-lim, lim]², as rows (θ1, θ2). */
    private static float[] grid(int n, double lim) {
        double h = 2 * lim / (n - 1);
        float[] grid = new float[n * n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                grid[(i * n + j) * 2] = (float) (-lim + i * h);
                grid[(i * n + j) * 2 + 1] = (float) (-lim + j * h);
            }
        }
        return grid;
    }
}
