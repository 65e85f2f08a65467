package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import org.neuroinfer.learn.bench.Benchmark;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.learn.npe.NpeTraining;
import org.neuroinfer.learn.train.TrainingLoop;

/**
 * The posterior-training stage: an amortised neural posterior estimator q(θ | x) (NPE; Papamakarios &amp; Murray
 * 2016, Greenberg et al. 2019) trained on a generated data set, with the prior's support taken from the data set's
 * own configuration. Checkpoints every epoch: a killed run resumes.
 */
public final class PosteriorTraining {
    private PosteriorTraining() {
    }

    /**
     * What to train.
     *
     * @param config the estimator, its input (conditions, decimation) and its training
     * @param data   a generated data set's folder
     * @param out    the estimator's folder
     * @param force  discard an earlier training in {@code out} instead of resuming it
     */
    public record Spec(NpeConfig config, Path data, Path out, boolean force) {
    }

    /** Loads the data set of {@code spec} as the estimator reads it, telling {@code progress} each shard read. */
    public static RecordingSet load(Spec spec, IntConsumer progress) throws IOException {
        return RecordingSet.load(spec.data(), spec.config().input().conditions(), spec.config().input().decimate(),
                progress);
    }

    /** Trains on {@code set} (from {@link #load}); the caller closes the result's model. */
    public static NpeTraining.Result run(Spec spec, RecordingSet set, TrainingLoop.Listener listener) throws IOException {
        if (spec.force()) {
            NpeTraining.discard(spec.out());
        }
        return NpeTraining.run(spec.config(), set, Benchmark.support(spec.data(), set), spec.out(), listener);
    }
}
