package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.cli.CliTest.Run;
import org.neuroinfer.io.Npy;
import org.neuroinfer.recording.EdfFile;
import org.neuroinfer.recording.ExportFile;

/**
 * neuroinfer beside MNE-Python (Debian's python3-mne, see scripts/install-python-checks.sh; skipped without it): the
 * export lines of docs/recordings.md run as written, {@code evoked} gives MNE's evoked response, and MNE reads the
 * BDF and EDF files written here.
 */
class MneCrossCheckTest {
    @TempDir
    Path dir;

    static String python(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "/usr/bin/python3";
        cmd[1] = Path.of("src/test/resources/mne_check.py").toAbsolutePath().toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), text);
        return text.strip();
    }

    @Test
    void theDocumentedExportGivesMnesEvokedResponseAndMneReadsOurFiles() throws Exception {
        boolean mne = new ProcessBuilder("/usr/bin/python3", "-c", "import mne").start().waitFor() == 0;
        Assumptions.assumeTrue(mne, "MNE-Python not installed: the cross-check was skipped");
        String doc = Files.readString(Path.of("../docs/recordings.md"));
        String block = doc.substring(doc.indexOf("<!-- mne-export -->"), doc.indexOf("<!-- /mne-export -->"));
        String lines = block.substring(block.indexOf("```python") + 9, block.lastIndexOf("```"));
        Files.writeString(dir.resolve("lines.py"), lines);
        assertEquals("18", python("make", dir.toString(), dir.resolve("lines.py").toString()));
        Path out = dir.resolve("ours.npz");
        Run r = CliTest.run("evoked", dir.resolve("sub-01.npz").toString(), "--sfreq", "512", "--tmin",
                "-0.19921875", "--baseline", "-0.19921875,0", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("averaged 18 epochs"), r.out());
        double[] ours = Npy.loadArchive(out).get("X").data();
        double[] theirs = Npy.load(dir.resolve("mne_evoked.npy")).data();
        assertEquals(theirs.length, ours.length);
        double worst = 0;
        double range = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
            range = Math.max(range, Math.abs(theirs[i]));
        }
        assertTrue(worst < 1e-6 * range, "worst " + worst + " V of " + range + " V");
        var export = ExportFile.read(dir.resolve("sub-01.npz"));
        for (EdfFile.Format f : EdfFile.Format.values()) {
            Path file = dir.resolve("sub-01." + f.name().toLowerCase(java.util.Locale.ROOT));
            EdfFile.write(file, export, f, false);
            String[] seen = python("read", file.toString(), dir.resolve("sub-01.npz").toString()).split(" ");
            assertEquals("512.0", seen[0]);
            assertEquals("Fp1", seen[1]);
            assertEquals("18", seen[2], "MNE finds the events of the trigger channel");
            assertTrue(Double.parseDouble(seen[3]) < (f == EdfFile.Format.BDF ? 1e-11 : 2e-9), f + ": " + seen[3]);
        }
    }
}
