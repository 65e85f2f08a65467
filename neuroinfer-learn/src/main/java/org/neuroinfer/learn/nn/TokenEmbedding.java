package org.neuroinfer.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Adds a position code to tokens [B, N, D]: either a learned vector per token (an electrode identity, for channel
 * tokens) or the fixed sinusoids of Vaswani et al. 2017 (§3.5: PE(n, 2i) = sin(n / 10000^{2i/D}),
 * PE(n, 2i+1) = cos(n / 10000^{2i/D})) for time patches.
 */
public final class TokenEmbedding extends AbstractBlock {
    private final int tokens;
    private final int dim;
    private final Parameter learned;

    /** A code for {@code tokens} tokens of width {@code dim}; learned or sinusoidal. */
    public TokenEmbedding(int tokens, int dim, boolean learnedCode) {
        this.tokens = Sizes.positive("tokens", tokens);
        this.dim = Sizes.positive("d_model", dim);
        this.learned = learnedCode
                ? addParameter(Lstm.param("position", Parameter.Type.WEIGHT, new Shape(tokens, dim))) : null;
    }

    /** The sinusoidal code [tokens][dim]. */
    public static float[] sinusoids(int tokens, int dim) {
        float[] pe = new float[tokens * dim];
        for (int n = 0; n < tokens; n++) {
            for (int i = 0; i < dim; i++) {
                double angle = n / Math.pow(10000, (i - i % 2) / (double) dim);
                pe[n * dim + i] = (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return pe;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray code = learned != null ? store.getValue(learned, x.getDevice(), training)
                : x.getManager().create(sinusoids(tokens, dim), new Shape(tokens, dim)).toDevice(x.getDevice(), false);
        return new NDList(x.add(code));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() != 3 || s.get(1) != tokens || s.get(2) != dim) {
            throw new IllegalArgumentException("expected tokens [B, " + tokens + ", " + dim + "], got " + s);
        }
    }
}
