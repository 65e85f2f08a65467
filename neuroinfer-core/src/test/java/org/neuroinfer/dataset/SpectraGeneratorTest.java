package org.neuroinfer.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.model.sgm.SgmConnectome;
import org.neuroinfer.model.sgm.SgmParameters;
import org.neuroinfer.model.sgm.SgmVariant;
import org.neuroinfer.model.sgm.SpectralGraphModel;
import org.neuroinfer.model.Connectome;

/** SGM spectra data sets: content, strata, noise, thread-count independence and resume to the same bytes. */
class SpectraGeneratorTest {
    @TempDir
    Path dir;

    /** The first 12 prepared regions of the HCP connectome, as a prepared connectome folder. */
    Path smallConnectome() throws Exception {
        Connectome c = SgmConnectome.read(SharedFolder.require().resolve("reference/sgm/connectome/raw")).first(12);
        Path d = dir.resolve("c12");
        Files.createDirectories(d);
        Npy.save(d.resolve("weights.npy"), NpyArray.of(c.weights()), false);
        Npy.save(d.resolve("lengths.npy"), NpyArray.of(c.lengths()), false);
        return d;
    }

    SpectraConfig config(Path connectome) {
        return new SpectraConfig("sgm", "sgm2020", connectome.toString(), null, null, 10, null, null, null, 5, 3,
                List.of(0.0, 2.0), 2, 7L).withDefaults();
    }

    static List<String> sums(Path d) throws Exception {
        List<String> out = new ArrayList<>();
        try (var files = Files.walk(d)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.add(d.relativize(f) + " " + Checksums.sha256(f));
            }
        }
        return out;
    }

    @Test
    void contentStrataAndNoise() throws Exception {
        SpectraConfig c = config(smallConnectome());
        SpectraGenerator g = new SpectraGenerator(c, 2);
        assertEquals(30, g.total());
        assertEquals(6, g.plan().size()); // 3 blocks of strata (2, 2, 1) x 2 conditions
        Path out = dir.resolve("d");
        assertEquals(6, g.generate(out, false, n -> { }, -1));
        DatasetReader r = new DatasetReader(out);
        assertTrue(r.manifest().spectra());
        assertEquals(List.of("count", "12", "10"), r.manifest().xShape());
        SpectralGraphModel model = new SpectralGraphModel(Connectome.read(Path.of(c.connectome())), c.frequencies(),
                SgmVariant.SGM2020);
        int clean = 0;
        int noisy = 1;
        DatasetReader.ShardData s0 = r.read(clean);
        DatasetReader.ShardData s1 = r.read(noisy);
        assertEquals(2.0, s1.shard().noiseFactor(), 0);
        double sum2 = 0;
        int n = 0;
        for (int i = 0; i < s0.y().length; i++) {
            double[] y = s0.y()[i];
            assertArrayEquals(y, s1.y()[i], 0, "conditions share the parameters");
            assertEquals(4.0, y[4], 0, "gei fixed");
            assertEquals(1.0, y[5], 0, "gii fixed");
            int stratum = (int) (s0.index()[i] / 3);
            assertTrue(y[3] >= 5 + 15.0 * stratum / 5 && y[3] <= 5 + 15.0 * (stratum + 1) / 5, "speed in its stratum");
            assertTrue(y[0] >= 0.005 && y[0] <= 0.020 && y[2] >= 0.1 && y[2] <= 1.0);
            double[][] db = SpectralGraphModel.decibels(model.magnitude(SgmParameters.of(y)));
            for (int reg = 0; reg < 12; reg++) {
                for (int f = 0; f < 10; f++) {
                    assertEquals(db[reg][f], s0.x()[i][reg][f], 1e-5 * Math.max(1, Math.abs(db[reg][f])));
                    double d = s1.x()[i][reg][f] - s0.x()[i][reg][f];
                    sum2 += d * d;
                    n++;
                }
            }
        }
        double sd = Math.sqrt(sum2 / n);
        assertTrue(Math.abs(sd - 2.0) < 0.25, "noise SD " + sd + " dB for 2 dB");
        assertTrue(DatasetInspector.inspect(out).contains("SGM spectra"));
        assertEquals(5, c.parameterSpace().size(), "five drawn parameters");
    }

    @Test
    void sameBytesOnAnyThreadCountAndAfterAKill() throws Exception {
        SpectraConfig c = config(smallConnectome());
        Path one = dir.resolve("one");
        new SpectraGenerator(c, 1).generate(one, false, n -> { }, -1);
        Path two = dir.resolve("two");
        SpectraGenerator g = new SpectraGenerator(c, 2);
        assertEquals(2, g.generate(two, false, n -> { }, 1)); // killed after the first block (2 conditions)
        assertTrue(!Manifest.read(two).complete());
        assertEquals(4, g.generate(two, false, n -> { }, -1));
        assertEquals(sums(one), sums(two));
        // another configuration in the same folder is refused without --force
        SpectraConfig other = new SpectraConfig("sgm", "sgm2020", c.connectome(), null, null, 10, null, null, null,
                5, 3, List.of(0.0, 2.0), 2, 8L).withDefaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpectraGenerator(other, 2).generate(two, false, n -> { }, -1));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
    }

    @Test
    void badConfigurationsNameTheKey() throws Exception {
        Path conn = smallConnectome();
        Map<String, String> bad = Map.of(
                "parameters:\n  tau_e: [0.02, 0.01]\n", "parameters.tau_e",
                "parameters:\n  tau_x: [0.01]\n", "tau_x",
                "noise_db: [-1]\n", "noise_db",
                "output: power\n", "output",
                "speeds: 0\n", "speeds",
                "variant: sgm2019\n", "sgm2019");
        for (var e : bad.entrySet()) {
            Path f = dir.resolve("bad.yaml");
            Files.writeString(f, "connectome: " + conn + "\n" + e.getKey());
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> SpectraConfig.read(f));
            assertTrue(x.getMessage().contains(e.getValue()), x.getMessage());
        }
    }
}
