package org.neuroinfer.cli.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A corner plot of posterior draws: the marginal histogram of each parameter on the diagonal and the pairwise
 * scatter below it, axes titled with name and unit and ticked to the digits their range needs, with the true value
 * (if known) marked in red.
 */
public final class Corner {
    private static final int CELL = 230;
    private static final int BINS = 30;
    private static final int MAX_POINTS = 1500;
    private static final Color DRAWS = new Color(40, 90, 170);
    private static final Color TRUTH = new Color(200, 30, 30);

    private Corner() {
    }

    /**
     * Writes the corner plot of {@code draws} [n][D] to {@code file}, the axes titled "name [unit]".
     *
     * @param truth the true values, or null when not known
     */
    public static void save(Path file, double[][] draws, List<String> names, List<String> units, double[] truth,
                            boolean force) throws IOException {
        int d = names.size();
        List<String> labels = new ArrayList<>();
        String[] patterns = new String[d];
        for (int j = 0; j < d; j++) {
            String u = units == null || units.get(j) == null || units.get(j).isBlank() || units.get(j).equals("1")
                    ? "" : " [" + units.get(j) + "]";
            labels.add(names.get(j) + u);
            patterns[j] = tickPattern(draws, j, truth);
        }
        List<XYChart> cells = new ArrayList<>();
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                XYChart ch = c > r ? null : c == r ? histogram(draws, r, labels.get(r), truth)
                        : scatter(draws, c, r, labels.get(c), labels.get(r), truth);
                if (ch != null) {
                    ch.getStyler().setXAxisDecimalPattern(patterns[c]);
                    if (c != r) {
                        ch.getStyler().setYAxisDecimalPattern(patterns[r]);
                    }
                }
                cells.add(ch);
            }
        }
        Plots.save(file, cells, d, CELL, CELL, force);
    }

    /**
     * A tick format with as many digits as a fifth of the parameter's range needs: "0" for 65 .. 1350, "0.####" for
     * 0.0026 .. 0.0098, scientific beyond six decimals.
     */
    static String tickPattern(double[][] draws, int j, double[] truth) {
        double lo = truth == null ? Double.POSITIVE_INFINITY : truth[j];
        double hi = truth == null ? Double.NEGATIVE_INFINITY : truth[j];
        for (double[] s : draws) {
            lo = Math.min(lo, s[j]);
            hi = Math.max(hi, s[j]);
        }
        double step = (hi - lo) / 5;
        if (!(step > 0) || !Double.isFinite(step)) {
            step = Math.max(Math.abs(lo), 1e-300) / 5;
        }
        int decimals = (int) Math.max(0, 1 - Math.floor(Math.log10(step)));
        if (decimals > 6) {
            return "0.##E0";
        }
        return decimals == 0 ? "0" : "0." + "#".repeat(decimals);
    }

    private static XYChart cell(String x, String y) {
        XYChart ch = new XYChartBuilder().width(CELL).height(CELL).xAxisTitle(x).yAxisTitle(y).build();
        ch.getStyler().setLegendVisible(false);
        ch.getStyler().setChartBackgroundColor(Color.WHITE);
        ch.getStyler().setPlotGridLinesVisible(false);
        ch.getStyler().setAxisTickLabelsFont(ch.getStyler().getAxisTickLabelsFont().deriveFont(8f));
        ch.getStyler().setAxisTitleFont(ch.getStyler().getAxisTitleFont().deriveFont(10f));
        ch.getStyler().setMarkerSize(2);
        return ch;
    }

    private static XYChart histogram(double[][] draws, int j, String label, double[] truth) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] s : draws) {
            lo = Math.min(lo, s[j]);
            hi = Math.max(hi, s[j]);
        }
        if (!(hi > lo)) {
            hi = lo + 1e-9 * Math.max(1, Math.abs(lo));
        }
        double w = (hi - lo) / BINS;
        double[] counts = new double[BINS];
        for (double[] s : draws) {
            counts[Math.min(BINS - 1, (int) ((s[j] - lo) / w))]++;
        }
        double[] x = new double[2 * BINS];
        double[] y = new double[2 * BINS];
        for (int b = 0; b < BINS; b++) {
            x[2 * b] = lo + b * w;
            x[2 * b + 1] = lo + (b + 1) * w;
            y[2 * b] = counts[b];
            y[2 * b + 1] = counts[b];
        }
        XYChart ch = cell(label, "");
        Plots.line(ch, "draws", x, y, DRAWS);
        if (truth != null) {
            double max = java.util.Arrays.stream(counts).max().orElse(1);
            Plots.line(ch, "truth", new double[]{truth[j], truth[j]}, new double[]{0, max}, TRUTH);
        }
        return ch;
    }

    private static double[] range(double[] v, double also) {
        double lo = also;
        double hi = also;
        for (double d : v) {
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        return new double[]{lo, hi};
    }

    private static XYChart scatter(double[][] draws, int cx, int cy, String lx, String ly, double[] truth) {
        int n = Math.min(MAX_POINTS, draws.length);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = draws[i][cx];
            y[i] = draws[i][cy];
        }
        XYChart ch = cell(lx, ly);
        XYSeries s = Plots.points(ch, "draws", x, y, DRAWS);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (truth != null) { // cross-hairs through the true values, across the draws' range
            double[] xr = range(x, truth[cx]);
            double[] yr = range(y, truth[cy]);
            Plots.line(ch, "truth x", new double[]{truth[cx], truth[cx]}, yr, TRUTH);
            Plots.line(ch, "truth y", xr, new double[]{truth[cy], truth[cy]}, TRUTH);
        }
        return ch;
    }
}
