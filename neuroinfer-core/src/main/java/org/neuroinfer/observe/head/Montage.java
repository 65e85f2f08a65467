package org.neuroinfer.observe.head;

import java.util.Arrays;
import java.util.List;

/**
 * Electrode positions on a spherical head: named sites given by inclination and azimuth in degrees on a sphere of
 * radius {@code radius} centred at {@code centre} (metres, head frame).
 *
 * @param name   montage name
 * @param sites  electrodes in channel order
 * @param centre sphere centre (x, y, z) in metres
 * @param radius sphere radius in metres
 */
public record Montage(String name, List<Site> sites, double[] centre, double radius) {

    /**
     * One electrode: inclination theta from +z (vertex) and azimuth phi from +x (right) towards +y (nose), degrees.
     *
     * @param name  channel name
     * @param theta inclination in degrees
     * @param phi   azimuth in degrees
     */
    public record Site(String name, double theta, double phi) {
    }

    /** Radius of the default head in metres (MNE's sphere fit of the BioSemi cap). */
    public static final double HEAD_RADIUS = 0.095;
    /** Centre of the default head's sphere in MNE's head frame (origin between the pre-auricular points), m. */
    public static final double[] HEAD_CENTRE = {0.0, 0.0, 0.04014873486536641};

    private static final List<Site> BIOSEMI64 = List.of(
        new Site("Fp1", 92, 108),
        new Site("AF7", 92, 126),
        new Site("AF3", 74, 115),
        new Site("F1", 50, 112),
        new Site("F3", 60, 129),
        new Site("F5", 75, 139),
        new Site("F7", 92, 144),
        new Site("FT7", 92, 162),
        new Site("FC5", 72, 159),
        new Site("FC3", 50, 152),
        new Site("FC1", 32, 135),
        new Site("C1", 23, 180),
        new Site("C3", 46, 180),
        new Site("C5", 69, 180),
        new Site("T7", 92, 180),
        new Site("TP7", 92, -162),
        new Site("CP5", 72, -159),
        new Site("CP3", 50, -152),
        new Site("CP1", 32, -135),
        new Site("P1", 50, -112),
        new Site("P3", 60, -129),
        new Site("P5", 75, -139),
        new Site("P7", 92, -144),
        new Site("P9", 115, -144),
        new Site("PO7", 92, -126),
        new Site("PO3", 74, -115),
        new Site("O1", 92, -108),
        new Site("Iz", 115, -90),
        new Site("Oz", 92, -90),
        new Site("POz", 69, -90),
        new Site("Pz", 46, -90),
        new Site("CPz", 23, -90),
        new Site("Fpz", 92, 90),
        new Site("Fp2", 92, 72),
        new Site("AF8", 92, 54),
        new Site("AF4", 74, 65),
        new Site("AFz", 69, 90),
        new Site("Fz", 46, 90),
        new Site("F2", 50, 68),
        new Site("F4", 60, 51),
        new Site("F6", 75, 41),
        new Site("F8", 92, 36),
        new Site("FT8", 92, 18),
        new Site("FC6", 72, 21),
        new Site("FC4", 50, 28),
        new Site("FC2", 32, 45),
        new Site("FCz", 23, 90),
        new Site("Cz", 0, 0),
        new Site("C2", 23, 0),
        new Site("C4", 46, 0),
        new Site("C6", 69, 0),
        new Site("T8", 92, 0),
        new Site("TP8", 92, -18),
        new Site("CP6", 72, -21),
        new Site("CP4", 50, -28),
        new Site("CP2", 32, -45),
        new Site("P2", 50, -68),
        new Site("P4", 60, -51),
        new Site("P6", 75, -41),
        new Site("P8", 92, -36),
        new Site("P10", 115, -36),
        new Site("PO8", 92, -54),
        new Site("PO4", 74, -65),
        new Site("O2", 92, -72));

    /**
     * The BioSemi 64-channel cap in BioSemi's published layout (inclination and azimuth in whole degrees on a
     * sphere), channel order as the cap numbers them, on the default head.
     */
    public static Montage biosemi64() {
        return new Montage("biosemi64", BIOSEMI64, HEAD_CENTRE.clone(), HEAD_RADIUS);
    }

    /** The 21 sites of the international 10-20 system, at their positions on the BioSemi cap's sphere. */
    public static Montage standard1020() {
        java.util.Set<String> names = java.util.Set.of("Fp1", "Fpz", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T7",
                "C3", "Cz", "C4", "T8", "P7", "P3", "Pz", "P4", "P8", "O1", "Oz", "O2");
        return new Montage("1020", BIOSEMI64.stream().filter(s -> names.contains(s.name())).toList(),
                HEAD_CENTRE.clone(), HEAD_RADIUS);
    }

    /**
     * The 10-10 system on the same head: the BioSemi-64 sites plus the rest of the lower ring. BioSemi places Iz,
     * P9 and P10 on a ring at 115 degrees at the azimuths of the 92-degree ring (Oz, P7, P8); Nz, F9/F10,
     * FT9/FT10, T9/T10, TP9/TP10 and PO9/PO10 are placed by the same rule (derived here, not tabulated by BioSemi).
     */
    public static Montage standard1010() {
        java.util.List<Site> all = new java.util.ArrayList<>(BIOSEMI64);
        java.util.Map<String, Site> byName = new java.util.HashMap<>();
        for (Site s : BIOSEMI64) {
            byName.put(s.name(), s);
        }
        String[][] ring = {{"Nz", "Fpz"}, {"F9", "F7"}, {"F10", "F8"}, {"FT9", "FT7"}, {"FT10", "FT8"},
            {"T9", "T7"}, {"T10", "T8"}, {"TP9", "TP7"}, {"TP10", "TP8"}, {"PO9", "PO7"}, {"PO10", "PO8"}};
        for (String[] r : ring) {
            all.add(new Site(r[0], 115, byName.get(r[1]).phi()));
        }
        return new Montage("1010", java.util.List.copyOf(all), HEAD_CENTRE.clone(), HEAD_RADIUS);
    }

    /** The montage called {@code name}: biosemi64, 1020 or 1010. */
    public static Montage named(String name) {
        if ("biosemi64".equalsIgnoreCase(name)) {
            return biosemi64();
        }
        if ("1020".equals(name) || "10-20".equals(name)) {
            return standard1020();
        }
        if ("1010".equals(name) || "10-10".equals(name)) {
            return standard1010();
        }
        throw new IllegalArgumentException("unknown montage '" + name + "'; valid: biosemi64, 1020, 1010");
    }

    /** Number of channels. */
    public int size() {
        return sites.size();
    }

    /** Channel names in order. */
    public String[] channelNames() {
        return sites.stream().map(Site::name).toArray(String[]::new);
    }

    /** Electrode positions [channels][3] in metres, head frame. */
    public double[][] positions() {
        double[][] p = new double[sites.size()][];
        for (int i = 0; i < p.length; i++) {
            Site s = sites.get(i);
            double t = Math.toRadians(s.theta());
            double f = Math.toRadians(s.phi());
            p[i] = new double[] {centre[0] + radius * Math.sin(t) * Math.cos(f),
                centre[1] + radius * Math.sin(t) * Math.sin(f), centre[2] + radius * Math.cos(t)};
        }
        return p;
    }

    @Override
    public String toString() {
        return "Montage[" + name + ", " + sites.size() + " channels, r = " + radius + " m, centre "
                + Arrays.toString(centre) + "]";
    }
}
