package io.arbor.gateway;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import io.arbor.query.vschema.ValidatedVSchema;
import io.arbor.query.vschema.VindexDefinition;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import io.arbor.sql.StatementKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Vitess's {@code SHOW VSCHEMA TABLES} (column {@code Tables}: the vschema's tables and {@code dual}, sorted) and
 * {@code SHOW VSCHEMA VINDEXES} ({@code Keyspace}, {@code Name}, {@code Type}, {@code Params}, {@code Owner}),
 * answered by the gateway from the session's branch's vschema; a branch with none shows no rows.
 */
final class VSchemaStatements {
    /** utf8mb4_general_ci: what the gateway's own text columns are sent in. */
    private static final int UTF8MB4 = 45;

    private VSchemaStatements() {}

    /** The answer when {@code sql} is one of these statements; null when it is not. */
    static CompletableFuture<Executor.Completion> of(Session session, CharSequence sql, LexMode mode, AnalyzedStatement a,
                                                     ValidatedVSchema vschema) {
        if (a.kind() != StatementKind.SHOW || a.statements() != 1) {
            return null;
        }
        List<String> words = words(sql, mode, 4);
        if (words.size() != 3 || !words.get(1).equals("VSCHEMA")) {
            return null;
        }
        Result r;
        switch (words.get(2)) {
            case "TABLES" -> {
                TreeSet<String> tables = new TreeSet<>(List.of("dual"));
                if (vschema != null) {
                    tables.addAll(vschema.vschema().tables().keySet());
                }
                r = table(session, List.of("Tables"), tables.stream().map(List::of).toList());
            }
            case "VINDEXES" -> {
                List<List<String>> rows = new ArrayList<>();
                if (vschema != null) {
                    for (Map.Entry<String, VindexDefinition> e : new TreeMap<>(vschema.vschema().vindexes()).entrySet()) {
                        VindexDefinition d = e.getValue();
                        List<String> params = new ArrayList<>();
                        new TreeMap<>(d.params()).forEach((k, v) -> params.add(k + "=" + v));
                        rows.add(java.util.Arrays.asList(session.settings().database(), e.getKey(), d.type(),
                                String.join("; ", params), d.owner() == null ? "" : d.owner()));
                    }
                }
                r = table(session, List.of("Keyspace", "Name", "Type", "Params", "Owner"), rows);
            }
            default -> {
                return null;
            }
        }
        return CompletableFuture.completedFuture(Executor.Completion.answered(session, r));
    }

    /** The first {@code max} words of the statement, upper case; more than that means it is none of these. */
    private static List<String> words(CharSequence sql, LexMode mode, int max) {
        List<String> out = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql, mode);
        for (TokenType t = lexer.next(); t != TokenType.EOF && out.size() < max; t = lexer.next()) {
            if (t == TokenType.IDENTIFIER) {
                out.add(lexer.text().toUpperCase(java.util.Locale.ROOT));
            } else if (t != TokenType.SEMICOLON) {
                out.add("?");
            }
        }
        return out;
    }

    private static Result table(Session session, List<String> columns, List<List<String>> rows) {
        List<Column> cols = new ArrayList<>(columns.size());
        for (String c : columns) {
            cols.add(Column.of(c, Column.Type.of(FieldType.VAR_STRING, UTF8MB4)));
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
            out.add(Row.ofText(r.toArray(String[]::new)));
        }
        return Result.rows(cols, out, Result.Completion.of(session.statusFlags(), 0));
    }
}
