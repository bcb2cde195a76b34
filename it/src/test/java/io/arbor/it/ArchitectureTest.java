package io.arbor.it;

import org.junit.jupiter.api.Test;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture as the code's references show it, not only the poms ({@link ModuleDependenciesTest}): every
 * {@code io.arbor} class a main source file names (imports and fully qualified names alike) must lie in its own
 * module or one below it; no two packages may depend on each other, however indirectly; and only the tablet (and the
 * protocol, where they live) touches backend connections and pools: the gateway reaches mariadbd through the tablet's
 * query service alone.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("protocol", "sql", "topo", "tablet", "query", "gateway", "control", "cli");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "protocol", Set.of(),
            "sql", Set.of(),
            "topo", Set.of(),
            "tablet", Set.of("protocol", "sql", "topo"),
            "query", Set.of("protocol", "sql", "topo"),
            "gateway", Set.of("protocol", "sql", "topo", "tablet", "query"),
            "control", Set.of("protocol", "sql", "topo", "tablet", "query"),
            "cli", Set.of("protocol", "sql", "topo", "tablet", "query", "gateway", "control"));
    /** Classes that are the tablet's own: how it talks to mariadbd. */
    private static final Set<String> BACKEND = Set.of("io.arbor.protocol.BackendConnection", "io.arbor.tablet.PooledConnection",
            "io.arbor.tablet.BackendPool", "io.arbor.tablet.Reservations");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([a-z0-9_.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.arbor(?:\\.[a-z0-9_]+)+)\\.([A-Z]\\w*)");

    /** A main source file: its module, package, and the io.arbor classes it names. */
    private record Source(String module, Path path, String pkg, Set<String> references) {}

    private static List<Source> sources() throws IOException {
        List<Source> all = new ArrayList<>();
        for (String module : MODULES) {
            Path main = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(f);
                    Matcher pm = PACKAGE.matcher(text);
                    String pkg = pm.find() ? pm.group(1) : "";
                    Set<String> refs = new TreeSet<>();
                    Matcher m = REFERENCE.matcher(text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", ""));
                    while (m.find()) {
                        refs.add(m.group(1) + "." + m.group(2));
                    }
                    all.add(new Source(module, f, pkg, refs));
                }
            }
        }
        assertThat(all).as("main sources found under %s", ROOT).hasSizeGreaterThan(50);
        return all;
    }

    /** The module a package of ours belongs to: {@code io.arbor.<module>[.sub]}. */
    private static String moduleOf(String pkg) {
        String rest = pkg.substring("io.arbor.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    @Test
    void everyReferencePointsToTheSameModuleOrBelow() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Source s : sources()) {
            for (String ref : s.references()) {
                String target = moduleOf(ref.substring(0, ref.lastIndexOf('.')));
                if (!target.equals(s.module()) && !ALLOWED.get(s.module()).contains(target)) {
                    wrong.add(ROOT.relativize(s.path()) + " names " + ref);
                }
            }
        }
        assertThat(wrong).as("references against the direction of the modules").isEmpty();
    }

    @Test
    void onlyTheTabletTouchesBackendConnections() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Source s : sources()) {
            if (s.module().equals("tablet") || s.module().equals("protocol")) {
                continue;
            }
            for (String ref : s.references()) {
                if (BACKEND.contains(ref)) {
                    wrong.add(ROOT.relativize(s.path()) + " names " + ref);
                }
            }
        }
        assertThat(wrong).as("the gateway and the rest reach mariadbd only through a tablet's QueryService").isEmpty();
    }

    @Test
    void noPackagesDependOnEachOther() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources()) {
            Set<String> out = graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>());
            for (String ref : s.references()) {
                String target = ref.substring(0, ref.lastIndexOf('.'));
                if (!target.equals(s.pkg())) {
                    out.add(target);
                }
            }
        }
        assertThat(cycles(graph)).as("package cycles").isEmpty();
    }

    /** The strongly connected components of more than one package (Tarjan's algorithm). */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> found = new ArrayList<>();
        int[] next = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, found, next);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<Set<String>> found, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, found, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
