package org.neuroinfer.model.sgm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.param.ParameterFile;

/**
 * The seven global parameters of the spectral graph model (Raj et al. 2020, Hum. Brain Mapp. 41:2980), in SI
 * units: time constants in s, speed in m/s.
 *
 * @param tauE  τe, excitatory time constant (s)
 * @param tauI  τi, inhibitory time constant (s)
 * @param alpha α, global coupling
 * @param speed v, transmission speed (m/s)
 * @param gei   g_ei, excitatory–inhibitory gain
 * @param gii   g_ii, inhibitory–inhibitory gain
 * @param tauC  τC, graph time constant (s)
 */
public record SgmParameters(double tauE, double tauI, double alpha, double speed, double gei, double gii,
                            double tauC) {
    /** Parameter names in the order of {@link #toArray()}, as in the reference {@code case.json}. */
    public static final List<String> NAMES = List.of("tau_e", "tau_i", "alpha", "speed", "gei", "gii", "tauC");
    /** Units in the same order. */
    public static final List<String> UNITS = List.of("s", "s", "1", "m/s", "1", "1", "s");
    /** What each is, in the same order. */
    public static final List<String> MEANINGS = List.of("excitatory time constant", "inhibitory time constant",
            "global coupling", "transmission speed", "excitatory-inhibitory gain", "inhibitory-inhibitory gain",
            "graph (long-range) time constant");
    /** spectrome's defaults ({@code Brain.ntf_params}). */
    public static final SgmParameters DEFAULTS = new SgmParameters(0.012, 0.003, 1.0, 5.0, 4.0, 1.0, 0.006);

    public SgmParameters {
        double[] v = {tauE, tauI, alpha, speed, gei, gii, tauC};
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i]) || v[i] <= 0) {
                throw new IllegalArgumentException("SGM parameter " + NAMES.get(i) + " = " + v[i] + " "
                        + UNITS.get(i) + "; valid: a finite value > 0");
            }
        }
    }

    /** The values in the order of {@link #NAMES}. */
    public double[] toArray() {
        return new double[] {tauE, tauI, alpha, speed, gei, gii, tauC};
    }

    /** From values in the order of {@link #NAMES}. */
    public static SgmParameters of(double[] v) {
        if (v.length != NAMES.size()) {
            throw new IllegalArgumentException("SGM parameters: " + v.length + " values, expected " + NAMES.size()
                    + " (" + String.join(", ", NAMES) + ")");
        }
        return new SgmParameters(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** The defaults with the named values replaced; unknown names are an error. */
    public static SgmParameters of(Map<String, Double> values) {
        double[] v = DEFAULTS.toArray();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            int i = NAMES.indexOf(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("unknown SGM parameter '" + e.getKey() + "'; valid: "
                        + String.join(", ", NAMES));
            }
            v[i] = e.getValue();
        }
        return of(v);
    }

    /**
     * Reads a JSON parameter file: a reference {@code case.json} ({@code params} and {@code units}), the
     * {@code {"parameters": {"tau_e": {"value": 12, "unit": "ms"}}}} form, or plain {@code {"tau_e": 0.012}}.
     * Parameters not named keep their defaults; times may be given in ms, speeds in mm/ms.
     */
    public static SgmParameters read(java.nio.file.Path file) throws java.io.IOException {
        ParameterFile f = ParameterFile.read(file);
        Map<String, Double> v = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Double> e : f.values().entrySet()) {
                int i = NAMES.indexOf(e.getKey());
                if (i < 0) {
                    throw new IllegalArgumentException("unknown SGM parameter '" + e.getKey() + "'; valid: "
                            + String.join(", ", NAMES));
                }
                v.put(e.getKey(), ParameterFile.convert(e.getKey(), e.getValue(), f.units().get(e.getKey()),
                        UNITS.get(i)));
            }
            return of(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The same parameters with one value replaced. */
    public SgmParameters with(String name, double value) {
        Map<String, Double> m = asMap();
        m.put(name, value);
        return of(m);
    }

    /** Name → value, in the order of {@link #NAMES}. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] v = toArray();
        for (int i = 0; i < v.length; i++) {
            m.put(NAMES.get(i), v[i]);
        }
        return m;
    }
}
