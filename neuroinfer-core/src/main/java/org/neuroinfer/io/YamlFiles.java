package org.neuroinfer.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Strict reading of YAML configuration files: a key given twice, an unknown key and a bad value are refused, each
 * naming the file, the line of the key (both lines for a repeated key), the key's full path and what is expected.
 */
public final class YamlFiles {
    private YamlFiles() {
    }

    /**
     * Reads {@code file} as {@code type}; null for an empty file.
     *
     * @throws IllegalArgumentException naming the file, line and key for malformed YAML, a repeated key, an
     *                                  unknown key or a value of the wrong kind
     */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        Map<String, Integer> lines = keyLines(file);
        try {
            return strict().readValue(InputFiles.local(file).toFile(), type);
        } catch (UnrecognizedPropertyException e) {
            String key = JsonErrors.path(e);
            throw new IllegalArgumentException(file + " line " + line(lines, key, e) + ": unknown key '" + key
                    + "'; valid keys: " + validKeys(e));
        } catch (JsonMappingException e) {
            String key = JsonErrors.path(e);
            throw new IllegalArgumentException(file + " line " + line(lines, key, e) + ": bad value for '" + key
                    + "': " + JsonErrors.reason(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int at = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new IllegalArgumentException(file + (at > 0 ? " line " + at : "") + ": not valid YAML: "
                    + e.getOriginalMessage());
        }
    }

    /** The keys the record of an unknown one takes, sorted. */
    private static String validKeys(UnrecognizedPropertyException e) {
        return e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }

    /** The one mapper of every configuration: unknown keys and nulls for numbers refused. */
    private static ObjectMapper strict() {
        return new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /**
     * The settings {@code values} (keys as in the YAML file, values as YAML would give them: numbers, strings,
     * lists, maps) as {@code type}, by the same strict rules as a file: what a Java program builds is what a file
     * would say.
     *
     * @throws IllegalArgumentException naming the key for an unknown key or a value of the wrong kind
     */
    public static <T> T of(Map<String, ?> values, Class<T> type) {
        try {
            return strict().convertValue(values, type);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof UnrecognizedPropertyException u) {
                throw new IllegalArgumentException("unknown key '" + JsonErrors.path(u) + "'; valid keys: "
                        + validKeys(u));
            }
            if (e.getCause() instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException v
                    && v.getCause() instanceof IllegalArgumentException own) {
                throw own; // a record's own check, which names the field and the valid values
            }
            if (e.getCause() instanceof JsonMappingException m) {
                throw new IllegalArgumentException("bad value for '" + JsonErrors.path(m) + "': "
                        + JsonErrors.reason(m));
            }
            throw e;
        }
    }

    /** The line of {@code key} (a dotted path), else of its nearest enclosing key, else the parser's. */
    private static int line(Map<String, Integer> lines, String key, JsonMappingException e) {
        for (String k = key; !k.isEmpty(); k = k.contains(".") || k.contains("[")
                ? k.substring(0, Math.max(k.lastIndexOf('.'), k.lastIndexOf('['))) : "") {
            Integer l = lines.get(k);
            if (l != null) {
                return l;
            }
        }
        return e.getLocation() == null ? -1 : e.getLocation().getLineNr();
    }

    /**
     * The line (from 1) of every key and list item of {@code file}, by dotted path.
     *
     * @throws IllegalArgumentException for malformed YAML or a key given twice in one mapping
     */
    static Map<String, Integer> keyLines(Path file) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (Reader r = Files.newBufferedReader(InputFiles.local(file), StandardCharsets.UTF_8)) {
            for (Node doc : new Yaml(new LoaderOptions()).composeAll(r)) {
                walk(file, doc, "", lines);
            }
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException(file + " line " + (e.getProblemMark().getLine() + 1)
                    + ": not valid YAML: " + e.getProblem());
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage());
        }
        return lines;
    }

    private static void walk(Path file, Node n, String at, Map<String, Integer> lines) {
        if (n instanceof MappingNode m) {
            Map<String, Integer> seen = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                Node k = t.getKeyNode();
                String name = k instanceof ScalarNode s ? s.getValue() : String.valueOf(k);
                int line = k.getStartMark().getLine() + 1;
                String full = at.isEmpty() ? name : at + "." + name;
                Integer first = seen.putIfAbsent(name, line);
                if (first != null) {
                    throw new IllegalArgumentException(file + " lines " + first + " and " + line + ": key '" + full
                            + "' is given twice (the second would silently replace the first); keep one");
                }
                lines.put(full, line);
                walk(file, t.getValueNode(), full, lines);
            }
        } else if (n instanceof SequenceNode s) {
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                lines.put(at + "[" + i + "]", items.get(i).getStartMark().getLine() + 1);
                walk(file, items.get(i), at + "[" + i + "]", lines);
            }
        }
    }
}
