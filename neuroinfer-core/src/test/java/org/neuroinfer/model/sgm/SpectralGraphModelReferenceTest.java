package org.neuroinfer.model.sgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hipparchus.complex.Complex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.model.Connectome;

/**
 * Every public case of {@code shared/reference/sgm} in every variant: spectra within 1e-6 dB (README §9), the
 * prepared connectome to 1e-15, and the probe values that localise a mismatch.
 */
class SpectralGraphModelReferenceTest {
    static final Path REF = SharedFolder.require().resolve("reference/sgm");
    static Connectome prepared;
    static double[] freqs;
    /** Modes depend on the case's speed and the normaliser only: shared by the variants and both tests. */
    static final java.util.Map<String, LaplacianModes> MODES = new java.util.concurrent.ConcurrentHashMap<>();

    static LaplacianModes modes(String name, SpectralGraphModel model, double speed) {
        return MODES.computeIfAbsent(name + model.variant().percentileNormaliser(), k -> model.modes(speed));
    }

    @BeforeAll
    static void prepare() throws Exception {
        prepared = SgmConnectome.read(REF.resolve("connectome/raw"));
        freqs = Npy.load(REF.resolve("freqs_hz.npy")).data();
    }

    static List<String> publicCases() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(REF.resolve("manifest.json").toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode c : manifest.get("cases")) {
            if ("public".equals(c.get("split").asText())) {
                out.add(c.get("name").asText());
            }
        }
        return out;
    }

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String c : publicCases()) {
            for (SgmVariant v : SgmVariant.values()) {
                out.add(Arguments.of(c, v));
            }
        }
        return out.stream();
    }

    static SgmParameters params(JsonNode c) {
        double[] v = new double[SgmParameters.NAMES.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = c.get("params").get(SgmParameters.NAMES.get(i)).asDouble();
            assertEquals(SgmParameters.UNITS.get(i), c.get("units").get(SgmParameters.NAMES.get(i)).asText());
        }
        return SgmParameters.of(v);
    }

    static void assertMatrix(double[][] expected, double[][] actual, double tol, boolean relative, String what) {
        assertEquals(expected.length, actual.length, what + " rows");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                double d = Math.abs(expected[i][j] - actual[i][j]);
                if (relative) {
                    d /= Math.max(Math.abs(expected[i][j]), Double.MIN_NORMAL);
                }
                worst = Math.max(worst, d);
            }
        }
        assertTrue(worst <= tol, what + ": worst difference " + worst + " > " + tol);
    }

    @Test
    void preparedConnectomeMatchesTheReference() throws Exception {
        assertMatrix(Npy.load(REF.resolve("connectome/C_reordered.npy")).rows(),
                reorderedOnly(), 0, false, "reordered weights");
        assertMatrix(Npy.load(REF.resolve("connectome/C_prepared.npy")).rows(), prepared.weights(), 1e-15, true,
                "prepared weights");
        assertMatrix(Npy.load(REF.resolve("connectome/D_prepared_mm.npy")).rows(), prepared.lengths(), 0, false,
                "prepared lengths");
        List<String> names = Files.readAllLines(REF.resolve("connectome/region_names.txt")).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        assertEquals(names, prepared.names());
        assertEquals(191.75326097132825 / 7, SgmConnectome.meanPositive(
                Npy.load(REF.resolve("connectome/C_bisymmetric.npy")).rows()), 0, "clip threshold / 7, to the bit");
        double[] n2020 = SgmConnectome.rowNormaliser(prepared, false);
        double[] npct = SgmConnectome.rowNormaliser(prepared, true);
        double[] r2020 = Npy.load(REF.resolve("connectome/laplacian_row_normaliser_2020.npy")).data();
        double[] rpct = Npy.load(REF.resolve("connectome/laplacian_row_normaliser_pct.npy")).data();
        for (int i = 0; i < n2020.length; i++) {
            assertEquals(r2020[i], n2020[i], 1e-14 * r2020[i], "2020 normaliser " + i);
            assertEquals(rpct[i], npct[i], 1e-14 * rpct[i], "pct normaliser " + i);
        }
        assertEquals(0.125, prepared.weights()[0][1], 0);
    }

    private static double[][] reorderedOnly() throws Exception {
        Connectome raw = SgmConnectome.readRaw(REF.resolve("connectome/raw"));
        double[][] out = new double[86][86];
        for (int i = 0; i < 86; i++) {
            for (int j = 0; j < 86; j++) {
                out[i][j] = raw.weights()[(i + 18) % 86][(j + 18) % 86];
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void spectraMatchWithinAMicroDecibel(String name, SgmVariant variant) throws Exception {
        Path dir = REF.resolve("cases").resolve(name);
        JsonNode c = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        SpectralGraphModel model = new SpectralGraphModel(prepared, freqs, variant);
        SgmParameters p = params(c);
        double[][] mag = model.magnitude(p, modes(name, model, p.speed()));
        String v = variant.id();
        assertMatrix(Npy.load(dir.resolve(v + "_mag.npy")).rows(), mag, 1e-7, true, name + " " + v + " magnitude");
        assertMatrix(Npy.load(dir.resolve(v + "_db.npy")).rows(), SpectralGraphModel.decibels(mag), 1e-6, false,
                name + " " + v + " dB");
        if (variant.sumsEigenvectors()) {
            assertMatrix(Npy.load(dir.resolve(v + "_db_smoothed.npy")).rows(),
                    SpectralGraphModel.decibels(SpectralGraphModel.smooth(mag)), 1e-6, false,
                    name + " " + v + " smoothed dB");
            // a single spectrum computes only the eigenvectors the sum uses at its α
            assertMatrix(Npy.load(dir.resolve(v + "_mag.npy")).rows(), model.magnitude(p), 1e-7, true,
                    name + " " + v + " magnitude from the α's modes only");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void probeEigenvaluesAndLocalResponse(String name, SgmVariant variant) throws Exception {
        JsonNode c = new ObjectMapper().readTree(REF.resolve("cases").resolve(name).resolve("case.json").toFile());
        JsonNode probe = c.get("outputs").get(variant.id()).get("probe");
        int f = probe.get("freq_index").asInt();
        SgmParameters p = params(c);
        SpectralGraphModel model = new SpectralGraphModel(prepared, freqs, variant);
        LaplacianModes modes = modes(name, model, p.speed());
        double[] abs = new double[86];
        Integer[] order = new Integer[86];
        for (int k = 0; k < 86; k++) {
            abs[k] = Math.hypot(1 - p.alpha() * modes.muRe[f][k], p.alpha() * modes.muIm[f][k]);
            order[k] = k;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(abs[x], abs[y]));
        JsonNode first = probe.get("eigenvalues_sorted_first5");
        for (int s = 0; s < 6; s++) {
            JsonNode e = s < 5 ? first.get(s) : probe.get("eigenvalue_57");
            int k = order[s < 5 ? s : 57];
            Complex expected = new Complex(e.get(0).asDouble(), e.get(1).asDouble());
            Complex actual = new Complex(1 - p.alpha() * modes.muRe[f][k], -p.alpha() * modes.muIm[f][k]);
            assertTrue(actual.subtract(expected).norm() <= 1e-10 * expected.norm(), name + " eigenvalue " + s + ": "
                    + actual + " vs " + expected);
        }
        Complex h = model.localResponse(p, 2 * Math.PI * freqs[f]);
        Complex expectedH = new Complex(probe.get("local_H").get(0).asDouble(), probe.get("local_H").get(1)
                .asDouble());
        assertTrue(h.subtract(expectedH).norm() <= 1e-12 * expectedH.norm(), name + " local H " + h + " vs "
                + expectedH);
    }

    @Test
    void phasorsAdvancedAlongTheUniformGridMatchThoseComputedDirectly() {
        // the standard grid is uniform (phasors by recurrence); three of its frequencies are not (sin/cos each)
        double[] grid = SpectralGraphModel.standardFrequencies();
        int[] picked = {0, 5, 39};
        double[] sparse = {grid[picked[0]], grid[picked[1]], grid[picked[2]]};
        double[][][] all = new SpectralGraphModel(prepared, grid, SgmVariant.SGM2020).coupling(6.1);
        double[][][] some = new SpectralGraphModel(prepared, sparse, SgmVariant.SGM2020).coupling(6.1);
        int n = prepared.size();
        double scale = 0;
        double worst = 0;
        for (int k = 0; k < picked.length; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    for (int part = 0; part < 2; part++) {
                        scale = Math.max(scale, Math.abs(some[part][k][i * n + j]));
                        worst = Math.max(worst, Math.abs(some[part][k][i * n + j] - all[part][picked[k]][i * n + j]));
                    }
                }
            }
        }
        // the recurrence's rounding drift over 40 steps is ~1e-14 of the largest weight; a wrong step would be O(1)
        assertTrue(scale > 0 && worst <= 1e-13 * scale, "uniform grid against direct phasors: worst " + worst
                + " of " + scale);
    }

    @Test
    void theSpectrumDoesNotDependOnTheThreadCount() {
        SpectralGraphModel model = new SpectralGraphModel(prepared, freqs, SgmVariant.SGM2020);
        SgmParameters p = SgmParameters.DEFAULTS.with("speed", 9.3);
        double[][] one = model.magnitude(p, 1);
        double[][] two = model.magnitude(p, 2);
        for (int r = 0; r < one.length; r++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(one[r], two[r], 0, "region " + r);
        }
    }
}
