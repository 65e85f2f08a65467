package org.neuroinfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuroinfer.learn.npe.SequentialNpe;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.learn.npe.NpeConfig;

/**
 * The sbibm benchmark stage scores each cell once and keeps it: a second run reuses every cell and writes the
 * same tables; sbi's medians are read from the reference (gaussian_mixture's from the corrected rerun).
 */
class SbibmBenchmarkTest {
    static final Path SBIBM = SharedFolder.require().resolve("reference/sbibm");

    @TempDir
    Path dir;

    @Test
    void cellsAreScoredOnceAndKept() throws Exception {
        SbibmSettings c = SbibmSettings.of(Map.of("estimator", Map.of("kind", "mdn", "components", 3, "hidden", 16),
                "input", Map.of("decimate", 1), "training", Map.of("epochs", 5)));
        SbibmBenchmark.Spec s = new SbibmBenchmark.Spec(List.of("gaussian_mixture"), List.of(200), List.of(1, 2), 1,
                300, c, SBIBM, dir);
        List<Boolean> kept = new ArrayList<>();
        SbibmBenchmark.Listener l = new SbibmBenchmark.Listener() {
            @Override
            public void scored(SbibmBenchmark.Cell cell, boolean k) {
                kept.add(k);
            }
        };
        List<SbibmBenchmark.Cell> first = SbibmBenchmark.run(s, l);
        String summary = Files.readString(dir.resolve("summary.csv"));
        List<SbibmBenchmark.Cell> again = SbibmBenchmark.run(s, l);
        assertEquals(List.of(false, false, true, true), kept);
        assertEquals(first, again);
        assertEquals(summary, Files.readString(dir.resolve("summary.csv")));
        // a cell kept by an earlier version (its c2st.json without "failure") still reads
        Path two = dir.resolve("gaussian_mixture/n200/obs2/c2st.json");
        String old = Files.readString(two).replaceAll(",?\\s*\"failure\"\\s*:\\s*null", "");
        assertTrue(!old.contains("failure") && old.contains("c2st"), old);
        Files.writeString(two, old);
        assertEquals(first.get(1), SbibmBenchmark.run(s, l).get(1));
        // killed while scoring: the kept samples are scored again, to the same value
        Path one = dir.resolve("gaussian_mixture/n200/obs1");
        Files.delete(one.resolve("c2st.json"));
        SbibmBenchmark.Cell rescored = SbibmBenchmark.run(s, l).get(0);
        assertEquals(first.get(0).c2st(), rescored.c2st(), 0.0);
        assertEquals(first.get(0).runSeconds(), rescored.runSeconds(), 0.0, "the run's own time is kept");
        // killed after training, before the samples were written: the cell runs again from its seed
        Files.delete(one.resolve("c2st.json"));
        Files.delete(one.resolve("run.json"));
        Files.delete(one.resolve("samples.npy"));
        SbibmBenchmark.Cell redone = SbibmBenchmark.run(s, l).get(0);
        assertEquals(first.get(0).c2st(), redone.c2st(), 0.0, "same seed, same samples");
        for (SbibmBenchmark.Cell cell : first) {
            assertTrue(cell.c2st() > 0.4 && cell.c2st() <= 1, cell.toString());
        }
        // a changed study: its cells are refused naming the change, not mixed into the table
        SbibmBenchmark.Spec more = new SbibmBenchmark.Spec(List.of("gaussian_mixture"), List.of(200), List.of(1), 1,
                400, c, SBIBM, dir);
        var e = assertThrows(IllegalArgumentException.class, () -> SbibmBenchmark.run(more, l));
        assertTrue(e.getMessage().contains("samples: 300 -> 400") && e.getMessage().contains("--force"),
                e.getMessage());
        SbibmBenchmark.Spec forced = new SbibmBenchmark.Spec(more.tasks(), more.budgets(), more.observations(), 1,
                400, c, SBIBM, dir, SequentialNpe.Proposal.TRUNCATED, false, true);
        kept.clear();
        SbibmBenchmark.run(forced, l);
        assertEquals(List.of(false), kept, "recomputed");
        Map<String, double[]> sbi = SbibmBenchmark.sbiMedians(SBIBM, "NPE");
        assertEquals(0.6019, sbi.get("gaussian_mixture,10000")[0], 1e-4, "the corrected rerun");
        assertEquals(0.534275, sbi.get("gaussian_linear,10000")[0], 1e-6);
    }

