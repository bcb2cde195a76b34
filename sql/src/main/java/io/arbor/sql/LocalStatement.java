package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A one-statement text the gateway answers (or runs some other way) because sending it as it is to the tenant's
 * account would answer wrongly: that account may not touch stored programs or flush, and a pooled connection must
 * not carry a characteristic meant for one session's next transaction. {@link #of} says which one a text is, or
 * null for the usual case.
 */
public sealed interface LocalStatement {
    /**
     * {@code DROP PROCEDURE | FUNCTION | TRIGGER | EVENT [IF EXISTS] [schema.]name}: Arbor lets no tenant create
     * one (see the guard rails), so none exists; the answer is the server's own for a missing one (an error, or a
     * note with IF EXISTS), which idempotent migration scripts and mysqldump output rely on.
     *
     * @param type     PROCEDURE, FUNCTION, TRIGGER or EVENT
     * @param ifExists it said IF EXISTS
     * @param schema   the schema it named, or null
     * @param name     the object's name, unquoted
     */
    record DropMissing(String type, boolean ifExists, String schema, String name) implements LocalStatement {
        /** The error the server gives for it (code, SQLSTATE, message), with the session's {@code database}. */
        public Diagnostics.Condition condition(String database) {
            String qualified = (schema != null ? schema : database == null ? "" : database) + "." + name;
            return switch (type) {
                case "TRIGGER" -> Diagnostics.Condition.error(1360, "Trigger does not exist");
                case "EVENT" -> Diagnostics.Condition.error(1539, "Unknown event '" + name + "'");
                default -> Diagnostics.Condition.error(1305, type + " " + qualified + " does not exist");
            };
        }

        /** Its SQLSTATE. */
        public String sqlState() {
            return type.equals("TRIGGER") || type.equals("EVENT") ? "HY000" : "42000";
        }
    }

    /** What a FLUSH asks for. */
    enum FlushKind {
        /** {@code FLUSH [LOCAL | NO_WRITE_TO_BINLOG] TABLE[S] [t, ...]}: close and reopen tables. */
        TABLES,
        /** {@code FLUSH TABLES [t, ...] WITH READ LOCK} or {@code ... FOR EXPORT}: locks on the connection. */
        TABLES_LOCKED,
        /** {@code FLUSH STATUS}: reset the session's status counters. */
        STATUS,
        /** Any other FLUSH (PRIVILEGES, LOGS, HOSTS, QUERY CACHE...): the server's operator's to run. */
        SERVER
    }

    /**
     * A {@code FLUSH}.
     *
     * @param kind   what it asks for
     * @param tables the tables it names (as written, qualified or not), empty for all
     * @param what   the words after FLUSH, for messages
     */
    record Flush(FlushKind kind, List<String> tables, String what) implements LocalStatement {
        /** Copies. */
        public Flush {
            tables = List.copyOf(tables);
        }
    }

    /**
     * {@code SET TRANSACTION characteristic [, ...]} without a scope: it applies to the session's next transaction
     * only. The gateway keeps it and the tablet applies it right before that transaction begins, on the connection
     * that runs it (as Vitess does), so no connection is held for it.
     *
     * @param statement the statement, to run before the transaction's BEGIN
     */
    record NextTransaction(String statement) implements LocalStatement {}

    /**
     * The statement a one-statement text is, when it is one of these; null otherwise (also when the text does not
     * read as one cleanly: then the server says what is wrong with it).
     */
    static LocalStatement of(CharSequence sql, LexMode mode, StatementKind kind) {
        return switch (kind) {
            case DROP -> drop(new LocalStatementReader(sql, mode));
            case SET, OTHER -> setOrFlush(new LocalStatementReader(sql, mode), sql);
            default -> null;
        };
    }

    /** As {@link #of(CharSequence, LexMode, StatementKind)}, for an analyzed text. */
    static LocalStatement of(CharSequence sql, LexMode mode, AnalyzedStatement a) {
        if (a.statements() != 1 || a.refused()) {
            return null;
        }
        if (a.kind() == StatementKind.SET && !a.effects().reasons().contains(Reservation.NEXT_TRANSACTION)) {
            return null; // the everyday SET: not read again
        }
        return of(sql, mode, a.kind());
    }

    private static LocalStatement drop(LocalStatementReader r) {
        if (!r.word("DROP")) {
            return null;
        }
        r.next();
        String type = r.upper();
        if (type == null || !(type.equals("PROCEDURE") || type.equals("FUNCTION") || type.equals("TRIGGER") || type.equals("EVENT"))) {
            return null;
        }
        r.next();
        boolean ifExists = false;
        if (r.word("IF")) {
            r.next();
            if (!r.word("EXISTS")) {
                return null;
            }
            ifExists = true;
            r.next();
        }
        String first = r.name();
        if (first == null) {
            return null;
        }
        String schema = null;
        String name = first;
        if (r.next() == TokenType.DOT) {
            r.next();
            name = r.name();
            if (name == null) {
                return null;
            }
            schema = first;
            r.next();
        }
        return r.atEnd() ? new DropMissing(type, ifExists, schema, name) : null;
    }

