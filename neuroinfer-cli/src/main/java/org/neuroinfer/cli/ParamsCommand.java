package org.neuroinfer.cli;

import java.io.PrintWriter;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.param.Parameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints a model's parameters with units, defaults, ranges and priors. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Print a model's parameters: name, unit, default, prior range, prior and meaning.")
final class ParamsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name (" + ModelName.VALID + ").")
    String model;

    @Option(names = "--convention", defaultValue = "deepjr", paramLabel = "NAME",
            description = "Jansen-Rit constants: deepjr (the seed benchmark's, default), classic_mV, textbook.")
    String convention;

    @Override
    public void run() {
        JansenRit m = ModelName.jansenRit(model, convention);
        PrintWriter out = spec.commandLine().getOut();
        var c = m.convention();
        out.printf("%s, convention %s: v_max = %s, v_0 = %s %s, r = %s; stimulus gains (pyramidal, excitatory, "
                        + "inhibitory) = %s, %s, %s; output y1 - y2 in %s%n", m.name(), c.id(), c.vMax(), c.v0(),
                c.voltageUnit(), c.r(), c.inputGains()[0], c.inputGains()[1], c.inputGains()[2], m.outputUnit());
        out.printf("%-5s %-5s %12s %12s %12s  %-16s %s%n", "name", "unit", "default", "lower", "upper", "prior",
                "meaning");
        for (Parameter p : m.parameterSpace().parameters()) {
            out.printf("%-5s %-5s %12s %12s %12s  %-16s %s%n", p.name(), p.unit(), fmt(p.defaultValue()),
                    fmt(p.lower()), fmt(p.upper()), p.prior().name(), p.description());
        }
        out.flush();
    }

    static String fmt(double v) {
        return String.format("%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }
}
