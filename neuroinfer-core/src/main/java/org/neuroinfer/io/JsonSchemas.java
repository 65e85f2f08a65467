package org.neuroinfer.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schemas (draft 2020-12) of configuration files, generated from the records they are read into, so a schema
 * cannot drift from what the program accepts: one property per record component under its file key
 * ({@code @JsonProperty}), numbers, strings, booleans, lists and maps typed as the component is, nested records as
 * objects, and no other keys ({@code additionalProperties: false}, as the strict reader refuses unknown keys).
 * Editors (VS Code's YAML extension, IntelliJ) validate and complete a YAML file with it.
 */
public final class JsonSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {
    }

    /** The schema of the file read as {@code type}, titled {@code title}. */
    public static ObjectNode of(Class<?> type, String title, String description) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", title);
        root.put("description", description);
        ObjectNode body = schema(type, new HashSet<>());
        root.setAll(body);
        return root;
    }

    private static ObjectNode schema(Type type, Set<Class<?>> open) {
        ObjectNode s = JSON.createObjectNode();
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
                s.put("type", "array");
                s.set("items", schema(args[0], open));
            } else if (Map.class.isAssignableFrom(raw)) {
                s.put("type", "object");
                s.set("additionalProperties", schema(args[1], open));
            }
            return s;
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            s.put("type", "string");
        } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            s.put("type", "integer");
        } else if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            s.put("type", "number");
        } else if (c == boolean.class || c == Boolean.class) {
            s.put("type", "boolean");
        } else if (c.isArray()) {
            s.put("type", "array");
            s.set("items", schema(c.getComponentType(), open));
        } else if (c.isEnum()) {
            ArrayNode values = s.putArray("enum");
            for (Object v : c.getEnumConstants()) {
                values.add(v.toString().toLowerCase(java.util.Locale.ROOT));
            }
        } else if (c.isRecord() && open.add(c)) {
            s.put("type", "object");
            ObjectNode props = s.putObject("properties");
            for (RecordComponent rc : c.getRecordComponents()) {
                String name = key(rc);
                if (name != null) {
                    props.set(name, schema(rc.getGenericType(), open));
                }
            }
            s.put("additionalProperties", false);
            open.remove(c);
        } else if (List.class.isAssignableFrom(c)) {
            s.put("type", "array");
        } else if (Map.class.isAssignableFrom(c)) {
            s.put("type", "object");
        } else if (JsonNode.class.isAssignableFrom(c) || c == Object.class) {
            return s; // any value: a section read by another schema (e.g. a study's npe:)
        }
        return s;
    }

    /** The file key of a record component: its {@code @JsonProperty} name, else its own; null when ignored. */
    private static String key(RecordComponent rc) {
        if (rc.getAccessor().isAnnotationPresent(com.fasterxml.jackson.annotation.JsonIgnore.class)) {
            return null;
        }
        for (JsonProperty p : new JsonProperty[] {rc.getAnnotation(JsonProperty.class),
            rc.getAccessor().getAnnotation(JsonProperty.class)}) {
            if (p != null && !p.value().isEmpty()) {
                return p.value();
            }
        }
        try {
            var f = rc.getDeclaringRecord().getDeclaredField(rc.getName());
            JsonProperty p = f.getAnnotation(JsonProperty.class);
            if (p != null && !p.value().isEmpty()) {
                return p.value();
            }
        } catch (NoSuchFieldException e) {
            // a record always has the field
        }
        return rc.getName();
    }
}
