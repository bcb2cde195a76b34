package io.arbor.query.planner;

import io.arbor.protocol.MySqlException;
import io.arbor.query.engine.Keyspace;
import io.arbor.sql.LexMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner's golden files, {@code src/test/resources/plans/*.txt}: statement in, plan ({@code Plan.describe()})
 * out, so a planner change shows as a diff of plans. Run with {@code -Darbor.golden.update=true} to rewrite the
 * expected plans from the planner, then review the diff.
 *
 * <p>A file is cases separated by blank lines. {@code #} lines are comments; a line {@code keyspace NAME
 * unsharded|sharded} sets the keyspace of the cases after it (default {@code main}, unsharded). A case is its
 * statement's lines, a line {@code ----}, then the plan's JSON or {@code ERROR code (state): message}. A sharded
 * keyspace has the tables of {@link #COMMERCE}.
 */
class PlanGoldenTest {
    /**
     * The tables of every sharded keyspace of the golden files: Vitess's commerce example (customer and corder by the
     * customer's id, product a reference table).
     */
    private static final io.arbor.query.vindex.HashVindex HASH = new io.arbor.query.vindex.HashVindex("hash");

    static final ShardedTables COMMERCE = new ShardedTables() {
        @Override
        public java.util.Optional<Table> table(String name) {
            return java.util.Optional.ofNullable(switch (name) {
                case "customer" -> ShardedTables.Table.sharded("customer", "id", HASH);
                case "corder" -> ShardedTables.Table.sharded("corder", "customer_id", HASH);
                case "event" -> ShardedTables.Table.sharded("event", "customer_id", HASH);
                case "product" -> ShardedTables.Table.reference("product");
                default -> null;
            }).or(() -> Writes.TABLES.table(name));
        }

        @Override
        public List<String> columns(String table) {
            return Writes.TABLES.columns(table);
        }
    };

    /**
     * The tables of {@code sharded-writes.txt}, from a vschema: {@code account} (ids from the pinned sequence
     * {@code account_seq}, its {@code email} an owned consistent_lookup_unique in {@code account_email_lkp}) and
     * {@code invoice} (by {@code account_id}, ids from {@code invoice_seq}); {@code tag} (by {@code id}) and
     * {@code ledger} (by {@code account_id}, ids from {@code invoice_seq}) with authoritative {@code columns}.
     */
    private static final class Writes {
        static final ShardedTables TABLES = ShardedTables.of(io.arbor.query.vschema.VSchemaValidator.validate(
                io.arbor.query.vschema.VSchema.parse("""
                        {"sharded": true,
                         "vindexes": {"hash": {"type": "hash"}, "md5": {"type": "binary_md5"},
                           "account_email": {"type": "consistent_lookup_unique", "owner": "account",
                             "params": {"table": "account_email_lkp", "from": "email", "to": "keyspace_id"}}},
                         "tables": {
                           "account": {"column_vindexes": [{"column": "id", "name": "hash"},
                                                           {"column": "email", "name": "account_email"}],
                                       "auto_increment": {"column": "id", "sequence": "account_seq"}},
                           "account_email_lkp": {"column_vindexes": [{"column": "email", "name": "md5"}]},
                           "account_seq": {"type": "sequence", "pinned": "00"},
                           "invoice": {"column_vindexes": [{"column": "account_id", "name": "hash"}],
                                       "auto_increment": {"column": "id", "sequence": "invoice_seq"}},
                           "invoice_seq": {"type": "sequence", "pinned": "00"},
                           "tag": {"column_vindexes": [{"column": "id", "name": "hash"}],
                                   "columns": [{"name": "id", "type": "INT64"}, {"name": "label"}],
                                   "column_list_authoritative": true},
                           "ledger": {"column_vindexes": [{"column": "account_id", "name": "hash"}],
                                      "auto_increment": {"column": "id", "sequence": "invoice_seq"},
                                      "columns": [{"name": "id"}, {"name": "account_id"}, {"name": "memo"}],
                                      "column_list_authoritative": true}}}""")));
    }

    private static final Path DIR = Path.of("src/test/resources/plans");
    private static final boolean UPDATE = Boolean.getBoolean("arbor.golden.update");
    private static final String SEPARATOR = "----";

    /** One case of a file. */
    record Case(Path file, int line, Keyspace keyspace, String statement, String expected) {}

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                List<Case> cases = read(file);
                if (UPDATE) {
                    rewrite(file);
                    cases = read(file);
                }
                for (Case c : cases) {
                    all.add(Arguments.of(file.getFileName() + ":" + c.line(), c));
                }
            }
        }
        assertThat(all).as("golden plan cases in %s", DIR.toAbsolutePath()).isNotEmpty();
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planMatchesTheGoldenFile(String name, Case c) {
        assertThat(plan(c.keyspace(), c.statement())).as("%s: %s", name, c.statement()).isEqualTo(c.expected());
    }

    private static String plan(Keyspace keyspace, String statement) {
        try {
            return Planner.plan(statement, LexMode.DEFAULT, keyspace, COMMERCE).describe();
        } catch (MySqlException e) {
            return e.toString();
        }
    }

    private static List<Case> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        Keyspace keyspace = Keyspace.unsharded("main");
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                i++;
            } else if (line.startsWith("keyspace ")) {
                keyspace = keyspace(line);
                i++;
            } else {
                int start = i;
                StringBuilder statement = new StringBuilder();
                while (i < lines.size() && !lines.get(i).equals(SEPARATOR)) {
                    statement.append(statement.isEmpty() ? "" : "\n").append(lines.get(i++));
                }
                i++; // the separator
                StringBuilder expected = new StringBuilder();
                while (i < lines.size() && !lines.get(i).isBlank()) {
                    expected.append(expected.isEmpty() ? "" : "\n").append(lines.get(i++));
                }
                cases.add(new Case(file, start + 1, keyspace, statement.toString(), expected.toString()));
            }
        }
        return cases;
    }

    /** Replaces every case's expected side by what the planner says now; comments and statements stay. */
    private static void rewrite(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        Keyspace keyspace = Keyspace.unsharded("main");
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#") || line.startsWith("keyspace ")) {
                keyspace = line.startsWith("keyspace ") ? keyspace(line) : keyspace;
                out.add(line);
                i++;
                continue;
            }
            StringBuilder statement = new StringBuilder();
            while (i < lines.size() && !lines.get(i).equals(SEPARATOR)) {
                out.add(lines.get(i));
                statement.append(statement.isEmpty() ? "" : "\n").append(lines.get(i++));
            }
            out.add(SEPARATOR);
            i++;
            while (i < lines.size() && !lines.get(i).isBlank()) {
                i++; // the old plan
            }
            out.addAll(plan(keyspace, statement.toString()).lines().toList());
        }
        String text = String.join("\n", out) + "\n";
        if (!text.equals(Files.readString(file, StandardCharsets.UTF_8))) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.out.println("rewrote " + file);
        }
    }

    private static Keyspace keyspace(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 3 || !(parts[2].equals("sharded") || parts[2].equals("unsharded"))) {
            throw new IllegalArgumentException("expected 'keyspace NAME unsharded|sharded': " + line);
        }
        return new Keyspace(parts[1], parts[2].equals("sharded"));
    }
}
