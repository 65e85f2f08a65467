package org.neuroinfer.param;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.random.RandomStreams;

class ParameterSpaceTest {
    private final ParameterSpace space = Convention.DEEPJR.parameterSpace();

    @Test
    void seedOrderAndDefaults() {
        assertArrayEquals(new String[] {"A_e", "A_i", "b_e", "b_i", "C", "a_1", "a_2", "a_3", "a_4"}, space.names());
        assertArrayEquals(new double[] {3.25e-3, 22e-3, 100, 50, 135, 1, 0.8, 0.25, 0.25}, space.defaults());
        assertEquals(5, space.get(2).lower(), "the seed codes b_e from 5 s^-1");
        assertEquals(50, Convention.TEXTBOOK.parameterSpace().get(2).lower());
        assertEquals(3.25, Convention.CLASSIC_MV.parameterSpace().get(0).defaultValue());
    }

    @Test
    void unknownNameListsTheValidOnes() {
        var e = assertThrows(ParameterException.class, () -> space.withValues(Map.of("A_x", 1.0), false));
        assertTrue(e.getMessage().contains("A_x") && e.getMessage().contains("A_e, A_i, b_e"), e.getMessage());
    }

    @Test
    void outsideTheRangeNamesTheRange() {
        var e = assertThrows(ParameterException.class, () -> space.withValues(Map.of("b_i", 80.0), false));
        assertTrue(e.getMessage().contains("b_i") && e.getMessage().contains("[25.0, 75.0]"), e.getMessage());
        assertEquals(80.0, space.withValues(Map.of("b_i", 80.0), true)[3]);
    }

    @Test
    void nonFiniteValuesAreRefusedEvenWhenOutsideIsAllowed() {
        assertThrows(ParameterException.class, () -> space.withValues(Map.of("C", Double.NaN), true));
        assertThrows(ParameterException.class, () -> space.withValues(Map.of("C", Double.POSITIVE_INFINITY), true));
    }

    @Test
    void truncatedNormalStaysInsideAndHasTheSeedMoments() {
        ParameterSpace seed = space.withPrior(Prior.SEED_NORMAL);
        int n = 40_000;
        double sum = 0;
        double sq = 0;
        int outside = 0;
        for (int i = 0; i < n; i++) {
            double[] v = space.sample(RandomStreams.stream(1, i));
            for (int p = 0; p < v.length; p++) {
                assertTrue(space.get(p).contains(v[p]));
            }
            double b = seed.sample(RandomStreams.stream(2, i))[3];
            sum += b;
            sq += b * b;
            outside += seed.get(3).contains(b) ? 0 : 1;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        assertEquals(50, mean, 0.25, "seed-normal mean of b_i is (lo+hi)/2");
        assertEquals(12.5, sd, 0.2, "seed-normal sd of b_i is (hi-lo)/4");
        assertEquals(0.0455, outside / (double) n, 0.004, "seed-normal leaves the range in 4.55 % of draws");
    }

    @Test
    void readsTheReferenceFormatAndConvertsVolts(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{\"convention\": \"classic_mV\", \"parameters\": {\"A_e\": {\"value\": 0.004, "
                + "\"unit\": \"V\"}, \"C\": {\"value\": 200, \"unit\": \"1\"}}}");
        ParameterFile pf = ParameterFile.read(f);
        assertEquals("classic_mV", pf.convention().orElseThrow());
        Map<String, Double> v = pf.valuesIn(Convention.CLASSIC_MV.parameterSpace());
        assertEquals(4.0, v.get("A_e"), 1e-12);
        assertEquals(200.0, v.get("C"));
        Files.writeString(f, "{\"b_e\": {\"value\": 0.1, \"unit\": \"ms^-1\"}}");
        var e = assertThrows(ParameterException.class,
                () -> ParameterFile.read(f).valuesIn(Convention.DEEPJR.parameterSpace()));
        assertTrue(e.getMessage().contains("ms^-1"), e.getMessage());
        Files.writeString(f, "{\"b_e\": ");
        var io = assertThrows(java.io.IOException.class, () -> ParameterFile.read(f));
        assertTrue(io.getMessage().contains("p.json"), io.getMessage());
    }
}
