package org.neuroinfer.cli.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Heat maps of a correlation-like value in [-1, 1]: blue below 0, white at 0, red above, each cell labelled. */
public final class HeatMap {
    private static final int CELL_W = 58;
    private static final int CELL_H = 24;
    private static final int LEFT = 70;
    private static final int TOP = 56;

    /**
     * One panel.
     *
     * @param title  above the panel
     * @param rows   row labels
     * @param cols   column labels
     * @param values [rows][cols], NaN drawn grey
     */
    public record Panel(String title, List<String> rows, List<String> cols, double[][] values) {
    }

    private HeatMap() {
    }

    /** The colour of {@code v}: a diverging blue–white–red ramp over [-1, 1]; grey for NaN. */
    public static Color color(double v) {
        if (Double.isNaN(v)) {
            return new Color(200, 200, 200);
        }
        double t = Math.max(-1, Math.min(1, v));
        Color end = t < 0 ? new Color(49, 99, 180) : new Color(196, 40, 40);
        double f = Math.abs(t);
        return new Color((int) Math.round(255 + f * (end.getRed() - 255)),
                (int) Math.round(255 + f * (end.getGreen() - 255)), (int) Math.round(255 + f * (end.getBlue() - 255)));
    }

    /** The text colour readable on {@link #color}{@code (v)}. */
    public static Color ink(double v) {
        return Math.abs(v) > 0.6 ? Color.WHITE : Color.BLACK;
    }

    /** Saves the panels in {@code cols} columns as one PNG. */
    public static void save(Path file, List<Panel> panels, int cols, boolean force) throws IOException {
        int w = 0;
        int h = 0;
        for (Panel p : panels) {
            w = Math.max(w, LEFT + p.cols().size() * CELL_W + 20);
            h = Math.max(h, TOP + p.rows().size() * CELL_H + 16);
        }
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(Math.min(cols, panels.size()) * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            draw(g, panels.get(i), (i % cols) * w, (i / cols) * h);
        }
        g.dispose();
        Plots.write(file, img, force);
    }

    private static void draw(Graphics2D g, Panel p, int x0, int y0) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(p.title(), x0 + 8, y0 + 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int j = 0; j < p.cols().size(); j++) {
            String c = p.cols().get(j);
            g.drawString(c, x0 + LEFT + j * CELL_W + (CELL_W - fm.stringWidth(c)) / 2, y0 + TOP - 8);
        }
        for (int i = 0; i < p.rows().size(); i++) {
            int y = y0 + TOP + i * CELL_H;
            g.setColor(Color.BLACK);
            g.drawString(p.rows().get(i), x0 + LEFT - 6 - fm.stringWidth(p.rows().get(i)), y + CELL_H - 7);
            for (int j = 0; j < p.cols().size(); j++) {
                double v = p.values()[i][j];
                int x = x0 + LEFT + j * CELL_W;
                g.setColor(color(v));
                g.fillRect(x, y, CELL_W - 1, CELL_H - 1);
                String s = Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
                g.setColor(ink(v));
                g.drawString(s, x + (CELL_W - fm.stringWidth(s)) / 2, y + CELL_H - 7);
            }
        }
    }

    /** A matrix as an image, one square of {@code cell} pixels per entry, with a title and a colour bar of [-1, 1]. */
    public static void matrix(Path file, String title, double[][] m, int cell, boolean force) throws IOException {
        int n = m.length;
        int w = Math.max(n * cell + 120, 360);
        int h = n * cell + 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 22);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m[i].length; j++) {
                g.setColor(color(m[i][j]));
                g.fillRect(10 + j * cell, 40 + i * cell, cell, cell);
            }
        }
        int x = 30 + n * cell;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int k = 0; k <= 100; k++) {
            g.setColor(color(1 - k / 50.0));
            g.fillRect(x, 40 + k * (n * cell) / 101, 16, Math.max(1, (n * cell) / 101 + 1));
        }
        g.setColor(Color.BLACK);
        g.drawString("1", x + 20, 50);
        g.drawString("0", x + 20, 40 + n * cell / 2 + 4);
        g.drawString("-1", x + 20, 40 + n * cell);
        g.dispose();
        Plots.write(file, img, force);
    }
}
