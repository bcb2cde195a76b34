package io.arbor.sql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema diff's golden files, {@code src/test/resources/schema-diff/*.txt}: two schemas as MariaDB 10.11 printed
 * them in, the diff out, so a change of the diff shows as a diff of statements. Run with
 * {@code -Darbor.golden.update=true} to rewrite the expected diffs, then review them.
 *
 * <p>A file is {@code #} comment lines, then {@code -- from}, the {@code SHOW CREATE TABLE} / {@code SHOW CREATE VIEW}
 * texts of schema A, {@code -- to}, those of B, and {@code -- diff}, the expected statements; texts and statements
 * are separated by lines holding only {@code ;}. Every diff is also checked by the in-memory apply.
 */
class SchemaDiffGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/schema-diff");
    private static final boolean UPDATE = Boolean.getBoolean("arbor.golden.update");

    static Stream<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
            assertThat(list).as("golden schema diffs in %s", DIR.toAbsolutePath()).isNotEmpty();
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void diffMatchesTheGoldenFile(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int from = text.indexOf("-- from\n");
        int to = text.indexOf("-- to\n");
        int diff = text.indexOf("-- diff\n");
        assertThat(from).as("sections of %s", file).isGreaterThanOrEqualTo(0).isLessThan(to);
        assertThat(to).isLessThan(diff);
        Schema a = schema(text.substring(from + "-- from\n".length(), to));
        Schema b = schema(text.substring(to + "-- to\n".length(), diff));
        List<String> actual = SchemaDiff.diff(a, b);
        assertThat(SchemaDiff.apply(a, actual)).as("in-memory apply of %s", file).isEqualTo(b);
        String rendered = String.join("\n;\n", actual) + (actual.isEmpty() ? "" : "\n");
        if (UPDATE) {
            Files.writeString(file, text.substring(0, diff) + "-- diff\n" + rendered, StandardCharsets.UTF_8);
            return;
        }
        assertThat(rendered).as("diff of %s", file).isEqualTo(text.substring(diff + "-- diff\n".length()));
    }

    private static Schema schema(String section) {
        List<String> tables = new ArrayList<>();
        List<String> views = new ArrayList<>();
        for (String part : section.split("\n;\n")) {
            String statement = part.strip();
            if (statement.startsWith("CREATE TABLE")) {
                tables.add(statement);
            } else if (!statement.isEmpty()) {
                views.add(statement);
            }
        }
        return Schema.of(tables, views);
    }
}
