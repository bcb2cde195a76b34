package io.arbor.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies between Arbor's modules point downward only, as docs/architecture.md draws them: the
 * protocol, sql and topo modules depend on no other module of ours, the planner and engine ({@code query})
 * on those three only, the gateway reaches MariaDB only through the tablet, and only the CLI wires
 * everything together. {@code testing} (test support) is every module's, in test scope only, and depends on none.
 */
class ModuleDependenciesTest {
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "protocol", Set.of(),
            "sql", Set.of(),
            "topo", Set.of(),
            "tablet", Set.of("protocol", "sql", "topo"),
            "query", Set.of("protocol", "sql", "topo"),
            "gateway", Set.of("protocol", "sql", "topo", "tablet", "query"),
            "control", Set.of("protocol", "sql", "topo", "tablet", "query"),
            "cli", Set.of("protocol", "sql", "topo", "tablet", "query", "gateway", "control"),
            "it", Set.of("cli"),
            "testing", Set.of());
    private static final Pattern TEST_SUPPORT = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.arbor</groupId>\\s*<artifactId>arbor-testing</artifactId>\\s*<scope>test</scope>\\s*</dependency>");

    @Test
    void everyModuleDependsOnlyOnModulesBelowIt() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Pattern dep = Pattern.compile("<artifactId>arbor-([a-z]+)</artifactId>");
        for (var e : ALLOWED.entrySet()) {
            String pom = Files.readString(root.resolve(e.getKey()).resolve("pom.xml"));
            String deps = pom.substring(pom.indexOf("<dependencies>"));
            if (!e.getKey().equals("testing")) {
                // Leak detection fails a test class only where the module's tests see arbor-testing's LeakCheck.
                assertThat(TEST_SUPPORT.matcher(deps).find()).as("module %s has arbor-testing in test scope", e.getKey()).isTrue();
                deps = TEST_SUPPORT.matcher(deps).replaceAll("");
            }
            Set<String> actual = new TreeSet<>();
            Matcher m = dep.matcher(deps);
            while (m.find()) {
                actual.add(m.group(1));
            }
            assertThat(e.getValue()).as("module %s depends on %s", e.getKey(), actual).containsAll(actual);
        }
    }
}
