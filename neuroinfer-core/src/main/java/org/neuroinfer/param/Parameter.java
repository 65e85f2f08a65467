package org.neuroinfer.param;

/**
 * One named model parameter: its unit, default value, sampling bounds and prior family.
 *
 * @param name        identifier used on the command line and in files (e.g. {@code A_e})
 * @param unit        unit of the values (e.g. {@code V}, {@code s^-1}, {@code 1})
 * @param defaultValue the model's default
 * @param lower       lower bound of the sampling range
 * @param upper       upper bound of the sampling range
 * @param prior       prior family over the bounds
 * @param description one line saying what the parameter is
 */
public record Parameter(String name, String unit, double defaultValue, double lower, double upper, Prior prior,
                        String description) {

    public Parameter {
        if (!(lower < upper)) {
            throw new IllegalArgumentException("parameter " + name + ": lower bound " + lower
                    + " must be below upper bound " + upper);
        }
        if (!(defaultValue >= lower && defaultValue <= upper)) {
            throw new IllegalArgumentException("parameter " + name + ": default " + defaultValue
                    + " outside [" + lower + ", " + upper + "]");
        }
    }

    /** Whether {@code value} lies within the bounds (inclusive). */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }

    /** The same parameter with another prior family. */
    public Parameter withPrior(Prior newPrior) {
        return new Parameter(name, unit, defaultValue, lower, upper, newPrior, description);
    }
}
