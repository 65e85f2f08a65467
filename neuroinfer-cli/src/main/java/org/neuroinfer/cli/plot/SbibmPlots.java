package org.neuroinfer.cli.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.neuroinfer.pipeline.SbibmBenchmark;

/** The sbibm figure, as the paper's figure 2: per task, C2ST against the simulation budget, sbi beside neuroinfer. */
public final class SbibmPlots {
    private SbibmPlots() {
    }

    /** One panel per task: each cell's C2ST (points), neuroinfer's median (line) and sbi's NPE median (line). */
    public static void save(Path file, List<String> tasks, List<SbibmBenchmark.Cell> cells,
                            List<SbibmBenchmark.Summary> rows) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (String t : tasks) {
            XYChart c = Plots.chart(t, "log10 simulations", "C2ST");
            c.getStyler().setLegendVisible(charts.isEmpty());
            c.getStyler().setYAxisMax(1.0);
            double[] px = cells.stream().filter(x -> x.task().equals(t)).mapToDouble(x -> Math.log10(x.budget()))
                    .toArray();
            double[] py = cells.stream().filter(x -> x.task().equals(t)).mapToDouble(SbibmBenchmark.Cell::c2st)
                    .toArray();
            c.getStyler().setYAxisMin(Plots.lowerBound(0.45, 0.05, py));
            if (px.length > 0) {
                Plots.points(c, "neuroinfer, each observation", px, py, new Color(120, 160, 220));
            }
            List<SbibmBenchmark.Summary> r = rows.stream().filter(x -> x.task().equals(t)).toList();
            double[] bx = r.stream().mapToDouble(x -> Math.log10(x.budget())).toArray();
            double[] my = r.stream().mapToDouble(SbibmBenchmark.Summary::median).toArray();
            double[] sy = r.stream().mapToDouble(SbibmBenchmark.Summary::sbi).toArray();
            // medians as lines with markers, so a single budget shows too
            Plots.line(c, "neuroinfer median", bx, my, new Color(31, 90, 180))
                    .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND);
            if (java.util.Arrays.stream(sy).allMatch(Double::isFinite)) {
                Plots.line(c, "sbi NPE median", bx, sy, Color.BLACK)
                        .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.SQUARE);
            }
            charts.add(c);
        }
        Plots.save(file, charts, Math.min(5, charts.size()), true);
    }
}
