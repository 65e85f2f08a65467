package org.neuroinfer.recording;

import java.util.Locale;

/** Voltage units as recording files spell them, and whether values are plausible EEG in a stated unit. */
public final class Units {
    /** EEG amplitudes outside this range (per-channel standard deviation, V) are not EEG in the stated unit. */
    public static final double MIN_SD_VOLTS = 1e-8;
    /** The largest plausible per-channel standard deviation of scalp EEG, V (10 mV; typical is 10-100 uV). */
    public static final double MAX_SD_VOLTS = 1e-2;

    private Units() {
    }

    /**
     * Volts per unit of {@code unit}: V, mV, uV (also µV, μV, microvolt), nV.
     *
     * @throws IllegalArgumentException naming {@code field} and the valid units
     */
    public static double voltsPer(String unit, String field) {
        String u = unit == null ? "" : unit.trim().replace('µ', 'u').replace('μ', 'u').toLowerCase(Locale.ROOT);
        switch (u) {
            case "v", "volt", "volts":
                return 1;
            case "mv", "millivolt", "millivolts":
                return 1e-3;
            case "uv", "microvolt", "microvolts":
                return 1e-6;
            case "nv", "nanovolt", "nanovolts":
                return 1e-9;
            default:
                throw new IllegalArgumentException(field + ": unit '" + unit + "' is not a voltage; valid: V, mV, uV "
                        + "(or µV), nV");
        }
    }

    /**
     * Refuses values whose typical per-channel standard deviation ({@code medianSdVolts}, already converted to volts
     * from {@code unit}) is not plausible for scalp EEG, suggesting the unit the numbers look like.
     *
     * @throws IllegalArgumentException naming {@code source}, the amplitude, the plausible range and the likely unit
     */
    public static void checkPlausible(double medianSdVolts, String unit, String source) {
        if (medianSdVolts >= MIN_SD_VOLTS && medianSdVolts <= MAX_SD_VOLTS) {
            return;
        }
        double raw = medianSdVolts / voltsPer(unit, source);
        java.util.List<String> fits = new java.util.ArrayList<>();
        for (String u : new String[] {"V", "mV", "uV", "nV"}) {
            double v = raw * voltsPer(u, source);
            if (v >= MIN_SD_VOLTS && v <= MAX_SD_VOLTS) {
                fits.add(u);
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the channels' median standard deviation "
                + "is %.3g %s = %.3g V, implausible for EEG (expected %.0e .. %.0e V)%s", source, raw, unit,
                medianSdVolts, MIN_SD_VOLTS, MAX_SD_VOLTS, fits.isEmpty() ? "" : "; if the numbers are in "
                        + String.join(" or ", fits) + ", give " + String.join(" or ", fits.stream()
                        .map(u -> "--unit " + u).toList())));
    }
}
