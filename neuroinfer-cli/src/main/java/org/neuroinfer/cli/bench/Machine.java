package org.neuroinfer.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.numeric.VectorMath;

/**
 * The machine a benchmark ran on, named as a figure needs it: the CPU's model name and family (from
 * {@code /proc/cpuinfo} on Linux, else the architecture), the cores, the vector width and the Java version.
 */
public final class Machine {
    private Machine() {
    }

    /** For example "AMD EPYC (family 26), 2 cores, 8 doubles per vector, Java 17.0.15". */
    public static String describe() {
        return describe(cpuinfo());
    }

    static String describe(Map<String, String> cpu) {
        String name = cpu.getOrDefault("model name", System.getProperty("os.arch")).replaceAll("\\s+", " ").trim();
        String family = cpu.get("cpu family");
        return name + (family != null ? " (family " + family + ")" : "") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + VectorMath.SPECIES.length()
                + " doubles per vector, Java " + System.getProperty("java.version");
    }

    /** The first processor's fields of /proc/cpuinfo, or none where there is no such file. */
    private static Map<String, String> cpuinfo() {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.isBlank()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture names the machine
        }
        return fields;
    }
}
