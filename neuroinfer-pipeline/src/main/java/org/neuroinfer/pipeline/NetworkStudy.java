package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.network.fit.FcTarget;
import org.neuroinfer.network.fit.StudyConfig;

/**
 * A network study file read whole: its settings, the network, the connectome it runs on and the empirical target
 * (FC or BOLD), their region counts checked against each other.
 *
 * @param target the empirical data, or null when the file names none
 */
public record NetworkStudy(StudyConfig config, NetworkConfig base, Connectome connectome, FcTarget target) {
    /**
     * Reads {@code file}.
     *
     * @param needTarget refuse a file without {@code target:}
     */
    public static NetworkStudy read(Path file, boolean needTarget) throws IOException {
        StudyConfig s = StudyConfig.read(file);
        NetworkConfig base = s.networkConfig(file);
        if (needTarget && s.target() == null) {
            throw new IllegalArgumentException("target: missing; a fit needs empirical FC or BOLD (.npy)");
        }
        FcTarget target = s.target() == null ? null : FcTarget.read(Path.of(s.target()));
        Connectome con = ConfiguredRun.connectome(base, null);
        if (target != null && target.regions() != con.size()) {
            throw new IllegalArgumentException("target " + s.target() + " has " + target.regions()
                    + " regions, the network " + con.size());
        }
        return new NetworkStudy(s, base, con, target);
    }
}
