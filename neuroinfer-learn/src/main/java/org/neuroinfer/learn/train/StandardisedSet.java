package org.neuroinfer.learn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuroinfer.learn.Splits;
import org.neuroinfer.learn.Standardiser;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.store.ModelCard;

/**
 * A data set made ready for training: the targets picked, a seeded split, and recordings (per channel) and targets
 * (per parameter) standardised with statistics of the training split only, which are kept for the saved model.
 *
 * @param splits     the rows of each split
 * @param x          standardised recordings, row-major [n][channels][times]
 * @param y          standardised targets, row-major [n][p]
 * @param input      what a model reads, with the input statistics
 * @param targets    the targets, with their statistics
 * @param conditions the noise factors present
 */
public record StandardisedSet(Splits splits, float[] x, float[] y, ModelCard.InputSpec input,
                           ModelCard.TargetSpec targets, List<Double> conditions) {

    /**
     * Prepares {@code data} for training with {@code input}'s targets (all if none) and {@code opt}'s split.
     *
     * @throws IllegalArgumentException for an unknown target or fewer than 10 recordings
     */
    public static StandardisedSet of(RecordingSet data, TrainingConfig.Input input, TrainingConfig.Optimisation opt) {
        return of(data, input, opt, null, null);
    }

    /**
     * As above, the recordings and targets standardised by {@code fixedX} and {@code fixedY} (an earlier
     * training's, to continue it) where they are not null, instead of by the training split's own moments.
     */
    public static StandardisedSet of(RecordingSet data, TrainingConfig.Input input, TrainingConfig.Optimisation opt,
                                     Standardiser fixedX, Standardiser fixedY) {
        List<String> names = input.targets() != null ? input.targets() : data.paramNames();
        int p = names.size();
        int[] cols = new int[p];
        List<String> units = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            cols[j] = data.paramNames().indexOf(names.get(j));
            if (cols[j] < 0) {
                throw new IllegalArgumentException("input.targets: the data set has no parameter '" + names.get(j)
                        + "'; it has " + data.paramNames());
            }
            units.add(data.paramUnits().get(cols[j]));
        }
        if (data.rawTimes() / input.decimate() != data.times()) {
            throw new IllegalArgumentException("input.decimate (" + input.decimate() + ") does not fit the data: "
                    + data.rawTimes() + " samples became " + data.times());
        }
        int n = data.size();
        if (n < 10) {
            throw new IllegalArgumentException("only " + n + " usable recordings; training needs at least 10");
        }
        Splits splits = Splits.of(n, opt.validation(), opt.test(), opt.seed());
        if (splits.validation().length < 1 || splits.test().length < 2) {
            throw new IllegalArgumentException("with " + n + " usable recordings the validation split holds "
                    + splits.validation().length + " and the test split " + splits.test().length + " (training."
                    + "validation " + opt.validation() + ", training.test " + opt.test() + "); the model is chosen on "
                    + "at least 1 and scored on at least 2: give more recordings or larger fractions");
        }
        double[][] y = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                y[i][j] = data.y()[i][cols[j]];
            }
        }
        int t = data.times();
        int len = data.rowLength();
        Standardiser xs = fixedX != null ? fixedX : Standardiser.fitChannels(data.x(), data.channels(), t,
                splits.train());
        Standardiser ys = fixedY != null ? fixedY : Standardiser.fit(y, splits.train());
        float[] xz = data.x().clone();
        float[] yz = new float[n * p];
        for (int i = 0; i < n; i++) {
            xs.transformChannels(xz, i * len, t);
            double[] z = ys.transform(y[i]);
            for (int j = 0; j < p; j++) {
                yz[i * p + j] = (float) z[j];
            }
        }
        List<Double> conditions = new ArrayList<>();
        for (int c : Arrays.stream(data.condition()).distinct().sorted().toArray()) {
            conditions.add(data.noiseFactors()[c]);
        }
        var layout = data.layout();
        ModelCard.InputSpec in = new ModelCard.InputSpec(data.channels(), data.rawTimes(), input.decimate(),
                layout.channelNames().size() == data.channels() ? layout.channelNames() : List.of(), xs.mean(),
                xs.sd(), Double.isNaN(layout.sampleRate()) ? null : layout.sampleRate(),
                Double.isNaN(layout.start()) ? null : layout.start(), layout.unit());
        return new StandardisedSet(splits, xz, yz, in, new ModelCard.TargetSpec(names, units, ys.mean(), ys.sd()),
                conditions);
    }

    /** Targets per row. */
    public int p() {
        return targets.names().size();
    }

    /** The recordings {@code rows[from .. from+count)} as [count, C, T] in {@code m}. */
    public NDArray batchX(NDManager m, int[] rows, int from, int count) {
        int len = input.channels() * input.times();
        float[] b = new float[count * len];
        for (int i = 0; i < count; i++) {
            System.arraycopy(x, rows[from + i] * len, b, i * len, len);
        }
        return m.create(b, new Shape(count, input.channels(), input.times()));
    }

    /** The targets {@code rows[from .. from+count)} as [count, p] in {@code m}. */
    public NDArray batchY(NDManager m, int[] rows, int from, int count) {
        int p = p();
        float[] b = new float[count * p];
        for (int i = 0; i < count; i++) {
            System.arraycopy(y, rows[from + i] * p, b, i * p, p);
        }
        return m.create(b, new Shape(count, p));
    }

    /** The rows of the split, in the order the provenance lists them. */
    public int[] splitSizes() {
        return new int[]{splits.train().length, splits.validation().length, splits.test().length};
    }
}
