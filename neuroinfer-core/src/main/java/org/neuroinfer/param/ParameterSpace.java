package org.neuroinfer.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.rng.UniformRandomProvider;

/** An ordered set of named parameters; vectors of values travel as {@code double[]} in this order. */
public final class ParameterSpace {
    private final List<Parameter> parameters;

    public ParameterSpace(List<Parameter> parameters) {
        this.parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        for (int i = 0; i < parameters.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (parameters.get(i).name().equals(parameters.get(j).name())) {
                    throw new IllegalArgumentException("duplicate parameter name " + parameters.get(i).name());
                }
            }
        }
    }

    /** Number of parameters. */
    public int size() {
        return parameters.size();
    }

    /** The parameter at {@code index}. */
    public Parameter get(int index) {
        return parameters.get(index);
    }

    /** All parameters in order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The parameter names in order. */
    public String[] names() {
        return parameters.stream().map(Parameter::name).toArray(String[]::new);
    }

    /** The default values in order. */
    public double[] defaults() {
        return parameters.stream().mapToDouble(Parameter::defaultValue).toArray();
    }

    /** Index of the parameter called {@code name}; a {@link ParameterException} listing the valid names if none. */
    public int indexOf(String name) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new ParameterException("unknown parameter '" + name + "'; valid names: " + String.join(", ", names()));
    }

    /** The same space with every prior replaced by {@code prior}. */
    public ParameterSpace withPrior(Prior prior) {
        return new ParameterSpace(parameters.stream().map(p -> p.withPrior(prior)).collect(Collectors.toList()));
    }

    /** The defaults with the named values replaced; the result is validated. */
    public double[] withValues(Map<String, Double> values, boolean allowOutsideBounds) {
        double[] v = defaults();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            v[indexOf(e.getKey())] = e.getValue();
        }
        validate(v, allowOutsideBounds);
        return v;
    }

    /**
     * Checks a parameter vector: right length, finite values and, unless allowed, within the bounds.
     *
     * @throws ParameterException naming the parameter and its valid range
     */
    public void validate(double[] values, boolean allowOutsideBounds) {
        if (values.length != parameters.size()) {
            throw new ParameterException("expected " + parameters.size() + " parameter values ("
                    + String.join(", ", names()) + "), got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            Parameter p = parameters.get(i);
            if (!Double.isFinite(values[i])) {
                throw new ParameterException("parameter " + p.name() + " = " + values[i] + " is not a finite number");
            }
            if (!allowOutsideBounds && !p.contains(values[i])) {
                throw new ParameterException("parameter " + p.name() + " = " + values[i] + " " + p.unit()
                        + " is outside its prior range [" + p.lower() + ", " + p.upper() + "] " + p.unit()
                        + " (use --allow-outside-prior to run it anyway)");
            }
        }
    }

    /** The log density of {@code values} under the priors, taken as independent (−∞ outside a support). */
    public double logDensity(double[] values) {
        if (values.length != parameters.size()) {
            throw new IllegalArgumentException("a parameter set has " + parameters.size() + " values, got "
                    + values.length);
        }
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            Parameter p = parameters.get(i);
            sum += p.prior().logDensity(values[i], p.lower(), p.upper());
        }
        return sum;
    }

    /** Draws one parameter vector from the priors. */
    public double[] sample(UniformRandomProvider rng) {
        double[] v = new double[parameters.size()];
        for (int i = 0; i < v.length; i++) {
            Parameter p = parameters.get(i);
            v[i] = p.prior().sample(rng, p.lower(), p.upper());
        }
        return v;
    }

    @Override
    public String toString() {
        return "ParameterSpace" + Arrays.toString(names());
    }
}
