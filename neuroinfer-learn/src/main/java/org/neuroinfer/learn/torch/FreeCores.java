package org.neuroinfer.learn.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many cores other processes leave free, from Linux's CPU time counters ({@code /proc/stat} for the machine,
 * {@code /proc/self/stat} for this process) read at two moments: the cores minus the time other processes were
 * busy, rounded. libtorch's OpenMP threads spin while they wait for each other, so an intra-op pool larger than the
 * free cores runs several times slower than one thread (measured on 2 cores with one busy: 2-6x per epoch).
 */
public final class FreeCores {
    /**
     * CPU time counters at one moment, in clock ticks.
     *
     * @param busy  the machine's non-idle time
     * @param total the machine's total time
     * @param self  this process's user and system time
     */
    public record Sample(long busy, long total, long self) {
    }

    private FreeCores() {
    }

    /** The counters now, or null where they cannot be read (not Linux). */
    public static Sample sample() {
        try {
            return parse(Files.readString(Path.of("/proc/stat")), Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The counters in the texts of {@code /proc/stat} and {@code /proc/self/stat}. */
    static Sample parse(String stat, String self) {
        String cpu = stat.lines().filter(l -> l.startsWith("cpu ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cpu line"));
        String[] f = cpu.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        // fields after the command name, which may hold spaces: state is the 3rd, utime the 14th, stime the 15th
        String[] s = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
        long mine = Long.parseLong(s[11]) + Long.parseLong(s[12]);
        return new Sample(total - idle, total, mine);
    }

    /**
     * The cores other processes left free between {@code from} and {@code to}, between 1 and {@code cores}; all of
     * them when the counters are missing or too close together to say.
     */
    public static int between(Sample from, Sample to, int cores) {
        if (from == null || to == null || to.total() - from.total() < 10L * cores) {
            return cores;
        }
        double others = Math.max(0, (to.busy() - from.busy()) - (to.self() - from.self()))
                / (double) (to.total() - from.total()) * cores;
        return (int) Math.max(1, Math.min(cores, Math.round(cores - others)));
    }
}
