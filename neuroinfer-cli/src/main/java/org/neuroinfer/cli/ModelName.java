package org.neuroinfer.cli;

import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;

/** The models the command line knows by name. */
final class ModelName {
    static final String VALID = "jansen-rit";
    /** Every model {@code params} knows. */
    static final String ALL = "jansen-rit, sgm, or a network node: hopf, fhn, wc";

    private ModelName() {
    }

    /** The Jansen-Rit model in {@code convention}, after checking that {@code name} names it. */
    static JansenRit jansenRit(String name, String convention) {
        if (!"jansen-rit".equals(name) && !"jr".equals(name)) {
            throw new IllegalArgumentException("unknown model '" + name + "'; valid: " + VALID);
        }
        return new JansenRit(Convention.of(convention));
    }
}
