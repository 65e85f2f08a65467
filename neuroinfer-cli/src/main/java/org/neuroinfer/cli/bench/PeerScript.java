package org.neuroinfer.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Python peer script shipped as a resource and reads the JSON line it prints last. */
public final class PeerScript {
    private PeerScript() {
    }

    /**
     * Runs resource {@code resource} (a path on the class path) with {@code python} and {@code args}.
     *
     * @throws IOException with the script's output if it fails
     */
    public static JsonNode run(String python, String resource, String... args) throws IOException,
            InterruptedException {
        return run(python, resource, java.util.Map.of(), args);
    }

    /** As {@link #run(String, String, String...)} with extra environment variables (e.g. one BLAS thread). */
    public static JsonNode run(String python, String resource, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        Path script = Files.createTempFile(name.replace(".py", ""), ".py");
        try {
            try (InputStream in = PeerScript.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("peer script " + resource + " missing from the class path");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
            cmd.addAll(List.of(args));
            String text = output(cmd, env, "numpy peer " + name + " (" + python + ")");
            String last = text.strip().lines().reduce((a, b) -> b).orElse("");
            return new ObjectMapper().readTree(last);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /**
     * Runs {@code cmd} with extra environment {@code env} and returns what it printed (stdout and stderr).
     *
     * @throws IOException naming {@code what} and quoting the output, if it fails or runs for 3 hours
     */
    public static String output(List<String> cmd, java.util.Map<String, String> env, String what)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.HOURS) || p.exitValue() != 0) {
            throw new IOException(what + " failed: " + text.strip());
        }
        return text;
    }
}
