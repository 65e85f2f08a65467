package org.neuroinfer.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Strict reading of YAML configuration files: unknown keys and bad values name the file, line and key. */
public final class YamlFiles {
    private YamlFiles() {
    }

    /** Reads {@code file} as {@code type}; null for an empty file. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        try {
            return yaml.readValue(file.toFile(), type);
        } catch (UnrecognizedPropertyException e) {
            String valid = e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(file + " line " + lineOf(file, e.getPropertyName(),
                    e.getLocation().getLineNr()) + ": unknown key '" + e.getPropertyName() + "'; valid keys: "
                    + valid);
        } catch (JsonMappingException e) {
            String key = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
            int near = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            String top = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            throw new IllegalArgumentException(file + " line " + (top == null ? near : lineOf(file, top, near))
                    + ": bad value for '" + key + "': " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getOriginalMessage());
        }
    }

    /** The line (from 1) where top-level {@code key} is written, or {@code fallback} (the parser's position). */
    private static int lineOf(Path file, String key, int fallback) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("\\s*\"?" + java.util.regex.Pattern.quote(key) + "\"?\\s*:.*")) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // keep the parser's position
        }
        return fallback;
    }
}
