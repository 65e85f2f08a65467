package org.neuroinfer.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on standard error with count, rate and time left; drawn only on a terminal (or when
 * NEUROINFER_PROGRESS=1), at most five times a second, so logs stay clean.
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean enabled;
    private final AtomicLong done = new AtomicLong();
    private final long start = System.nanoTime();
    private volatile long lastDraw;
    private volatile String note = "";

    private Progress(PrintWriter err, String label, long total, boolean enabled) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.enabled = enabled;
    }

    static Progress start(PrintWriter err, String label, long total) {
        boolean on = System.console() != null || "1".equals(System.getenv("NEUROINFER_PROGRESS"));
        return new Progress(err, label, total, on && total > 1);
    }

    void advance(int n) {
        long d = done.addAndGet(n);
        long now = System.nanoTime();
        if (enabled && (now - lastDraw > 200_000_000L || d == total)) {
            lastDraw = now;
            draw(d, now);
        }
    }

    /** Text shown after the counts (e.g. the current loss). */
    void note(String text) {
        note = text;
    }

    private synchronized void draw(long d, long now) {
        double s = (now - start) / 1e9;
        double rate = d / Math.max(s, 1e-9);
        int width = 30;
        int filled = (int) (width * d / Math.max(1, total));
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        err.printf(Locale.ROOT, "\r%s [%s] %d/%d  %.0f/s  %.0f s left %s", label, bar, d, total, rate,
                (total - d) / Math.max(rate, 1e-9), note);
        err.flush();
    }

    @Override
    public void close() {
        if (enabled) {
            err.print("\r" + " ".repeat(80) + "\r");
            err.flush();
        }
    }
}
