package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of every module depend on each other without a cycle, so each can be read, tested and moved on its
 * own: a reference to another package's class (import or qualified name, comments left out) is an edge, and the
 * graph must have no strongly connected component of more than one package.
 */
class PackageCyclesTest {
    static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    static final Pattern REFERENCE = Pattern.compile("org\\.neuroinfer\\.([a-z][\\w.]*?)\\.([A-Z]\\w*)");
    static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** package → packages it refers to → the files and classes that make each edge. */
    static Map<String, Map<String, Set<String>>> graph() throws IOException {
        Map<String, Map<String, Set<String>>> g = new TreeMap<>();
        for (String module : new String[] {"../neuroinfer-core", "../neuroinfer-learn", "."}) {
            try (Stream<Path> files = Files.walk(Path.of(module, "src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = COMMENTS.matcher(Files.readString(f)).replaceAll("");
                    Matcher pm = PACKAGE.matcher(text);
                    if (!pm.find()) {
                        continue;
                    }
                    String pkg = pm.group(1);
                    Map<String, Set<String>> out = g.computeIfAbsent(pkg, k -> new TreeMap<>());
                    Matcher m = REFERENCE.matcher(text);
                    while (m.find()) {
                        String to = "org.neuroinfer." + m.group(1);
                        if (!to.equals(pkg)) {
                            out.computeIfAbsent(to, k -> new TreeSet<>()).add(f.getFileName() + " -> " + m.group(2));
                        }
                    }
                }
            }
        }
        return g;
    }

    /** The strongly connected components of more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Map<String, Set<String>>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : g.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, g, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void visit(String v, Map<String, Map<String, Set<String>>> g, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                              List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : g.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                visit(w, g, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> comp = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                comp.add(w);
            } while (!w.equals(v));
            if (comp.size() > 1) {
                out.add(comp);
            }
        }
    }

    @Test
    void thePackagesFormNoCycle() throws IOException {
        Map<String, Map<String, Set<String>>> g = graph();
        assertTrue(g.size() > 25, g.size() + " packages found");
        StringBuilder why = new StringBuilder();
        for (Set<String> comp : cycles(g)) {
            why.append("\ncycle ").append(comp);
            for (String a : comp) {
                for (String b : comp) {
                    Set<String> by = g.getOrDefault(a, Map.of()).get(b);
                    if (by != null) {
                        why.append("\n  ").append(a).append(" -> ").append(b).append(": ").append(by);
                    }
                }
            }
        }
        assertTrue(why.length() == 0, why.toString());
    }

    @Test
    void aCycleIsFound() {
        Map<String, Map<String, Set<String>>> g = new TreeMap<>();
        g.put("a", Map.of("b", Set.of("A -> B")));
        g.put("b", Map.of("c", Set.of("B -> C")));
        g.put("c", Map.of("a", Set.of("C -> A")));
        g.put("d", Map.of("a", Set.of("D -> A")));
        List<Set<String>> c = cycles(g);
        assertTrue(c.size() == 1 && c.get(0).equals(Set.of("a", "b", "c")), c.toString());
    }
}
