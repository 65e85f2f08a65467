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

    /**
     * EEG channels over time in µV (a butterfly plot), each coloured by its electrode's place from front (blue) to
     * back (red) on the built-in montages (by its order when the name is not on them); the legend names five
     * channels spread over that range.
     *
     * @param volts [channels][samples] in V
     */
    public static XYChart butterfly(String title, String xTitle, double[] time, double[][] volts, List<String> names) {
        XYChart c = chart(title, xTitle, "µV");
        c.getStyler().setLegendVisible(true);
        c.getStyler().setXAxisDecimalPattern("0.0#");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        int n = volts.length;
        double[] front = new double[n];
        java.util.Map<String, double[]> where = new java.util.HashMap<>();
        for (String m : new String[] {"biosemi64", "1010"}) {
            var montage = org.neuroinfer.observe.head.Montage.named(m);
            double[][] pos = montage.positions();
            String[] mn = montage.channelNames();
            for (int i = 0; i < mn.length; i++) {
                where.putIfAbsent(mn[i].toUpperCase(java.util.Locale.ROOT), pos[i]);
            }
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        boolean placed = true;
        for (int ch = 0; ch < n; ch++) {
            double[] p = ch < names.size() ? where.get(names.get(ch).toUpperCase(java.util.Locale.ROOT)) : null;
            placed &= p != null;
            front[ch] = p == null ? ch : -p[1];
            lo = Math.min(lo, front[ch]);
            hi = Math.max(hi, front[ch]);
        }
        Integer[] order = new Integer[n];
        for (int ch = 0; ch < n; ch++) {
            order[ch] = ch;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(front[a], front[b]));
        java.util.Set<Integer> labelled = new java.util.HashSet<>();
        for (int q = 0; q < 5 && n > 0; q++) {
            labelled.add(order[(int) Math.round(q * (n - 1) / 4.0)]);
        }
        for (int q = 0; q < n; q++) {
            int ch = order[q];
            double[] uv = new double[volts[ch].length];
            for (int k = 0; k < uv.length; k++) {
                uv[k] = volts[ch][k] * 1e6;
            }
            String name = ch < names.size() ? names.get(ch) : "ch " + ch;
            XYSeries s = line(c, labelled.contains(ch) ? name : " " + name, time, uv,
                    ramp(hi > lo ? (front[ch] - lo) / (hi - lo) : 0));
            s.setShowInLegend(labelled.contains(ch));
            s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.SOLID);
        }
        c.setTitle(title + (placed ? " (colour: front blue .. back red)" : " (colour: channel order)"));
        return c;
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
