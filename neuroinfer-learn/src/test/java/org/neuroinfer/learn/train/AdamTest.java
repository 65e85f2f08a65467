package org.neuroinfer.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.learn.store.WeightFile;
import org.neuroinfer.learn.torch.TorchRuntime;

/**
 * Adam on its flat moment vector is algorithm 1 of Kingma &amp; Ba element by element: the same bits as the
 * formula evaluated in Java floats, operation by operation, over parameters of several shapes; and a run saved
 * after two steps and restored takes the third step to the same bits.
 */
class AdamTest {
    @TempDir
    Path dir;

    private static final Shape[] SHAPES = {new Shape(3, 4), new Shape(5), new Shape(2, 2, 2)};

    /** Parameters of {@link #SHAPES} with values from {@code seed}. */
    private static List<Pair<String, Parameter>> params(NDManager m, long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<Pair<String, Parameter>> out = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            float[] v = new float[(int) SHAPES[i].size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) r.nextGaussian();
            }
            Parameter p = Parameter.builder().setName("p" + i).setType(Parameter.Type.WEIGHT).build();
            NDArray a = m.create(v, SHAPES[i]);
            a.setRequiresGradient(true);
            p.setArray(a);
            out.add(new Pair<>("p" + i, p));
        }
        return out;
    }

    /** Gradients of loss Σ w·c + Σ w² for the coefficients c of step {@code t}: 2w + c. */
    private static void backward(NDManager m, List<Pair<String, Parameter>> params, int t) {
        try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
            NDArray loss = null;
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getValue().getArray();
                NDArray c = m.arange((float) w.size()).mul(0.1f * (t + 1)).sub(i).reshape(w.getShape());
                NDArray term = w.mul(c).sum().add(w.square().sum());
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    @Test
    void flatMomentsGiveTheFormulasBits() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            List<Pair<String, Parameter>> params = params(m, 3);
            float[][] w = new float[SHAPES.length][];
            float[][] mo = new float[SHAPES.length][];
            float[][] ve = new float[SHAPES.length][];
            for (int i = 0; i < w.length; i++) {
                w[i] = params.get(i).getValue().getArray().toFloatArray();
                mo[i] = new float[w[i].length];
                ve[i] = new float[w[i].length];
            }
            Adam adam = new Adam(m, 0);
            double lr = 3e-3;
            for (int t = 1; t <= 4; t++) {
                backward(m, params, t);
                float[][] g = new float[w.length][];
                for (int i = 0; i < w.length; i++) {
                    g[i] = params.get(i).getValue().getArray().getGradient().toFloatArray();
                }
                adam.update(params, lr);
                float c1 = (float) (1 - Math.pow(0.9, t));
                float c2 = (float) (1 - Math.pow(0.999, t));
                for (int i = 0; i < w.length; i++) {
                    for (int k = 0; k < w[i].length; k++) {
                        mo[i][k] = mo[i][k] * 0.9f + g[i][k] * (float) (1 - 0.9);
                        ve[i][k] = ve[i][k] * 0.999f + g[i][k] * g[i][k] * (float) (1 - 0.999);
                        float root = (float) Math.sqrt(ve[i][k] / c2);
                        w[i][k] = w[i][k] - mo[i][k] / c1 / (root + (float) 1e-8) * (float) lr;
                    }
                    assertArrayEquals(w[i], params.get(i).getValue().getArray().toFloatArray(), 0f,
                            "parameter " + i + ", step " + t);
                    assertEquals(0f, params.get(i).getValue().getArray().getGradient().abs().max().getFloat(),
                            "the gradient is zeroed");
                }
            }
        }
    }

    @Test
    void aRestoredStateTakesTheSameStep() throws Exception {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            List<Pair<String, Parameter>> a = params(m, 5);
            List<Pair<String, Parameter>> b = params(m, 5);
            Adam once = new Adam(m, 1e-2);
            Adam twice = new Adam(m, 1e-2);
            for (int t = 0; t < 2; t++) {
                backward(m, a, t);
                once.update(a, 1e-3);
            }
            WeightFile.Builder out = new WeightFile.Builder();
            once.save(out);
            Path f = dir.resolve("adam.npz");
            out.write(f);
            for (int i = 0; i < a.size(); i++) {
                b.get(i).getValue().getArray().set(a.get(i).getValue().getArray().toFloatArray());
            }
            twice.restore(WeightFile.read(f), b);
            assertEquals(2, twice.step());
            backward(m, a, 2);
            once.update(a, 1e-3);
            backward(m, b, 2);
            twice.update(b, 1e-3);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).getValue().getArray().toFloatArray(),
                        b.get(i).getValue().getArray().toFloatArray(), 0f, "parameter " + i);
            }
        }
    }
}
