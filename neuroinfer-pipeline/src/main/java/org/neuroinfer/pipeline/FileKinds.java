package org.neuroinfer.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neuroinfer.io.JsonSchemas;
import org.neuroinfer.dataset.GenerationConfig;
import org.neuroinfer.dataset.SpectraConfig;
import org.neuroinfer.learn.bench.BenchmarkConfig;
import org.neuroinfer.learn.config.TrainingConfig;
import org.neuroinfer.learn.npe.NpeConfig;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.fit.StudyConfig;
import org.neuroinfer.sensitivity.SensitivityConfig;

/**
 * The kinds of YAML file the program reads, each with the record it is read into (whose components are its keys)
 * and the section that tells it apart, and their JSON Schemas generated from those records.
 */
public final class FileKinds {
    private FileKinds() {
    }

    /**
     * One kind of file.
     *
     * @param name    the kind's name ({@code ./neuroinfer schema NAME})
     * @param type    the record the file is read into
     * @param marker  a top-level key only this kind has (null: the kind of a file no marker claims)
     * @param about   what the file is for and which command reads it
     */
    public record Kind(String name, Class<?> type, String marker, String about) {
        /** The kind's JSON Schema. */
        public ObjectNode schema() {
            return JsonSchemas.of(type, "neuroinfer " + name + " file", about);
        }
    }

    /** Every kind, in the order the commands are met. */
    public static final List<Kind> ALL = List.of(
            new Kind("experiment", GenerationConfig.class, null, "A Jansen-Rit EEG data set: model, prior, "
                    + "integration, EEG measurement and noise conditions (generate, snpe --simulator)."),
            new Kind("benchmark", BenchmarkConfig.class, "generate", "The Jansen-Rit benchmark: its data set, "
                    + "sensitivity study and models (benchmark)."),
            new Kind("sensitivity", SensitivityConfig.class, "analysis", "A sensitivity study of the Jansen-Rit ERP "
                    + "(sensitivity)."),
            new Kind("training", TrainingConfig.class, "network", "An inverse network and its training (train, "
                    + "evaluate)."),
            new Kind("sbibm", SbibmSettings.File.class, "budgets", "A neural posterior estimator whose settings "
                    + "change with the simulation budget (sbibm run, sbibm benchmark)."),
            new Kind("posterior", NpeConfig.class, "estimator", "A neural posterior estimator and its training "
                    + "(train, snpe)."),
            new Kind("network", NetworkConfig.class, "connectome", "A whole-brain network run (network run)."),
            new Kind("study", StudyConfig.class, "explore", "A network study: exploration grid, fit bounds, "
                    + "simulations for npe, target (network explore, network fit, network npe)."),
            new Kind("spectra", SpectraConfig.class, "variant", "A spectral-graph-model training set "
                    + "(generate, sgm generate)."));

    /** The kind named {@code name}. */
    public static Kind named(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown file kind '" + name + "'; valid: "
                        + String.join(", ", ALL.stream().map(Kind::name).toList())));
    }

    /**
     * The kind of a file whose top-level keys are {@code top}: the first kind whose marker it holds, else an
     * experiment. A study holds {@code network:} as a section (not a training's {@code network:} mapping of a
     * kind), told apart by its {@code explore:}, {@code fit:} or {@code target:}.
     */
    public static Kind of(Map<String, ?> top) {
        if (top.containsKey("explore") || top.containsKey("fit") || top.containsKey("target")
                || top.containsKey("simulations") && top.containsKey("network")) {
            return named("study");
        }
        if (top.containsKey("model") && top.containsKey("connectome") && !top.containsKey("variant")) {
            return named("network");
        }
        Optional<Kind> k = ALL.stream().filter(x -> x.marker() != null && !x.name().equals("study")
                && !x.name().equals("network") && top.containsKey(x.marker())).findFirst();
        return k.orElse(named("experiment"));
    }
}
