package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The statements of Vitess's online DDL that a session sends as SQL, and the schema changes a managed
 * {@code @@ddl_strategy} turns into migrations. {@link #of} reads a one-statement text; null when it is none of
 * these (or does not read cleanly: then it goes to the server, whose error says what is wrong).
 */
public sealed interface MigrationStatement {
    /** {@code SHOW VITESS_MIGRATIONS [LIKE 'uuid|context|status']}: {@code like} null for all. */
    record Show(String like) implements MigrationStatement {}

    /** What {@code ALTER VITESS_MIGRATION} asks for. */
    enum Action { COMPLETE, CANCEL, RETRY, CLEANUP, FORCE_CUTOVER, THROTTLE, UNTHROTTLE, LAUNCH }

    /**
     * {@code ALTER VITESS_MIGRATION 'uuid' action} or {@code ALTER VITESS_MIGRATION action ALL}.
     *
     * @param uuid   the migration, or null for ALL
     * @param expire THROTTLE's {@code EXPIRE '1h'}, or null
     * @param ratio  THROTTLE's {@code RATIO 0.5} (1 when not given: throttled fully)
     */
    record Alter(String uuid, Action action, String expire, double ratio) implements MigrationStatement {}

    /** {@code REVERT VITESS_MIGRATION 'uuid'}. */
    record Revert(String uuid) implements MigrationStatement {}

    /** The kind of a schema change a managed strategy schedules. */
    enum ChangeKind { CREATE_TABLE, ALTER_TABLE, DROP_TABLE, CREATE_VIEW, ALTER_VIEW, DROP_VIEW }

    /**
     * A schema change under a managed strategy.
     *
     * @param kind      what it is
     * @param schema    the schema it names, or null for the session's
     * @param names     the table or view it changes (DROP may name several), unquoted
     * @param ifExists  DROP ... IF EXISTS (or CREATE ... IF NOT EXISTS)
     * @param statement the whole statement as sent
     */
    record SchemaChange(ChangeKind kind, String schema, List<String> names, boolean ifExists, String statement)
            implements MigrationStatement {
        /** Copies. */
        public SchemaChange {
            names = List.copyOf(names);
        }
    }

    /** Reads a one-statement text (any kind: {@code REVERT} and {@code ALTER VITESS_MIGRATION} are OTHER). */
    static MigrationStatement of(CharSequence sql, LexMode mode) {
        LocalStatementReader r = new LocalStatementReader(sql, mode);
        if (r.word("SHOW")) {
            r.next();
            if (!r.word("VITESS_MIGRATIONS")) {
                return null;
            }
            r.next();
            String like = null;
            if (r.word("LIKE")) {
                r.next();
                like = string(r);
                if (like == null) {
                    return null;
                }
                r.next();
            }
            return r.atEnd() ? new Show(like) : null;
        }
        if (r.word("REVERT")) {
            r.next();
            if (!r.word("VITESS_MIGRATION")) {
                return null;
            }
            r.next();
            String uuid = string(r);
            if (uuid == null) {
                return null;
            }
            r.next();
            return r.atEnd() ? new Revert(uuid) : null;
        }
        if (r.word("ALTER")) {
            int mark = r.lexer.start();
            r.next();
            if (r.word("VITESS_MIGRATION")) {
                return alterMigration(r);
            }
            return schemaChange(new LocalStatementReader(sql, mode), sql, mark);
        }
        if (r.word("CREATE") || r.word("DROP")) {
            return schemaChange(r, sql, r.lexer.start());
        }
        return null;
    }

    private static MigrationStatement alterMigration(LocalStatementReader r) {
        r.next();
        String uuid = string(r);
        if (uuid != null) {
            r.next();
        }
        Action action = action(r.upper());
        if (action == null) {
            return null;
        }
        r.next();
        if (uuid == null) {
            if (!r.word("ALL") || (action != Action.CANCEL && action != Action.COMPLETE && action != Action.THROTTLE
                    && action != Action.UNTHROTTLE && action != Action.LAUNCH)) {
                return null;
            }
            r.next();
        }
        String expire = null;
        double ratio = 1;
        while (action == Action.THROTTLE && (r.word("EXPIRE") || r.word("RATIO"))) {
            if (r.word("EXPIRE")) {
                r.next();
                expire = string(r);
                if (expire == null) {
                    return null;
                }
            } else {
                r.next();
                if (r.type != TokenType.NUMBER) {
                    return null;
                }
                ratio = Double.parseDouble(r.lexer.text());
            }
            r.next();
        }
        return r.atEnd() ? new Alter(uuid, action, expire, ratio) : null;
    }

    private static Action action(String word) {
        if (word == null) {
            return null;
        }
        try {
            return Action.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** CREATE / ALTER / DROP of a table or view; {@code r} stands on the first word. */
    private static MigrationStatement schemaChange(LocalStatementReader r, CharSequence sql, int from) {
        String verb = r.upper();
        r.next();
        boolean orReplace = false;
        if (verb.equals("CREATE") && r.word("OR")) {
            r.next();
            if (!r.word("REPLACE")) {
                return null;
            }
            orReplace = true;
            r.next();
        }
        if (verb.equals("ALTER")) {
            while (r.word("ONLINE") || r.word("IGNORE")) {
                r.next();
            }
        }
        // Views may carry ALGORITHM = x, DEFINER = y, SQL SECURITY z before VIEW.
        boolean view = false;
        for (int guard = 0; guard < 12 && !r.word("TABLE") && !r.word("VIEW"); guard++) {
            if (r.word("TEMPORARY")) {
                return null; // a session's own table: no migration
            }
            if (!(r.word("ALGORITHM") || r.word("DEFINER") || r.word("SQL") || r.word("SECURITY") || r.word("INVOKER")
                    || r.word("MERGE") || r.word("UNDEFINED") || r.word("TEMPTABLE") || r.type == TokenType.OPERATOR
                    || r.type == TokenType.IDENTIFIER || r.type == TokenType.QUOTED_IDENTIFIER || r.type == TokenType.STRING
                    || r.type == TokenType.VARIABLE)) {
                return null;
            }
            r.next();
        }
        if (r.word("VIEW")) {
            view = true;
        } else if (!r.word("TABLE")) {
            return null;
        } else if (orReplace) {
            return null; // CREATE OR REPLACE TABLE: run as sent
        }
        r.next();
        boolean ifExists = false;
        if (r.word("IF")) {
            r.next();
            if (r.word("NOT")) {
                r.next();
            }
            if (!r.word("EXISTS")) {
                return null;
            }
            ifExists = true;
            r.next();
        }
        String schema = null;
        List<String> names = new ArrayList<>();
        while (true) {
            String first = r.name();
            if (first == null) {
                return null;
            }
            String name = first;
            String s = null;
            if (r.next() == TokenType.DOT) {
                r.next();
                name = r.name();
                if (name == null) {
                    return null;
                }
                s = first;
                r.next();
            }
            if (schema != null && s != null && !schema.equalsIgnoreCase(s)) {
                return null;
            }
            if (s != null) {
                schema = s;
            }
            names.add(name);
            if (!verb.equals("DROP") || r.type != TokenType.COMMA) {
                break;
            }
            r.next();
        }
        ChangeKind kind = switch (verb) {
            case "CREATE" -> view ? ChangeKind.CREATE_VIEW : ChangeKind.CREATE_TABLE;
            case "ALTER" -> view ? ChangeKind.ALTER_VIEW : ChangeKind.ALTER_TABLE;
            default -> view ? ChangeKind.DROP_VIEW : ChangeKind.DROP_TABLE;
        };
        if (kind == ChangeKind.DROP_TABLE || kind == ChangeKind.DROP_VIEW) {
            if (r.word("RESTRICT") || r.word("CASCADE")) {
                r.next();
            }
            if (!r.atEnd()) {
                return null;
            }
        }
        String statement = sql.subSequence(from, sql.length()).toString().trim();
        while (statement.endsWith(";")) {
            statement = statement.substring(0, statement.length() - 1).trim();
        }
        return new SchemaChange(kind, schema, names, ifExists, statement);
    }

    private static String string(LocalStatementReader r) {
        if (r.type != TokenType.STRING) {
            return null;
        }
        String t = r.lexer.text();
        if (t.length() < 2) {
            return null;
        }
        char q = t.charAt(0);
        return t.substring(1, t.length() - 1).replace(String.valueOf(q) + q, String.valueOf(q)).replace("\\'", "'");
    }
}
