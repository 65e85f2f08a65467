package org.neuroinfer.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.npe.EstimatorSpec;
import org.neuroinfer.learn.npe.NpeConfig;

/**
 * The estimator settings of sbibm runs, as examples/sbibm-npe.yaml writes them: the sections of an NPE file
 * ({@code estimator}, {@code input}, {@code training}) and an optional {@code budgets} section whose entries, keyed
 * by a number of simulations, override those sections for every budget from that number on (the largest key at or
 * below the budget applies; nested maps are merged field by field). Nothing depends on the task.
 */
public final class SbibmSettings {
    private static final String BUDGETS = "budgets";

    /**
     * The file's keys, for its schema ({@code ./neuroinfer schema sbibm}): an NPE file's sections and the budgets'
     * overrides, each written as the sections of an NPE file.
     *
     * @param estimator the density estimator
     * @param input     the data's reading
     * @param training  the training
     * @param budgets   from a number of simulations on, the sections that change
     */
    public record File(@JsonProperty("estimator") EstimatorSpec estimator,
                       @JsonProperty("input") TrainingConfig.Input input,
                       @JsonProperty("training") TrainingConfig.Optimisation training,
                       @JsonProperty("budgets") Map<Integer, NpeConfig> budgets) {
    }
    private final Map<String, Object> base;
    private final TreeMap<Integer, Map<String, Object>> budgets = new TreeMap<>();

    private SbibmSettings(Map<String, Object> values) {
        base = new LinkedHashMap<>(values);
        Object b = base.remove(BUDGETS);
        NpeConfig.of(base); // checked now, naming the field
        if (b == null) {
            return;
        }
        if (!(b instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("budgets must map a number of simulations to settings, got " + b);
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            int n;
            try {
                n = Integer.parseInt(String.valueOf(e.getKey()).trim());
            } catch (NumberFormatException x) {
                n = -1;
            }
            if (n < SbibmRun.MIN_SIMULATIONS) {
                throw new IllegalArgumentException("budgets: a key is a number of simulations >= "
                        + SbibmRun.MIN_SIMULATIONS + ", got '" + e.getKey() + "'");
            }
            if (!(e.getValue() instanceof Map<?, ?> v)) {
                throw new IllegalArgumentException("budgets." + n + " must hold settings (estimator, input, "
                        + "training), got " + e.getValue());
            }
            budgets.put(n, cast(v));
            try {
                forBudget(n);
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("budgets." + n + ": " + x.getMessage(), x);
            }
        }
    }

    /** The settings of a parsed file ({@code budgets} optional). */
    public static SbibmSettings of(Map<String, Object> values) {
        return new SbibmSettings(values);
    }

    /** The settings in a YAML stream. */
    public static SbibmSettings read(InputStream yaml) throws IOException {
        Map<?, ?> m = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
        return new SbibmSettings(m == null ? Map.of() : cast(m));
    }

    /** The settings as a file holds them ({@code budgets} included), from which {@link #of} makes them again. */
    public Map<String, Object> values() {
        Map<String, Object> v = new LinkedHashMap<>(base);
        if (!budgets.isEmpty()) {
            Map<String, Object> b = new LinkedHashMap<>();
            budgets.forEach((n, over) -> b.put(Integer.toString(n), over));
            v.put(BUDGETS, b);
        }
        return v;
    }

    /** The estimator and training for a budget of {@code simulations}. */
    public NpeConfig forBudget(int simulations) {
        Map<Integer, Map<String, Object>> applies = budgets.headMap(simulations, true);
        Map<String, Object> merged = base;
        for (Map<String, Object> over : applies.values()) {
            merged = merge(merged, over);
        }
        return NpeConfig.of(merged);
    }

    /** {@code over} on top of {@code base}, maps merged key by key. */
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object was = out.get(e.getKey());
            out.put(e.getKey(), was instanceof Map<?, ?> a && e.getValue() instanceof Map<?, ?> b
                    ? merge(cast(a), cast(b)) : e.getValue());
        }
        return out;
    }

    private static Map<String, Object> cast(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }
}
