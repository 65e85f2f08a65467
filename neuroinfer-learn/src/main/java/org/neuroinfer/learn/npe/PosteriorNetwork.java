package org.neuroinfer.learn.npe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.neuroinfer.learn.nn.Networks;

/**
 * The embedding network and the conditional density trained together: inputs (recordings [B, C, T] standardised,
 * θ [B, D] standardised) → log q(θ | embed(x)) [B].
 */
public final class PosteriorNetwork extends AbstractBlock {
    private final Block embedding;
    private final ConditionalDensity density;

    /** The network of {@code spec} for recordings of C × T and D parameters. */
    public PosteriorNetwork(EstimatorSpec spec, int channels, int times, int dim) {
        this.embedding = addChildBlock("embedding", spec.embedding() == null
                ? LambdaBlock.singleton(x -> x.reshape(x.getShape().get(0), -1), "flatten")
                : Networks.build(spec.embedding(), channels, times, spec.features()));
        this.density = addChildBlock("density", spec.density(dim));
    }

    /** The density. */
    public ConditionalDensity density() {
        return density;
    }

    /** The context vectors of standardised recordings [B, C, T] → [B, E]. */
    public NDArray embed(ParameterStore store, NDArray x, boolean training) {
        return embedding.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray c = embed(store, inputs.get(0), training);
        return new NDList(density.logProb(store, c, inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{new Shape(inputShapes[0].get(0))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, inputShapes[0]);
        Shape c = embedding.getOutputShapes(new Shape[]{inputShapes[0]})[0];
        density.initialize(manager, dataType, c, inputShapes[1]);
    }
}