    @Test
    void observationRangesAndBadSettings() {
        assertEquals(List.of(1, 2, 3, 5), SbibmBenchmark.range("1-3,5"));
        assertThrows(IllegalArgumentException.class, () -> SbibmBenchmark.range("a-b"));
        var e = assertThrows(IllegalArgumentException.class, () -> new SbibmBenchmark.Spec(List.of("moons"),
                List.of(1000), List.of(1), 1, 100, null, SBIBM, dir));
        assertTrue(e.getMessage().contains("two_moons"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SbibmBenchmark.Spec(List.of("slcp"),
                List.of(50), List.of(1), 1, 100, null, SBIBM, dir));
        assertTrue(e.getMessage().contains(">= 100"), e.getMessage());
    }

    /** A budget's settings are the file's with the overrides of the largest budget key at or below it. */
    @Test
    void settingsChangeWithTheBudget() throws Exception {
        SbibmSettings s = SbibmSettings.read(new java.io.ByteArrayInputStream(("estimator: {kind: nsf, hidden: 50}\n"
                + "training: {batch_size: 50, test: 0.02}\nbudgets:\n  10000: {training: {batch_size: 200, "
                + "learning_rate: 0.001}}\n  100000: {estimator: {hidden: 64}}\n").getBytes()));
        NpeConfig small = s.forBudget(1000);
        assertEquals(50, small.training().batchSize());
        assertEquals(5e-4, small.training().learningRate()); // sbi's default
        NpeConfig mid = s.forBudget(10000);
        assertEquals(200, mid.training().batchSize());
        assertEquals(1e-3, mid.training().learningRate());
        assertEquals(0.02, mid.training().test(), "fields not overridden are kept");
        assertEquals(50, mid.estimator().hidden());
        NpeConfig big = s.forBudget(200000);
        assertEquals(64, big.estimator().hidden());
        assertEquals("nsf", big.estimator().kind());
        assertEquals(200, big.training().batchSize(), "overrides accumulate");
        try (var in = Files.newInputStream(Path.of("../examples/sbibm-npe.yaml"))) {
            SbibmSettings example = SbibmSettings.read(in);
            for (int n : new int[] {100, 1000, 10000, 100000}) {
                assertEquals("nsf", example.forBudget(n).estimator().kind(), "the example at " + n);
            }
            assertEquals(1000, example.forBudget(100000).training().batchSize(), "the example's batches at 10^5");
            assertEquals(1e-3, example.forBudget(100000).training().learningRate(), "kept from the 10^4 entry");
        }
        var e = assertThrows(IllegalArgumentException.class, () -> SbibmSettings.of(Map.of("budgets",
                Map.of("many", Map.of()))));
        assertTrue(e.getMessage().contains("budgets") && e.getMessage().contains("'many'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SbibmSettings.of(Map.of("budgets",
                Map.of(10000, Map.of("training", Map.of("batch_size", -1))))));
        assertTrue(e.getMessage().startsWith("budgets.10000: ") && e.getMessage().contains("batch_size"),
                e.getMessage());
    }

    /**
     * The cells behind docs/sbibm.md's figures ({@code docs/sbibm-cells}) are of examples/sbibm-npe.yaml's settings:
     * a benchmark with the example's settings keeps every one of them, trains nothing and reads back its score, so a
     * grid resumes from them and a changed example cannot silently stand behind old figures.
     */
    @Test
    void theDocumentedCellsAreTheExamplesAndAreKept() throws Exception {
        Path cells = Path.of("../docs/sbibm-cells");
        SbibmSettings example;
        try (var in = Files.newInputStream(Path.of("../examples/sbibm-npe.yaml"))) {
            example = SbibmSettings.read(in);
        }
        int checked = 0;
        try (var files = Files.walk(cells)) {
            for (Path score : files.filter(f -> f.getFileName().toString().equals("c2st.json")).sorted().toList()) {
                Path cell = cells.relativize(score.getParent()); // TASK/nN/obsK
                Path out = dir.resolve("grid" + checked);
                Files.createDirectories(out.resolve(cell));
                Files.copy(score, out.resolve(cell).resolve("c2st.json"));
                Files.copy(score.resolveSibling("cell.settings.json"), out.resolve(cell).resolve("cell.settings.json"));
                String task = cell.getName(0).toString();
                int budget = Integer.parseInt(cell.getName(1).toString().substring(1));
                int k = Integer.parseInt(cell.getName(2).toString().substring(3));
                SbibmBenchmark.Spec s = new SbibmBenchmark.Spec(List.of(task), List.of(budget), List.of(k), 1, 10000,
                        example, SBIBM, out);
                List<Boolean> kept = new ArrayList<>();
                List<SbibmBenchmark.Cell> got = SbibmBenchmark.run(s, new SbibmBenchmark.Listener() {
                    @Override
                    public void scored(SbibmBenchmark.Cell c, boolean k) {
                        kept.add(k);
                    }

                    @Override
                    public void running(String t, int b, int o) {
                        throw new AssertionError(cell + " would be run again, not kept");
                    }
                });
                assertEquals(List.of(true), kept, cell.toString());
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(score.toFile());
                assertEquals(json.get("c2st").asDouble(), got.get(0).c2st(), 0.0, cell.toString());
                assertTrue(got.get(0).c2st() >= 0.5 - 0.02 && got.get(0).c2st() <= 1, cell.toString());
                checked++;
            }
        }
        assertTrue(checked > 0, "no cells found under " + cells.toAbsolutePath());
    }
}
