package org.neuroinfer.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.Map;

/** Jackson's errors on a user's JSON or YAML file, said in the file's terms: the key's path, what was expected. */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** The dotted path of the key a mapping error is about, e.g. {@code training.epochs} or {@code layers[1]}. */
    public static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(the file)" : sb.toString();
    }

    /** What was wrong with a value, in the file's terms rather than Java's. */
    public static String reason(JsonMappingException e) {
        if (e instanceof MismatchedInputException mi) {
            Class<?> t = mi.getTargetType();
            Object v = e instanceof InvalidFormatException f ? f.getValue() : null;
            String expected = expected(t);
            if (expected != null) {
                return "expected " + expected + (v == null ? "" : ", got '" + v + "'");
            }
        }
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static String expected(Class<?> t) {
        if (t == null) {
            return null;
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "a whole number";
        }
        if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a text value";
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "a mapping (key: value lines)";
        }
        return null;
    }

    /**
     * The whole error in one line: {@code 'input.channels': expected a whole number, got 'many' (line 1)}, or for
     * malformed text what the parser found and where.
     */
    public static String describe(JsonProcessingException e) {
        String at = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "'" + path(m) + "': " + reason(m) + at;
        }
        String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        msg = msg.lines().findFirst().orElse(msg).replaceAll(" ?\\(start marker at \\[Source.*", "")
                .replaceAll("`", "'");
        return msg + at;
    }
}
