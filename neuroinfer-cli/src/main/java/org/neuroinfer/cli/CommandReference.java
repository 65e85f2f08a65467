package org.neuroinfer.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command reference ({@code docs/command-reference.md}) written from the command line's own model — the
 * picocli annotations every command is parsed with — so it cannot drift from the program: a test compares the
 * checked-in page with this text, and {@code ./neuroinfer reference} prints it.
 */
final class CommandReference {
    private CommandReference() {
    }

    /** The whole reference, one section per runnable command. */
    static String markdown(CommandLine root) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Command reference\n\n")
                .append("[Back to the README](../README.md) · generated from the program's option definitions by "
                        + "`./neuroinfer reference --out docs/command-reference.md`; a test fails when this "
                        + "page and the program differ.\n\n")
                .append("Exit codes: 0 success, 2 usage error (a bad option, value or file), 1 failure while "
                        + "running; `inspect` adds 3 (incomplete) and 4 (corrupt), `bench-infer --peer` 5 (the peer "
                        + "disagrees beyond --tolerance).\n\n");
        StringBuilder toc = new StringBuilder();
        StringBuilder body = new StringBuilder();
        walk(root, "", toc, body);
        return sb.append(toc).append('\n').append(body).toString();
    }

    private static void walk(CommandLine cl, String prefix, StringBuilder toc, StringBuilder body) {
        for (var e : cl.getSubcommands().entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            if (spec.userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            String words = (prefix + " " + e.getKey()).trim();
            boolean runnable = spec.userObject() instanceof Runnable
                    || spec.userObject() instanceof java.util.concurrent.Callable;
            if (runnable) {
                toc.append("- [`").append(words).append("`](#").append(words.replace(' ', '-')).append(")\n");
                section(words, spec, body);
            }
            walk(e.getValue(), words, toc, body);
        }
    }

    private static void section(String words, CommandSpec spec, StringBuilder sb) {
        sb.append("## ").append(words).append("\n\n");
        String[] description = spec.usageMessage().description();
        for (String line : description) {
            sb.append(line.isEmpty() ? "" : text(line)).append('\n');
        }
        sb.append("\n```\n").append(synopsis(words, spec)).append("\n```\n\n");
        List<PositionalParamSpec> positionals = spec.positionalParameters().stream()
                .filter(p -> !p.hidden()).toList();
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()
                && !o.longestName().equals("--help") && !o.longestName().equals("--version")).toList();
        if (positionals.isEmpty() && options.isEmpty()) {
            return;
        }
        sb.append("| argument | meaning |\n|---|---|\n");
        for (PositionalParamSpec p : positionals) {
            sb.append("| `").append(p.paramLabel()).append("` | ").append(cell(p.description(), p))
                    .append(" |\n");
        }
        for (OptionSpec o : options) {
            String label = String.join(", ", o.names()) + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
            sb.append("| `").append(label).append("` | ").append(o.required() ? "**required.** " : "")
                    .append(cell(o.description(), o)).append(" |\n");
        }
        sb.append('\n');
    }

    private static String synopsis(String words, CommandSpec spec) {
        StringBuilder s = new StringBuilder("neuroinfer ").append(words);
        for (OptionSpec o : spec.options()) {
            if (o.required()) {
                s.append(' ').append(o.longestName()).append(' ').append(o.paramLabel());
            }
        }
        if (spec.options().stream().anyMatch(o -> !o.required())) {
            s.append(" [OPTIONS]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            boolean optional = p.arity().min() == 0;
            s.append(' ').append(optional ? "[" : "").append(p.paramLabel()).append(optional ? "]" : "");
        }
        return s.toString();
    }

    private static String cell(String[] description, CommandLine.Model.ArgSpec arg) {
        String d = String.join(" ", description);
        String def = arg.defaultValueString();
        d = d.replace("${DEFAULT-VALUE}", def == null ? "" : def);
        return text(d).replace("|", "\\|");
    }

    /** Description text as Markdown: picocli's markup removed, format specifiers resolved. */
    private static String text(String s) {
        String plain = Help.Ansi.OFF.string(s);
        try {
            plain = String.format(Locale.ROOT, plain);
        } catch (java.util.IllegalFormatException e) {
            // a literal % in the text
        }
        return plain.strip();
    }
}
