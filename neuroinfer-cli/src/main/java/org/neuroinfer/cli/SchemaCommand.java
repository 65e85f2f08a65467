package org.neuroinfer.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.pipeline.FileKinds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the JSON Schema of a kind of YAML file, for editors to validate and complete files with. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema of a kind of YAML file (without KIND: list the kinds).",
                "",
                "The schema is generated from what the program reads, so it cannot drift: every key with its type, "
                        + "and no other keys. Save it and point your editor at it, e.g. for VS Code's YAML "
                        + "extension a first line '# yaml-language-server: $schema=experiment.schema.json'."})
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "experiment, benchmark, "
            + "sensitivity, training, sbibm, posterior, network, study or spectra.")
    String kind;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (kind == null) {
            for (FileKinds.Kind k : FileKinds.ALL) {
                o.printf(Locale.ROOT, "%-12s %s%n", k.name(), k.about());
            }
        } else {
            o.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(FileKinds.named(kind).schema()));
        }
        o.flush();
        return 0;
    }
}
