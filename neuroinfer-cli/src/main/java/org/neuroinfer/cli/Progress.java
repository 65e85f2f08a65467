package org.neuroinfer.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress on standard error: a bar with count, rate and time left, redrawn at most five times a second, when
 * standard error is a terminal (the launcher sets NEUROINFER_PROGRESS=1; run without it, when there is a console);
 * otherwise one line when the stage ends (count and time), so logs stay readable.
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean enabled;
    private final boolean line;
    private final AtomicLong done = new AtomicLong();
    private final long start = System.nanoTime();
    private volatile long lastDraw;
    private volatile String note = "";

    private Progress(PrintWriter err, String label, long total, boolean bar, boolean lineAtEnd) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.enabled = bar && total > 1;
        this.line = !bar && lineAtEnd && total > 1;
    }

    /** Progress of a stage: a bar on a terminal, else a line when it ends. */
    static Progress start(PrintWriter err, String label, long total) {
        return new Progress(err, label, total, onTerminal(), true);
    }

    /** Progress within a step that reports its own end (an epoch): a bar on a terminal, else nothing. */
    static Progress barOnly(PrintWriter err, String label, long total) {
        return new Progress(err, label, total, onTerminal(), false);
    }

    /**
     * Progress of a stage that learns its total only once it has planned (read its inputs): {@link #start(long)}
     * then {@link #advance()}; closing before the start draws nothing, and a closed bar can be started again for
     * the next stage.
     */
    static final class Deferred implements AutoCloseable {
        private final PrintWriter err;
        private final String label;
        private Progress bar;

        Deferred(PrintWriter err, String label) {
            this.err = err;
            this.label = label;
        }

        /** Shows a bar of {@code total} units, ending the one shown before (if any). */
        void start(long total) {
            close();
            bar = Progress.start(err, label, total);
        }

        void advance() {
            advance(1);
        }

        /** Advances the bar shown by {@code n} units; nothing when none is shown. */
        void advance(int n) {
            if (bar != null) {
                bar.advance(n);
            }
        }

        /** Ends the bar shown, if any; a later {@link #start} shows a new one. */
        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    private static boolean onTerminal() {
        String how = System.getenv("NEUROINFER_PROGRESS");
        return how == null ? System.console() != null : how.equals("1");
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
        } else if (line) {
            err.printf(Locale.ROOT, "%s: %d/%d in %.1f s%s%n", label, done.get(), total,
                    (System.nanoTime() - start) / 1e9, note.isEmpty() ? "" : "  " + note.trim());
            err.flush();
        }
    }
}
