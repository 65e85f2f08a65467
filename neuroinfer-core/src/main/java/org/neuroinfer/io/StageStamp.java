package org.neuroinfer.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a cached stage of a study was computed from, kept as {@code DIR/STAGE.settings.json} beside its outputs:
 * every setting and the checksum of every input it depends on, as one JSON tree. A stage resumes only from outputs
 * made from the same tree; outputs of another tree are refused naming the changed keys ({@code key: old -> new}),
 * or with {@code force} removed. The stamp also keeps the checksum of an output that is rewritten as the work goes
 * on (the current and the previous one, so a kill between the two writes is not mistaken for an edit), so a table
 * edited or truncated by hand is detected.
 */
public final class StageStamp {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private final Path file;
    private final String stage;
    private final JsonNode settings;
    private final String settingsSha256;
    private ObjectNode outputs;

    private StageStamp(Path file, String stage, JsonNode settings, ObjectNode outputs) throws IOException {
        this.file = file;
        this.stage = stage;
        this.settings = settings;
        this.settingsSha256 = Checksums.sha256(JSON.writeValueAsBytes(settings));
        this.outputs = outputs;
    }

    /** The stamp file of {@code stage} in {@code dir}. */
    public static Path file(Path dir, String stage) {
        return dir.resolve(stage + ".settings.json");
    }

    /**
     * Claims {@code dir} for {@code stage} computed from {@code settings}: a new or matching stage is kept (to
     * resume); another stage's outputs are removed with {@code force} and refused without.
     *
     * @param outputs the stage's files and folders in {@code dir} (removed when replaced)
     * @throws IllegalArgumentException naming the folder, the changed keys (or why the stamp cannot be read) and
     *                                  {@code --force}, when {@code dir} holds another stage and {@code force} is
     *                                  false
     */
    public static StageStamp claim(Path dir, String stage, JsonNode settings, boolean force, List<Path> outputs)
            throws IOException {
        Path f = file(dir, stage);
        JsonNode wanted = canonical(settings);
        String why = null;
        ObjectNode kept = JSON.createObjectNode();
        if (Files.exists(f)) {
            try {
                JsonNode old = JSON.readTree(f.toFile());
                JsonNode oldSettings = old == null ? null : old.get("settings");
                if (oldSettings == null) {
                    why = f + " is damaged (no settings)";
                } else if (!oldSettings.equals(wanted)) {
                    why = "it holds the " + stage + " of other settings: " + String.join("; ",
                            differences(oldSettings, wanted));
                } else if (old.get("outputs") instanceof ObjectNode o) {
                    kept = o;
                }
            } catch (IOException e) {
                why = f + " is damaged (" + e.getMessage().lines().findFirst().orElse("unreadable") + ")";
            }
        } else if (outputs.stream().anyMatch(Files::exists)) {
            why = "it holds " + stage + " outputs without " + f.getFileName() + " (written by an older neuroinfer "
                    + "or by hand), so their settings are unknown";
        }
        if (why != null) {
            if (!force) {
                throw new IllegalArgumentException(dir + ": " + why + ". Pass --force to replace them, or choose "
                        + "another --out.");
            }
            for (Path p : outputs) {
                AtomicFiles.deleteTree(p);
            }
            kept = JSON.createObjectNode();
        }
        StageStamp s = new StageStamp(f, stage, wanted, kept);
        s.write();
        return s;
    }

    /** SHA-256 of the settings, as the stamp file records it: names what was computed from them. */
    public String settingsSha256() {
        return settingsSha256;
    }

    /** The settings. */
    public JsonNode settings() {
        return settings;
    }

    /** Writes {@code content} as {@code target} (one of the stage's outputs) atomically, recording its checksum. */
    public void writeOutput(Path target, byte[] content) throws IOException {
        String key = target.getFileName().toString();
        ObjectNode next = outputs.deepCopy();
        ObjectNode sums = next.putObject(key);
        JsonNode before = outputs.get(key);
        if (before != null && before.get("sha256") != null) {
            sums.set("previous_sha256", before.get("sha256"));
        }
        sums.put("sha256", Checksums.sha256(content));
        outputs = next;
        write();
        AtomicFiles.write(target, true, out -> out.write(content));
    }

    /**
     * Checks that {@code target}, if it exists, is what {@link #writeOutput} last wrote (or the one before, when a
     * kill came between the stamp and the file).
     *
     * @throws IllegalArgumentException naming the file and {@code --force}, if it was changed since
     */
    public void checkOutput(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        JsonNode sums = outputs.get(target.getFileName().toString());
        String now = Checksums.sha256(target);
        if (sums == null || !(now.equals(sums.path("sha256").asText())
                || now.equals(sums.path("previous_sha256").asText()))) {
            throw new IllegalArgumentException(target + " was changed since neuroinfer wrote it (edited or "
                    + "truncated: its checksum is not the one in " + file.getFileName() + "), so it cannot be "
                    + "resumed. Pass --force to start the " + stage + " again, or choose another --out.");
        }
    }

    private void write() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "neuroinfer-stage");
        root.put("stage", stage);
        root.put("settings_sha256", settingsSha256);
        root.set("settings", settings);
        root.set("outputs", outputs);
        byte[] b = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, true, out -> out.write(b));
    }

    /** The leaves whose values differ between two trees, as {@code a.b: old -> new}, keys in order. */
    public static List<String> differences(JsonNode a, JsonNode b) {
        List<String> out = new ArrayList<>();
        differences("", a, b, out);
        return out;
    }

    private static void differences(String at, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                differences(at.isEmpty() ? k : at + "." + k, a.get(k), b.get(k), out);
            }
        } else if (a == null ? b != null : !a.equals(b)) {
            out.add((at.isEmpty() ? "(all)" : at) + ": " + show(a) + " -> " + show(b));
        }
    }

    private static String show(JsonNode n) {
        return n == null || n.isMissingNode() ? "(absent)" : n.toString();
    }

    /**
     * {@code tree} as it reads back from a file (numbers typed by their value, not by the Java type they came from),
     * so that a tree built in code compares equal to the same tree read from disk.
     */
    public static JsonNode canonical(JsonNode tree) throws IOException {
        return JSON.readTree(JSON.writeValueAsBytes(tree));
    }

    /** A tree from name → value pairs (values converted by Jackson), for stamps built in code. */
    public static ObjectNode tree(Map<String, ?> values) {
        ObjectNode n = JSON.createObjectNode();
        values.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        return n;
    }
}
