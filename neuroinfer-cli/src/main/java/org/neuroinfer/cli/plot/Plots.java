package org.neuroinfer.cli.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuroinfer.io.AtomicFiles;

/** Line charts saved as PNG (headless), written atomically. */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;

    private Plots() {
    }

    /** A line chart with axis titles; add series with {@link #line}. */
    public static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        c.getStyler().setAntiAlias(true);
        return c;
    }

    /** Adds a line without markers. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        if (color != null) {
            s.setLineColor(color);
        }
        s.setLineWidth(1.2f);
        return s;
    }

    /** Adds points without a line. */
    public static XYSeries points(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (color != null) {
            s.setMarkerColor(color);
        }
        return s;
    }

    /** A grouped bar chart with one group per category. */
    public static org.knowm.xchart.CategoryChart bars(String title, String yTitle, List<String> categories,
                                                       java.util.Map<String, double[]> series) {
        org.knowm.xchart.CategoryChart c = new org.knowm.xchart.CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (var e : series.entrySet()) {
            List<Double> v = new java.util.ArrayList<>();
            for (double d : e.getValue()) {
                v.add(Double.isFinite(d) ? d : 0.0);
            }
            c.addSeries(e.getKey(), categories, v);
        }
        return c;
    }

    /**
     * The lower end of a y axis that shows every value: {@code usual}, or lower, to a multiple of {@code step} at
     * or below the smallest finite value.
     */
    public static double lowerBound(double usual, double step, double... values) {
        double lo = usual;
        for (double v : values) {
            if (Double.isFinite(v) && v < lo) {
                lo = Math.floor(v / step) * step;
            }
        }
        return lo;
    }

    /** A colour from a blue-to-red ramp for position {@code f} in [0, 1]. */
    public static Color ramp(double f) {
        float t = (float) Math.max(0, Math.min(1, f));
        return Color.getHSBColor(0.66f * (1 - t), 0.8f, 0.85f);
    }

    /** Saves the charts stacked in {@code cols} columns as one PNG at {@code file}. */
    public static void save(Path file, List<? extends org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts,
                            int cols, boolean force) throws IOException {
        save(file, charts, cols, WIDTH, HEIGHT, force);
    }

    /** Saves the charts, each {@code width} × {@code height}, in {@code cols} columns; a null chart is a blank. */
    public static void save(Path file, List<? extends org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts,
                            int cols, int width, int height, boolean force) throws IOException {
        int rows = (charts.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * width, rows * height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            if (charts.get(i) == null) {
                continue;
            }
            Graphics2D sub = (Graphics2D) g.create((i % cols) * width, (i / cols) * height, width, height);
            charts.get(i).paint(sub, width, height);
            sub.dispose();
        }
        g.dispose();
        write(file, img, force);
    }

    /** Writes {@code img} as PNG at {@code file}, atomically. */
    public static void write(Path file, BufferedImage img, boolean force) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bos);
        AtomicFiles.write(file, force, out -> out.write(bos.toByteArray()));
    }
}
