package org.neuroinfer.learn.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuroinfer.learn.Metrics;
import org.neuroinfer.learn.Splits;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.recordings.RecordingSet;
import org.neuroinfer.learn.store.InverseModel;
import org.neuroinfer.learn.store.ModelCard;

/**
 * A model's predictions on held-out recordings and their agreement with the truth, per noise condition and
 * parameter.
 *
 * @param names      parameter names (the model's targets)
 * @param units      their units
 * @param truth      true values [n][P]
 * @param predicted  predictions [n][P]
 * @param condition  noise condition level of each row
 * @param rows       per condition and parameter: the metrics
 */
public record Evaluation(List<String> names, List<String> units, double[][] truth, double[][] predicted,
                         double[] condition, List<Row> rows) {

    /**
     * One line of the report.
     *
     * @param condition noise factor (or SNR) of the condition
     * @param parameter parameter name
     * @param metrics   the agreement
     */
    public record Row(double condition, String parameter, Metrics metrics) {
    }

    /**
     * The rows of {@code data} a model has not learned from: the test split if {@code data} is the training data
     * (same data set, same conditions), otherwise every row.
     */
    public static int[] heldOut(ModelCard card, RecordingSet data) {
        return heldOut(card.provenance(), card.training().training(), data);
    }

    /** The rows of {@code data} a model made as {@code p} with {@code t} has not learned from. */
    public static int[] heldOut(ModelCard.Provenance p, TrainingConfig.Optimisation t, RecordingSet data) {
        return heldOut(p, t, data.datasetSha256(), data.size());
    }

    /**
     * The rows, ascending, of the {@code n} rows of the data set {@code datasetSha256} that a model made as
     * {@code p} with {@code t} has not learned from.
     */
    public static int[] heldOut(ModelCard.Provenance p, TrainingConfig.Optimisation t, String datasetSha256, int n) {
        if (p != null && datasetSha256.equals(p.datasetSha256()) && p.rows() != null
                && Arrays.stream(p.rows()).sum() == n) {
            return Splits.of(n, t.validation(), t.test(), t.seed()).test();
        }
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** Predicts {@code rows} of {@code data} with {@code model} and scores them. */
    public static Evaluation of(InverseModel model, RecordingSet data, int[] rows) {
        int[] cols = model.columnsIn(data);
        RecordingSet sub = data.subset(rows);
        return of(model.card().targets(), sub, cols, model.predictDecimated(sub.x(), sub.size()));
    }

    /** Scores predictions {@code pred} of the rows of {@code sub} whose targets are the columns {@code cols}. */
    public static Evaluation of(ModelCard.TargetSpec targets, RecordingSet sub, int[] cols, double[][] pred) {
        int p = cols.length;
        double[][] truth = new double[sub.size()][p];
        double[] cond = new double[sub.size()];
        for (int i = 0; i < sub.size(); i++) {
            for (int j = 0; j < p; j++) {
                truth[i][j] = sub.y()[i][cols[j]];
            }
            cond[i] = sub.noiseFactors()[sub.condition()[i]];
        }
        return of(targets, truth, cond, pred);
    }

    /** Scores predictions {@code pred} of rows whose true targets are {@code truth}, in noise conditions {@code cond}. */
    public static Evaluation of(ModelCard.TargetSpec targets, double[][] truth, double[] cond, double[][] pred) {
        int p = targets.names().size();
        List<String> names = targets.names();
        List<Row> table = new ArrayList<>();
        for (double c : Arrays.stream(cond).distinct().sorted().toArray()) {
            int[] in = java.util.stream.IntStream.range(0, cond.length).filter(i -> cond[i] == c).toArray();
            for (int j = 0; j < p; j++) {
                final int col = j;
                double[] t = Arrays.stream(in).mapToDouble(i -> truth[i][col]).toArray();
                double[] y = Arrays.stream(in).mapToDouble(i -> pred[i][col]).toArray();
                table.add(new Row(c, names.get(j), Metrics.of(t, y)));
            }
        }
        return new Evaluation(names, targets.units(), truth, pred, cond, table);
    }

    /** The Pearson r of {@code parameter} at {@code condition}, NaN if absent. */
    public double pearson(double condition, String parameter) {
        return rows.stream().filter(r -> r.condition() == condition && r.parameter().equals(parameter))
                .mapToDouble(r -> r.metrics().pearson()).findFirst().orElse(Double.NaN);
    }
}