    private static LocalStatement setOrFlush(LocalStatementReader r, CharSequence sql) {
        if (r.word("SET")) {
            int from = r.lexer.start();
            r.next();
            if (!r.word("TRANSACTION")) {
                return null; // SET SESSION TRANSACTION is session state, read back as any variable
            }
            int to;
            do {
                r.next();
                if (r.word("ISOLATION")) {
                    r.next();
                    if (!r.word("LEVEL")) {
                        return null;
                    }
                    r.next();
                    if (r.word("READ")) {
                        r.next();
                        if (!r.word("COMMITTED") && !r.word("UNCOMMITTED")) {
                            return null;
                        }
                    } else if (r.word("REPEATABLE")) {
                        r.next();
                        if (!r.word("READ")) {
                            return null;
                        }
                    } else if (!r.word("SERIALIZABLE")) {
                        return null;
                    }
                } else if (r.word("READ")) {
                    r.next();
                    if (!r.word("WRITE") && !r.word("ONLY")) {
                        return null;
                    }
                } else {
                    return null; // not a characteristic MariaDB knows: its error to give
                }
                to = r.lexer.end();
            } while (r.next() == TokenType.COMMA);
            return r.atEnd() ? new NextTransaction(sql.subSequence(from, to).toString()) : null;
        }
        if (!r.word("FLUSH")) {
            return null;
        }
        int whatFrom = -1;
        int whatTo = -1;
        r.next();
        if (r.word("LOCAL") || r.word("NO_WRITE_TO_BINLOG")) {
            r.next();
        }
        if (r.type == TokenType.IDENTIFIER) {
            whatFrom = r.lexer.start();
        }
        if (r.word("STATUS")) {
            r.next();
            return r.atEnd() ? new Flush(FlushKind.STATUS, List.of(), "STATUS") : null;
        }
        if (!r.word("TABLE") && !r.word("TABLES")) {
            for (; r.type != TokenType.EOF && r.type != TokenType.SEMICOLON; r.next()) {
                whatTo = r.lexer.end();
            }
            return new Flush(FlushKind.SERVER, List.of(), whatFrom < 0 ? "" : sql.subSequence(whatFrom, whatTo).toString());
        }
        List<String> tables = new ArrayList<>();
        r.next();
        while (r.type == TokenType.IDENTIFIER || r.type == TokenType.QUOTED_IDENTIFIER) {
            if (r.word("WITH") || r.word("FOR")) {
                break;
            }
            StringBuilder name = new StringBuilder(r.lexer.text());
            if (r.next() == TokenType.DOT) {
                name.append('.');
                r.next();
                name.append(r.lexer.text());
                r.next();
            }
            tables.add(name.toString());
            if (r.type != TokenType.COMMA) {
                break;
            }
            r.next();
        }
        if (r.word("WITH") || r.word("FOR")) {
            int from = r.lexer.start();
            int to = from;
            for (; r.type != TokenType.EOF && r.type != TokenType.SEMICOLON; r.next()) {
                to = r.lexer.end();
            }
            return new Flush(FlushKind.TABLES_LOCKED, tables, "TABLES ... " + sql.subSequence(from, to).toString().toUpperCase(Locale.ROOT));
        }
        return r.atEnd() ? new Flush(FlushKind.TABLES, tables, "TABLES") : null;
    }
}

/** A lexer over one statement for {@link LocalStatement}: the current token and the words it is. */
final class LocalStatementReader {
    final SqlLexer lexer;
    TokenType type;

    LocalStatementReader(CharSequence sql, LexMode mode) {
        this.lexer = new SqlLexer(sql, mode);
        this.type = lexer.next();
    }

    TokenType next() {
        type = lexer.next();
        return type;
    }

    boolean word(String upper) {
        return type == TokenType.IDENTIFIER && lexer.is(upper);
    }

    String upper() {
        return type == TokenType.IDENTIFIER ? lexer.text().toUpperCase(Locale.ROOT) : null;
    }

    /** The current token as a name, unquoted; null when it is not a name. */
    String name() {
        if (type == TokenType.IDENTIFIER) {
            return lexer.text();
        }
        if (type == TokenType.QUOTED_IDENTIFIER) {
            String t = lexer.text();
            return t.length() < 2 ? null : t.substring(1, t.length() - 1).replace("``", "`");
        }
        return null;
    }

    /** Whether only {@code ;}s follow from the current token. */
    boolean atEnd() {
        while (type == TokenType.SEMICOLON) {
            next();
        }
        return type == TokenType.EOF;
    }
}
