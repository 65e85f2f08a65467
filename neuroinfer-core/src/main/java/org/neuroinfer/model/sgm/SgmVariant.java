package org.neuroinfer.model.sgm;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The five published formulations of the spectral graph model; they differ in the Laplacian's row normaliser, the
 * local (mesoscopic) transfer functions, the macroscopic mode denominator and how modes are summed. The equations
 * are those of {@code shared/reference/sgm/README.md} §5–7.
 */
public enum SgmVariant {
    /** Raj et al. 2020 (spectrome {@code run_forward}): |Σ_{k=1}^{56} r_k u_k|, local gain 1. */
    SGM2020("sgm2020", Family.SGM2020, false),
    /** Raj et al. 2020 as in spectrome's notebooks ({@code run_local_coupling_forward}): local gain α. */
    SGM2020_LA("sgm2020_la", Family.SGM2020, false),
    /** M-SGM, Verma, Nagarajan &amp; Raj 2022 (NeuroImage 249:118919): row norms of Σ r_k u_k u_kᴴ. */
    MSGM2022("msgm2022", Family.MSGM2022, false),
    /** "Macro-stable" M-SGM of SBI-SGM (Jin et al. 2023): mode denominator with F(τC). */
    MSGM2023("msgm2023", Family.MSGM2023, false),
    /** msgm2023 with the percentile-regularised Laplacian of the public 2022–2024 optimisation code. */
    MSGM2023_PCT("msgm2023_pct", Family.MSGM2023, true);

    /** How the local and macroscopic responses are formed. */
    enum Family { SGM2020, MSGM2022, MSGM2023 }

    private final String id;
    private final Family family;
    private final boolean percentileNormaliser;

    SgmVariant(String id, Family family, boolean percentileNormaliser) {
        this.id = id;
        this.family = family;
        this.percentileNormaliser = percentileNormaliser;
    }

    /** The name used on the command line and in file names, e.g. {@code sgm2020}. */
    public String id() {
        return id;
    }

    Family family() {
        return family;
    }

    /** Whether the Laplacian uses the percentile-regularised row normaliser (README §5) instead of 2020's. */
    public boolean percentileNormaliser() {
        return percentileNormaliser;
    }

    /** Whether the output is the complex sum of eigenvectors of the 2020 papers (phase-convention dependent). */
    public boolean sumsEigenvectors() {
        return family == Family.SGM2020;
    }

    /** The variant named {@code id}. */
    public static SgmVariant of(String id) {
        for (SgmVariant v : values()) {
            if (v.id.equalsIgnoreCase(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown SGM variant '" + id + "'; valid: "
                + Arrays.stream(values()).map(SgmVariant::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
