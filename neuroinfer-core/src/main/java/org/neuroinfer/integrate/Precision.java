package org.neuroinfer.integrate;

import java.util.Locale;

/** The arithmetic of a batch simulation: double precision (the reference and the default) or single precision. */
public enum Precision {
    /** IEEE double: the reference every golden check and peer comparison uses. */
    FLOAT64,
    /**
     * IEEE single, opt-in: twice the lanes per vector; forward Euler only, for models with a single-precision
     * kernel ({@link org.neuroinfer.model.SinglePrecisionEuler}). Recordings differ from double precision by the
     * rounding of about 1e-7 per step, grown by the dynamics (docs/jansen-rit.md reports the difference).
     */
    FLOAT32;

    /** The lower-case name used in files and options. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision named {@code name} (float64 or float32; null means float64).
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static Precision of(String name) {
        if (name == null || name.equals("float64")) {
            return FLOAT64;
        }
        if (name.equals("float32")) {
            return FLOAT32;
        }
        throw new IllegalArgumentException("precision '" + name + "': valid: float64, float32");
    }
}
