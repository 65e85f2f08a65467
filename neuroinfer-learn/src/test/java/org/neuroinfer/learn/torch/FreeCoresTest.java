package org.neuroinfer.learn.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The free-core rule that sizes libtorch's thread pool, on fixed counter texts and on this machine. */
class FreeCoresTest {
    static final String SELF = "4242 (java main (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 %d %d 0 0 20 0 30 0 1";

    static String stat(long user, long system, long idle, long iowait) {
        return "cpu  " + user + " 0 " + system + " " + idle + " " + iowait + " 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n";
    }

    @Test
    void theCountersAreReadFromTheTextsLinuxGives() {
        FreeCores.Sample s = FreeCores.parse(stat(500, 100, 1000, 50), String.format(SELF, 70, 30));
        assertEquals(600, s.busy());
        assertEquals(1650, s.total());
        assertEquals(100, s.self());
    }

    @Test
    void anotherProcessBusyOnOneCoreOfTwoLeavesOne() {
        // 1 s at 100 ticks/s on 2 cores: 200 ticks, 100 busy in another process, 60 in this one
        FreeCores.Sample a = FreeCores.parse(stat(0, 0, 0, 0), String.format(SELF, 0, 0));
        FreeCores.Sample b = FreeCores.parse(stat(150, 10, 40, 0), String.format(SELF, 50, 10));
        assertEquals(1, FreeCores.between(a, b, 2));
        // only this process busy: both cores are free for it
        FreeCores.Sample c = FreeCores.parse(stat(110, 10, 80, 0), String.format(SELF, 110, 10));
        assertEquals(2, FreeCores.between(a, c, 2));
        // every core busy elsewhere still leaves one thread; 7 of 16 busy elsewhere leaves 9
        FreeCores.Sample d = FreeCores.parse(stat(200, 0, 0, 0), String.format(SELF, 0, 0));
        assertEquals(1, FreeCores.between(a, d, 2));
        FreeCores.Sample e = FreeCores.parse(stat(700, 0, 900, 0), String.format(SELF, 0, 0));
        assertEquals(9, FreeCores.between(a, e, 16));
    }

    @Test
    void missingOrTooCloseCountersGiveEveryCore() {
        FreeCores.Sample a = FreeCores.parse(stat(0, 0, 0, 0), String.format(SELF, 0, 0));
        FreeCores.Sample b = FreeCores.parse(stat(10, 0, 5, 0), String.format(SELF, 0, 0));
        assertEquals(4, FreeCores.between(a, b, 4));
        assertEquals(4, FreeCores.between(null, b, 4));
    }

    @Test
    void theEnginesDefaultIsBetweenOneAndEveryCore() {
        int n = TorchRuntime.defaultThreads();
        assertTrue(n >= 1 && n <= Runtime.getRuntime().availableProcessors(), "default threads " + n);
        assertTrue(FreeCores.sample() != null || !System.getProperty("os.name").startsWith("Linux"));
    }
}
