package org.neuroinfer.network.fit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.io.StageStamp;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;

/**
 * The parts of a network study's settings that key its cached stages ({@link StageStamp}): the network with the
 * connectome's values in place of its path (a moved file is the same study), and the target's values.
 */
public final class StudySettings {
    private StudySettings() {
    }

    /** The network's settings, its {@code connectome} path replaced by the checksum of its weights and lengths. */
    public static ObjectNode network(NetworkConfig base, Connectome con) {
        ObjectNode n = (ObjectNode) StageStamp.tree(Map.of("n", base)).get("n");
        n.remove("connectome");
        n.put("connectome_sha256", Checksums.sha256(List.of(con.weights(), con.lengths())));
        return n;
    }

    /** The checksum of a target's FCs and BOLDs, or null without a target. */
    public static String target(FcTarget target) {
        return target == null ? null : Checksums.sha256(target.fcs()) + ":" + Checksums.sha256(target.bolds());
    }
}
