package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tables and views a statement creates, drops, truncates, renames or replaces, by name, in one database:
 * what the tenant account needs a table-level DROP grant on before the statement runs (it has no
 * database-level DROP, so that it cannot drop its database). Reads {@code DROP TABLE|VIEW|SEQUENCE},
 * {@code TRUNCATE}, {@code RENAME TABLE}, {@code CREATE [OR REPLACE] TABLE|VIEW|SEQUENCE} and
 * {@code ALTER TABLE ... RENAME}, in each
 * statement of a multi-statement text; names qualified with another database are left out.
 *
 * <p>A name too many costs a harmless grant (DROP of a table of that name in the tenant's own database); a
 * name missed makes MariaDB refuse the statement with its own 1142, so this errs on the side of more.
 */
public final class DdlTargets {
    private DdlTargets() {}

    /** The names in {@code sql} (unqualified, or qualified with {@code database}), in order, without repeats. */
    public static List<String> of(String sql, String database) {
        return of(sql, database, LexMode.DEFAULT);
    }

    /** As {@link #of(String, String)}, reading the text as the server will under {@code mode}. */
    public static List<String> of(String sql, String database, LexMode mode) {
        Set<String> names = new LinkedHashSet<>();
        for (String statement : Statements.split(sql, mode)) {
            new Reader(statement, database, names, mode).statement();
        }
        return List.copyOf(names);
    }

    private static final Set<String> OTHER_OBJECTS = Set.of("INDEX", "UNIQUE", "FULLTEXT", "SPATIAL", "DATABASE", "SCHEMA",
            "USER", "ROLE", "PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "SERVER", "AGGREGATE", "PACKAGE");

    /** One statement's tokens, read left to right. */
    private static final class Reader {
        private final SqlLexer lexer;
        private final String database;
        private final Set<String> names;

        Reader(String sql, String database, Set<String> names, LexMode mode) {
            this.lexer = new SqlLexer(sql, mode);
            this.database = database;
            this.names = names;
            lexer.next();
        }

        void statement() {
            if (accept("DROP")) {
                accept("TEMPORARY");
                if (accept("TABLE") || accept("TABLES") || accept("VIEW") || accept("SEQUENCE")) {
                    ifExists();
                    nameList();
                }
            } else if (accept("TRUNCATE")) {
                accept("TABLE");
                name();
            } else if (accept("RENAME")) {
                if (accept("TABLE") || accept("TABLES")) {
                    do {
                        name();
                        waitOption();
                        if (accept("TO")) {
                            name();
                        }
                    } while (accept(TokenType.COMMA));
                }
            } else if (accept("CREATE")) {
                create();
            } else if (accept("ALTER")) {
                alter();
            }
        }

        private void create() {
            if (accept("OR")) {
                accept("REPLACE");
            }
            // View options come before VIEW (ALGORITHM = x, DEFINER = user, SQL SECURITY x): skip a few tokens,
            // but not into another kind of object (index, database, user, routine, ...).
            for (int skipped = 0; skipped < 16 && lexer.type() != TokenType.EOF; skipped++) {
                if (accept("TABLE") || accept("VIEW") || accept("SEQUENCE")) {
                    if (accept("IF")) {
                        accept("NOT");
                        accept("EXISTS");
                    }
                    name();
                    return;
                }
                if (OTHER_OBJECTS.contains(lexer.text().toUpperCase(java.util.Locale.ROOT))) {
                    return;
                }
                lexer.next();
            }
        }

        private void alter() {
            accept("ONLINE");
            accept("IGNORE");
            if (!accept("TABLE")) {
                return;
            }
            name();
            // ALTER TABLE a ..., RENAME [TO|AS] b: b is the table's new name (not RENAME COLUMN/INDEX/KEY).
            int depth = 0;
            while (lexer.type() != TokenType.EOF) {
                TokenType t = lexer.type();
                if (t == TokenType.LEFT_PAREN) {
                    depth++;
                } else if (t == TokenType.RIGHT_PAREN) {
                    depth--;
                } else if (depth == 0 && lexer.is("RENAME")) {
                    lexer.next();
                    if (lexer.is("COLUMN") || lexer.is("INDEX") || lexer.is("KEY")) {
                        continue;
                    }
                    if (!accept("TO")) {
                        accept("AS");
                    }
                    name();
                    continue;
                }
                lexer.next();
            }
        }

        private void ifExists() {
            if (accept("IF")) {
                accept("EXISTS");
            }
        }

        private void nameList() {
            do {
                name();
            } while (accept(TokenType.COMMA));
        }

        private void waitOption() {
            if (accept("WAIT")) {
                lexer.next();
            } else {
                accept("NOWAIT");
            }
        }

        /** {@code name} or {@code db.name}: recorded when unqualified or in the database. */
        private void name() {
            String first = identifier();
            if (first == null) {
                return;
            }
            if (accept(TokenType.DOT)) {
                String second = identifier();
                if (second != null && first.equals(database)) {
                    names.add(second);
                }
                return;
            }
            names.add(first);
        }

        private String identifier() {
            String text;
            if (lexer.type() == TokenType.QUOTED_IDENTIFIER) {
                String quoted = lexer.text();
                text = quoted.substring(1, quoted.length() - 1).replace("``", "`");
            } else if (lexer.type() == TokenType.IDENTIFIER) {
                text = lexer.text();
            } else {
                return null;
            }
            lexer.next();
            return text.isEmpty() || text.length() > 64 ? null : text;
        }

        private boolean accept(String keyword) {
            if (lexer.type() == TokenType.IDENTIFIER && lexer.is(keyword)) {
                lexer.next();
                return true;
            }
            return false;
        }

        private boolean accept(TokenType type) {
            if (lexer.type() == type) {
                lexer.next();
                return true;
            }
            return false;
        }
    }
}
