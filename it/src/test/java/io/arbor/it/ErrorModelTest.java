package io.arbor.it;

import io.arbor.protocol.MySqlError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error Arbor raises outside the protocol module goes through {@link MySqlError}: no main source there makes a
 * {@code MySqlException} of its own number and text, nor passes one off as a server's error; and every entry is
 * classified, with Arbor's own 1105s told apart by name and message.
 */
class ErrorModelTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("sql", "topo", "tablet", "query", "gateway", "control", "cli");
    private static final Pattern RAW = Pattern.compile("new\\s+(?:io\\.arbor\\.protocol\\.)?MySqlException\\s*\\(|MySqlException\\s*\\.\\s*fromServer\\s*\\(");

    @Test
    void noMainSourceOutsideProtocolMakesARawMySqlException() throws IOException {
        List<String> raw = new ArrayList<>();
        int files = 0;
        for (String module : MODULES) {
            Path main = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(main)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    String text = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                    Matcher m = RAW.matcher(text);
                    while (m.find()) {
                        raw.add(ROOT.relativize(f) + ": " + m.group());
                    }
                }
            }
        }
        assertThat(files).as("main sources found under %s", ROOT).isGreaterThan(50);
        assertThat(raw).as("raw MySqlExceptions: give each condition a MySqlError entry").isEmpty();
    }

    @Test
    void everyEntryIsClassifiedAndArborsOwn1105sAreDistinct() {
        MySqlError[] all = MySqlError.values();
        assertThat(Arrays.stream(all).map(Enum::name).distinct().count()).isEqualTo(all.length);
        for (MySqlError e : all) {
            assertThat(e.category()).as("category of %s", e).isNotNull();
            assertThat(e.vitessCode()).as("Vitess code of %s", e).isNotNull();
        }
        List<MySqlError> own = Arrays.stream(all).filter(e -> e.code() == 1105).toList();
        assertThat(own).allSatisfy(e -> assertThat(e.template()).as("%s", e).startsWith("Arbor: "));
        assertThat(own.stream().map(MySqlError::template).distinct().count()).as("distinct 1105 messages")
                .isEqualTo(own.size());
    }
}
