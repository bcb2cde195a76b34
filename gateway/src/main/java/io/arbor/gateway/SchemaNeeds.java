package io.arbor.gateway;

import io.arbor.gateway.StatementNeeds.Right;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer.TokenType;

/**
 * The needs of schema statements for {@link StatementNeeds}: CREATE, ALTER and DROP of tables, views, indexes,
 * sequences and databases, each named as MariaDB's 1142 names its command ({@code CREATE, DROP} for CREATE OR REPLACE
 * TABLE, {@code CREATE VIEW} for ALTER VIEW, {@code INDEX} for CREATE and DROP INDEX) and marked as DDL for safe
 * migrations; temporary tables are not DDL. Any other CREATE, ALTER or DROP needs the admin role and counts as DDL.
 */
abstract class SchemaNeeds extends StatementTokens {
    SchemaNeeds(CharSequence sql, LexMode mode, String database) {
        super(sql, mode, database);
    }

    void create(int i, int end) {
        int j = i + 1;
        boolean replace = false;
        boolean temporary = false;
        while (j < end && type(j) == TokenType.IDENTIFIER) {
            if (is(j, end, "OR") || is(j, end, "REPLACE")) {
                replace = true;
                j++;
            } else if (is(j, end, "TEMPORARY")) {
                temporary = true;
                j++;
            } else if (is(j, end, "ONLINE") || is(j, end, "OFFLINE") || is(j, end, "UNIQUE") || is(j, end, "FULLTEXT")
                    || is(j, end, "SPATIAL")) {
                j++;
            } else if (is(j, end, "ALGORITHM") || is(j, end, "DEFINER") || is(j, end, "SQL")) {
                j = skipViewOption(j, end);
            } else {
                break;
            }
        }
        String what = keyword(j, end);
        int name = skip(j + 1, end, "IF", "NOT", "EXISTS");
        switch (what) {
            case "TABLE" -> {
                if (temporary) {
                    need(Right.DATABASE, null, database, false);
                } else {
                    table(name, end, Right.SCHEMA, replace ? "CREATE, DROP" : "CREATE", true);
                }
            }
            case "VIEW" -> table(name, end, Right.SCHEMA, "CREATE VIEW", true);
            case "SEQUENCE" -> table(name, end, Right.SCHEMA, "CREATE", true);
            case "INDEX" -> onTable(name, end, "INDEX");
            case "DATABASE", "SCHEMA" -> databaseNeed(name, end);
            default -> need(Right.ADMIN, "CREATE " + text(j, end), null, true);
        }
    }

    void alter(int i, int end) {
        int j = skip(i + 1, end, "ONLINE", "OFFLINE", "IGNORE");
        while (is(j, end, "ALGORITHM") || is(j, end, "DEFINER") || is(j, end, "SQL")) {
            j = skipViewOption(j, end);
        }
        switch (keyword(j, end)) {
            case "TABLE" -> table(j + 1, end, Right.SCHEMA, "ALTER", true);
            case "VIEW" -> table(j + 1, end, Right.SCHEMA, "CREATE VIEW", true);
            case "SEQUENCE" -> table(skip(j + 1, end, "IF", "EXISTS"), end, Right.SCHEMA, "ALTER", true);
            case "DATABASE", "SCHEMA" -> {
                String named = name(j + 1, end);
                boolean option = named != null && type(j + 1) == TokenType.IDENTIFIER && (is(j + 1, end, "DEFAULT")
                        || is(j + 1, end, "CHARACTER") || is(j + 1, end, "CHARSET") || is(j + 1, end, "COLLATE")
                        || is(j + 1, end, "COMMENT") || is(j + 1, end, "UPGRADE"));
                need(Right.DATABASE, null, option || named == null ? database : named, true);
            }
            case "VITESS_MIGRATION" -> need(Right.ADMIN, "ALTER VITESS_MIGRATION", null, false);
            default -> need(Right.ADMIN, "ALTER " + text(j, end), null, true);
        }
    }

    void drop(int i, int end) {
        int j = i + 1;
        boolean temporary = is(j, end, "TEMPORARY");
        if (temporary) {
            j++;
        }
        String what = keyword(j, end);
        int name = skip(j + 1, end, "IF", "EXISTS");
        switch (what) {
            case "TABLE", "TABLES" -> {
                if (!temporary) { // DROP TEMPORARY drops only the session's own temporary tables
                    table(name, end, Right.SCHEMA, "DROP", true);
                }
            }
            case "VIEW", "SEQUENCE" -> table(name, end, Right.SCHEMA, "DROP", true);
            case "INDEX" -> onTable(skip(j + 1, end, "ONLINE", "OFFLINE", "IF", "EXISTS"), end, "INDEX");
            case "DATABASE", "SCHEMA" -> databaseNeed(name, end);
            case "PREPARE" -> {
            }
            default -> need(Right.ADMIN, "DROP " + text(j, end), null, true);
        }
    }

    /** {@code name ON t}: the index's table. */
    void onTable(int j, int end, String command) {
        for (int k = j; k < end; k++) {
            if (is(k, end, "ON")) {
                table(k + 1, end, Right.SCHEMA, command, true);
                return;
            }
        }
        need(Right.SCHEMA, command, database, null, true);
    }

    void databaseNeed(int j, int end) {
        String named = name(j, end);
        need(Right.DATABASE, null, named == null ? database : named, true);
    }

    /** {@code ALGORITHM = x}, {@code DEFINER = user@host | CURRENT_USER[()]}, {@code SQL SECURITY x}: the index after it. */
    int skipViewOption(int j, int end) {
        if (is(j, end, "SQL")) {
            return j + 3;
        }
        boolean definer = is(j, end, "DEFINER");
        j += 2; // the option and its =
        if (definer) {
            while (j < end && !(type(j) == TokenType.IDENTIFIER && (is(j, end, "VIEW") || is(j, end, "SQL")
                    || is(j, end, "ALGORITHM") || is(j, end, "TRIGGER") || is(j, end, "PROCEDURE") || is(j, end, "FUNCTION")
                    || is(j, end, "EVENT")))) {
                j++;
            }
            return j;
        }
        return j + 1;
    }
}
