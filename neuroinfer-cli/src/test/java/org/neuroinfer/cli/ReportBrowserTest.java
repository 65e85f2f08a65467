package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.cli.CliTest.Run;

/**
 * The benchmark's report renders in a real headless browser, Debian's Chromium ({@code scripts/install-chromium.sh}):
 * every embedded image decodes and the page is drawn. Skipped, with a printed notice, where Chromium is absent.
 */
class ReportBrowserTest {
    @TempDir
    Path dir;

    static Path chromium() {
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    private String browse(Path chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void theReportRendersWithEveryImage() throws Exception {
        Path chromium = chromium();
        if (chromium == null) {
            System.out.println("NOTICE: ReportBrowserTest skipped: Chromium is not installed "
                    + "(sudo bash scripts/install-chromium.sh)");
        }
        Assumptions.assumeTrue(chromium != null, "Chromium is not installed");
        Path cfg = dir.resolve("bench.yaml");
        Files.writeString(cfg, BenchmarkCliTest.GENERATE + "draws: 20\nmodels:\n" + BenchmarkCliTest.LSTM
                + BenchmarkCliTest.NPE);
        Path out = dir.resolve("out");
        Run r = CliTest.run("benchmark", cfg.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out.resolve("report.html"));
        int images = html.split("<img ").length - 1;

        // the page as the browser built it, after a script counted the images it decoded
        Path probe = out.resolve("probe.html");
        Files.writeString(probe, html.replace("</body>", "<script>addEventListener('load', () => { const ok = "
                + "[...document.images].filter(i => i.complete && i.naturalWidth > 100).length; "
                + "document.body.setAttribute('data-probe', ok + '/' + document.images.length + '/' "
                + "+ document.querySelectorAll('table').length); });</script></body>"));
        String dom = browse(chromium, "--virtual-time-budget=10000", "--dump-dom", probe.toUri().toString());
        Matcher m = Pattern.compile("data-probe=\"(\\d+)/(\\d+)/(\\d+)\"").matcher(dom);
        assertTrue(m.find(), "the probe did not run; DOM starts " + dom.substring(0, Math.min(300, dom.length())));
        assertEquals(images, Integer.parseInt(m.group(2)));
        assertEquals(images, Integer.parseInt(m.group(1)), "images decoded by the browser");
        assertTrue(Integer.parseInt(m.group(3)) >= 5, "tables: " + m.group(3));

        // and drawn: a screenshot of the top of the report holds the heat map's colours (red and blue cells)
        Path shot = dir.resolve("shot.png");
        browse(chromium, "--window-size=1400,1800", "--screenshot=" + shot, out.resolve("report.html").toUri()
                .toString());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1400, img.getWidth());
        long colour = 0;
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int rr = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int b = rgb & 255;
                ink += rr + g + b < 600 ? 1 : 0;
                colour += Math.max(rr, Math.max(g, b)) - Math.min(rr, Math.min(g, b)) > 60 ? 1 : 0;
            }
        }
        long n = (long) (img.getWidth() / 2) * (img.getHeight() / 2);
        assertTrue(ink > n / 100, "the screenshot is nearly blank: " + ink + " of " + n);
        assertTrue(colour > 200, "no heat-map colours in the screenshot: " + colour);
    }
}
