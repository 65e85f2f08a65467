package org.neuroinfer.network;

import org.neuroinfer.model.Connectome;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.network.cases.ConfiguredRun;

/**
 * A network run shared by several threads gives the same numbers, bit for bit, as on one thread: every model of the
 * registry, so a new one is tested without editing this list.
 */
class ThreadCountTest {
    @ParameterizedTest
    @MethodSource("org.neuroinfer.network.cases.ConfiguredRun#models")
    void twoThreadsEqualOne(String model) throws Exception {
        var ref = SharedFolder.require().resolve("reference/neurolib/data");
        LinkedHashMap<String, Object> params = new LinkedHashMap<>();
        params.put("sigma_ou", model.equals("aln") ? 0.1 : 0.02);
        NetworkConfig c = new NetworkConfig(model, ref.resolve("gw").toString(), 20, params, 3000.0, 0.1, 20.0, 1.0,
                true, 7L, 0.0, ref.resolve("aln_tables").toString(), null, null);
        Connectome con = ConfiguredRun.connectome(c, null);
        ConfiguredRun.Output one = ConfiguredRun.run(c, con, 1);
        ConfiguredRun.Output two = ConfiguredRun.run(c, con, 2);
        ConfiguredRun.Output three = ConfiguredRun.run(c, con, 3);
        for (int v = 0; v < one.result().outputs().length; v++) {
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(one.result().outputs()[v][i], two.result().outputs()[v][i]);
                assertArrayEquals(one.result().outputs()[v][i], three.result().outputs()[v][i]);
            }
        }
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(one.result().bold()[i], two.result().bold()[i]);
        }
        double spread = 0;
        for (double x : one.result().outputs()[0][3]) {
            spread = Math.max(spread, Math.abs(x - one.result().outputs()[0][3][0]));
        }
        assertTrue(spread > 0, "the run moves");
    }
}
