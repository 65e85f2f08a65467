package org.neuroinfer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling measurement runs end to end on pinned one-core workers, and its runs make the same bytes. */
class ClusterScalingTest {
    @TempDir
    Path dir;

    @Test
    void twoRunsOnPinnedWorkersMakeTheSameBytes() throws Exception {
        List<ClusterScaling.Run> runs = ClusterScaling.measure(StandaloneClusterTest.config(), dir.resolve("out"),
                List.of(1, 1), false, System.out);
        assertEquals(2, runs.size());
        for (ClusterScaling.Run r : runs) {
            assertEquals(120, r.recordings());
            assertTrue(r.jobSeconds() > 0 && r.totalSeconds() >= r.jobSeconds() && r.perWorker() > 0, r.toString());
            // Spark's own task times: one executor, its first task within the job, not before it
            assertEquals(1, r.tasks().executors(), r.toString());
            assertTrue(r.tasks().beforeFirst() >= 0 && r.tasks().beforeFirst() < r.jobSeconds(), r.toString());
            assertTrue(r.tasks().firstTask() > 0 && r.tasks().firstTask() <= r.jobSeconds(), r.toString());
        }
        assertEquals(runs.get(0).digest(), runs.get(1).digest());
        assertTrue(Files.isRegularFile(dir.resolve("out/run1-workers-1/manifest.json")), "the first run stays");
        assertFalse(Files.exists(dir.resolve("out/run2-workers-1")), "a later run that matched it is deleted");
    }

    @Test
    void refusesAnOutputThatExistsAndMissingArguments() throws Exception {
        Files.createDirectories(dir.resolve("taken"));
        var e = assertThrows(IllegalArgumentException.class, () -> ClusterScaling.main(new String[] {"c.yaml",
            "--out", dir.resolve("taken").toString()}));
        assertTrue(e.getMessage().contains("exists already"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClusterScaling.main(new String[] {"c.yaml"}));
        assertTrue(e.getMessage().startsWith("usage: cluster-scaling"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClusterScaling.main(new String[] {"c.yaml", "--out"}));
        assertTrue(e.getMessage().startsWith("--out needs a value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClusterScaling.main(new String[] {"c.yaml",
            "--out", dir.resolve("new").toString(), "--workers", "1,0"}));
        assertTrue(e.getMessage().contains("--workers must be worker counts of at least 1, e.g. 1,2; got 1,0"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LocalCluster.start(99, "1g", dir, true));
        assertTrue(e.getMessage().contains("99 workers"), e.getMessage());
    }
}
