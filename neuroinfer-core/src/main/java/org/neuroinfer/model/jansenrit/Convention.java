package org.neuroinfer.model.jansenrit;

import java.util.List;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;

/**
 * The constant conventions of the Jansen-Rit model: sigmoid constants, units, stimulus routing and prior ranges.
 *
 * <p>{@link #DEEPJR} and {@link #CLASSIC_MV} are the seed benchmark's (Tilwani &amp; O'Reilly, arXiv 2406.05002;
 * package {@code deepjr}), stimulus into the pyramidal and both interneuron populations. {@link #TEXTBOOK} is
 * Jansen &amp; Rit (1995, Biol. Cybern. 73:357) as The Virtual Brain implements it: consistent mV units and the
 * input p(t) into the excitatory interneurons only.
 */
public enum Convention {
    /** The seed package exactly: volts, v_max = 0.05, v_0 = 0.006 V, r = 0.56 (a per-mV slope applied to volts). */
    DEEPJR("deepjr", 0.05, 0.006, 0.56, "V", 5.0, 33.6, 60.0, 60.0),
    /** The seed's June-2024 notebook: textbook constants in mV, same stimulus routing as deepjr. */
    CLASSIC_MV("classic_mV", 5.0, 6.0, 0.56, "mV", 5.0, 33.6, 60.0, 60.0),
    /** Jansen &amp; Rit 1995 / TVB: mV, 2e0 = 5 s^-1, v_0 = 6 mV, r = 0.56 mV^-1, input to excitatory interneurons. */
    TEXTBOOK("textbook", 5.0, 6.0, 0.56, "mV", 50.0, 0.0, 60.0, 0.0);

    private static final String AE = "excitatory synaptic gain (classic JR: A)";
    private static final String AI = "inhibitory synaptic gain (classic JR: B)";
    private final String id;
    final double vMax;
    final double v0;
    final double r;
    private final String voltageUnit;
    private final double bELower;
    /** Stimulus gain into the pyramidal (y3), excitatory (y4) and inhibitory (y5) equations. */
    final double inPyramidal;
    final double inExcitatory;
    final double inInhibitory;

    Convention(String id, double vMax, double v0, double r, String voltageUnit, double bELower,
               double inPyramidal, double inExcitatory, double inInhibitory) {
        this.id = id;
        this.vMax = vMax;
        this.v0 = v0;
        this.r = r;
        this.voltageUnit = voltageUnit;
        this.bELower = bELower;
        this.inPyramidal = inPyramidal;
        this.inExcitatory = inExcitatory;
        this.inInhibitory = inInhibitory;
    }

    /** Identifier as used in files and on the command line ({@code deepjr}, {@code classic_mV}, {@code textbook}). */
    public String id() {
        return id;
    }

    /** Unit of the potentials y0..y2 and of the output. */
    public String voltageUnit() {
        return voltageUnit;
    }

    /** Maximum firing rate of the sigmoid, in the convention's units. */
    public double vMax() {
        return vMax;
    }

    /** Sigmoid threshold potential. */
    public double v0() {
        return v0;
    }

    /** Sigmoid slope as coded. */
    public double r() {
        return r;
    }

    /** Stimulus amplitudes (pyramidal, excitatory, inhibitory) per unit pulse. */
    public double[] inputGains() {
        return new double[] {inPyramidal, inExcitatory, inInhibitory};
    }

    /** The convention called {@code id} (case-insensitive). */
    public static Convention of(String id) {
        for (Convention c : values()) {
            if (c.id.equalsIgnoreCase(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown Jansen-Rit convention '" + id
                + "'; valid: deepjr, classic_mV, textbook");
    }

    /**
     * The nine parameters in the seed's order (A_e, A_i, b_e, b_i, C, a_1..a_4) with the seed's defaults and
     * sampling ranges (b_e from 5 s^-1 as the seed codes it; 50 s^-1 in the textbook convention) and, as prior, the
     * seed's normal truncated to the range.
     */
    public ParameterSpace parameterSpace() {
        String u = voltageUnit;
        boolean volts = "V".equals(voltageUnit);
        Prior p = Prior.TRUNCATED_NORMAL;
        return new ParameterSpace(List.of(
                volts ? new Parameter("A_e", u, 3.25e-3, 2.6e-3, 9.75e-3, p, AE)
                        : new Parameter("A_e", u, 3.25, 2.6, 9.75, p, AE),
                volts ? new Parameter("A_i", u, 22e-3, 17.6e-3, 110e-3, p, AI)
                        : new Parameter("A_i", u, 22, 17.6, 110, p, AI),
                new Parameter("b_e", "s^-1", 100, bELower, 150, p,
                        "inverse excitatory PSP time constant (classic JR: a)"),
                new Parameter("b_i", "s^-1", 50, 25, 75, p, "inverse inhibitory PSP time constant (classic JR: b)"),
                new Parameter("C", "1", 135, 65, 1350, p, "average number of synapses (classic JR: C, TVB: J)"),
                new Parameter("a_1", "1", 1.0, 0.5, 1.5, p, "C1 = a_1*C, pyramidal -> excitatory interneurons"),
                new Parameter("a_2", "1", 0.8, 0.4, 1.2, p, "C2 = a_2*C, excitatory interneurons -> pyramidal"),
                new Parameter("a_3", "1", 0.25, 0.125, 0.375, p, "C3 = a_3*C, pyramidal -> inhibitory interneurons"),
                new Parameter("a_4", "1", 0.25, 0.125, 0.375, p, "C4 = a_4*C, inhibitory interneurons -> pyramidal")));
    }
}
