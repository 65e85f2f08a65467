package org.neuroinfer.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.nn.ParameterInit;
import org.neuroinfer.learn.torch.TorchRuntime;

/** A finite loss whose gradient is NaN (a discarded branch of a where): the weights are not touched. */
class TrainingLoopNanTest {
    @TempDir
    Path dir;

    @Test
    void aNanGradientStopsTrainingWithTheWeightsUnchanged() {
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            Linear block = Linear.builder().setUnits(1).build();
            block.initialize(m, DataType.FLOAT32, new Shape(4, 2));
            ParameterInit.apply(block, 1);
            float[] before = block.getParameters().get(0).getValue().getArray().toFloatArray();
            TrainingLoop.Objective nanGradient = new TrainingLoop.Objective() {
                @Override
                public NDArray batchLoss(NDManager step, int[] rows, int from, int count) {
                    NDArray y = block.forward(new ParameterStore(step, false),
                            new NDList(step.ones(new Shape(count, 2))), true).singletonOrThrow();
                    // the forward value takes the finite branch; the gradient of sqrt(-1 - y²) is NaN
                    NDArray bad = y.square().add(1).neg().sqrt();
                    return NDArrays.where(y.eq(y), y, bad).sum();
                }

                @Override
                public double validationLoss(int[] rows) {
                    return 0;
                }
            };
            TrainingConfig.Optimisation opt = new TrainingConfig.Optimisation(3, 4, 1e-3, null, null, null, null,
                    null, null, null, 5.0, 1L, null, null);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> TrainingLoop.run(
                    block, m, opt, new int[] {0, 1, 2, 3}, new int[] {4}, new TrainingLoop.Identity("k",
                    JsonNodeFactory.instance.objectNode()), dir, "done", nanGradient, new TrainingLoop.Listener() {
                    }));
            assertTrue(e.getMessage().contains("gradient became NaN at epoch 1, batch 1"), e.getMessage());
            assertArrayEquals(before, block.getParameters().get(0).getValue().getArray().toFloatArray(), 0f);
        }
    }
}
