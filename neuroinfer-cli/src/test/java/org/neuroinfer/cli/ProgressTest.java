package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Progress in a log (no terminal here): one line when a stage ends, nothing for steps that report themselves. */
class ProgressTest {
    @BeforeEach
    void inALog() {
        assumeTrue(System.console() == null && !"1".equals(System.getenv("NEUROINFER_PROGRESS")),
                "standard error is a terminal here");
    }

    @Test
    void aStageEndsWithOneLineInALog() {
        StringWriter s = new StringWriter();
        PrintWriter err = new PrintWriter(s);
        try (Progress p = Progress.start(err, "generating", 5)) {
            for (int i = 0; i < 5; i++) {
                p.advance(1);
            }
            p.note("loss 0.25 ");
        }
        String out = s.toString();
        assertTrue(out.matches("generating: 5/5 in \\d+\\.\\d s  loss 0.25\\R"), out);
        assertEquals(1, out.lines().count());
    }

    @Test
    void stepsThatReportThemselvesAndSingleItemsStaySilent() {
        StringWriter s = new StringWriter();
        PrintWriter err = new PrintWriter(s);
        try (Progress p = Progress.barOnly(err, "epoch 1/10", 20)) {
            p.advance(20);
        }
        try (Progress p = Progress.start(err, "one", 1)) {
            p.advance(1);
        }
        assertEquals("", s.toString());
    }
}
