package org.neuroinfer.network;

import java.util.List;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.model.ParameterMap;
import org.neuroinfer.model.fhn.FitzHughNagumo;
import org.neuroinfer.model.hopf.Hopf;
import org.neuroinfer.model.jansenrit.JansenRitNode;
import org.neuroinfer.model.wilsoncowan.WilsonCowan;

/** The network node models by neurolib's names. */
public final class NodeModels {
    /** The names {@link #of} knows. */
    public static final List<String> NAMES = List.of("hopf", "fhn", "wc", "jansen-rit");

    private NodeModels() {
    }

    /** The model {@code name} with parameters from {@code p} (neurolib's names and defaults). */
    public static NodeModel of(String name, ParameterMap p) {
        return switch (name) {
            case "hopf" -> new Hopf(p);
            case "fhn" -> new FitzHughNagumo(p);
            case "wc" -> new WilsonCowan(p);
            case "jansen-rit", "jr" -> new JansenRitNode(p);
            default -> throw new IllegalArgumentException("model '" + name + "'; valid: " + String.join(", ", NAMES));
        };
    }
}
