package io.arbor.sql.schema;

import io.arbor.sql.SqlLexer.TokenType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads MariaDB's {@code SHOW CREATE TABLE} text (a canonical, regular format) into a {@link TableDef}; the
 * same grammar reads the column and index clauses of the ALTER statements {@link SchemaDiff} writes.
 *
 * <p>What the format can hold but Arbor does not support (foreign keys, partitions, system versioning) is refused
 * with a {@link SchemaException} rather than read half.
 */
final class TableReader {
    private TableReader() {}

    /** The table of one {@code CREATE TABLE} text. */
    static TableDef read(String createTable) {
        DdlCursor c = new DdlCursor(createTable);
        c.expect("CREATE");
        c.expect("TABLE");
        c.acceptAll("IF", "NOT", "EXISTS"); // tolerated: the text describes the table either way
        String name = c.identifier();
        c.expect(TokenType.LEFT_PAREN);
        List<ColumnDef> read = new ArrayList<>();
        List<IndexDef> indexes = new ArrayList<>();
        List<CheckDef> checks = new ArrayList<>();
        do {
            if (c.isType(TokenType.QUOTED_IDENTIFIER)) {
                read.add(readColumn(c, null));
            } else if (c.is("CONSTRAINT") || c.is("CHECK")) {
                checks.add(readCheck(c));
            } else {
                indexes.add(readIndex(c));
            }
        } while (c.accept(TokenType.COMMA));
        c.expect(TokenType.RIGHT_PAREN);
        Map<String, String> options = new LinkedHashMap<>();
        String[] engineAndCollation = new String[3];
        while (!c.atEnd()) {
            readTableOption(c, engineAndCollation, options);
            c.accept(TokenType.COMMA);
        }
        if (!c.atEnd()) {
            throw c.error("unexpected text after the table options");
        }
        Collation tableCollation = Collation.of(
                engineAndCollation[1] == null && engineAndCollation[2] == null ? "latin1" : engineAndCollation[1],
                engineAndCollation[2]);
        // The table's default collation is printed after the columns that take it.
        List<ColumnDef> columns = read.stream().map(col -> withDefaultCollation(col, tableCollation)).toList();
        String engine = engineAndCollation[0] == null ? "InnoDB" : engineAndCollation[0];
        return new TableDef(name, columns, indexes, checks, engine, tableCollation, options);
    }

    /** {@code column} with {@code tableCollation} if it is a text column that names no collation of its own. */
    static ColumnDef withDefaultCollation(ColumnDef column, Collation tableCollation) {
        if (column.collation() != null || !ColumnDef.isText(column.type())) {
            return column;
        }
        return new ColumnDef(column.name(), column.type(), tableCollation, column.nullable(), column.defaultValue(),
                column.onUpdate(), column.generated(), column.flags(), column.comment(), column.check());
    }

    /**
     * A column definition from its name on; stops before a {@code ,}, {@code )}, FIRST or AFTER. A text column
     * that names no collation gets {@code tableCollation} (null: left for {@link #withDefaultCollation}).
     */
    static ColumnDef readColumn(DdlCursor c, Collation tableCollation) {
        String name = c.identifier();
        int typeStart = c.mark();
        c.word();
        if (c.isType(TokenType.LEFT_PAREN)) {
            c.parenthesized();
        }
        while (c.is("UNSIGNED") || c.is("SIGNED") || c.is("ZEROFILL")) {
            c.take();
        }
        String type = c.rawFrom(typeStart);
        String charset = null;
        String collate = null;
        boolean nullable = true;
        String defaultValue = null;
        String onUpdate = null;
        ColumnDef.Generated generated = null;
        Set<ColumnDef.Flag> flags = EnumSet.noneOf(ColumnDef.Flag.class);
        String comment = null;
        String check = null;
        while (!c.atEnd() && !c.isType(TokenType.COMMA) && !c.isType(TokenType.RIGHT_PAREN) && !c.is("FIRST")
                && !c.is("AFTER")) {
            if (c.acceptAll("CHARACTER", "SET") || c.accept("CHARSET")) {
                charset = c.identifier();
            } else if (c.accept("COLLATE")) {
                collate = c.identifier();
            } else if (c.acceptAll("GENERATED", "ALWAYS", "AS") || c.accept("AS")) {
                String expression = c.parenthesized();
                generated = new ColumnDef.Generated(expression, c.word());
            } else if (c.acceptAll("NOT", "NULL")) {
                nullable = false;
            } else if (c.accept("NULL")) {
                nullable = true;
            } else if (c.accept("INVISIBLE")) {
                flags.add(ColumnDef.Flag.INVISIBLE);
            } else if (c.accept("DEFAULT")) {
                defaultValue = value(c);
            } else if (c.acceptAll("ON", "UPDATE")) {
                onUpdate = value(c);
            } else if (c.accept("AUTO_INCREMENT")) {
                flags.add(ColumnDef.Flag.AUTO_INCREMENT);
            } else if (c.accept("COMMENT")) {
                if (!c.isType(TokenType.STRING)) {
                    throw c.error("expected a comment string");
                }
                comment = c.take();
            } else if (c.accept("CHECK")) {
                check = c.parenthesized();
            } else {
                throw c.error("unsupported column attribute");
            }
        }
        Collation collation = null;
        if (ColumnDef.isText(type)) {
            collation = charset == null && collate == null ? tableCollation : Collation.of(charset, collate);
        } else if (charset != null || collate != null) {
            collation = Collation.of(charset, collate);
        }
        return new ColumnDef(name, type, collation, nullable, defaultValue, onUpdate, generated, flags, comment, check);
    }

    /** A DEFAULT or ON UPDATE value, as printed: a literal, a function call or a parenthesized expression. */
    private static String value(DdlCursor c) {
        int start = c.mark();
        if (c.isType(TokenType.LEFT_PAREN)) {
            c.parenthesized();
        } else if (c.is("-") || c.is("+")) {
            c.take();
            c.take();
        } else {
            TokenType type = c.type();
            c.take();
            if (type == TokenType.IDENTIFIER && c.isType(TokenType.LEFT_PAREN)) {
                c.parenthesized();
            }
        }
        return c.rawFrom(start);
    }

    /** {@code [CONSTRAINT name] CHECK (expr)}. */
    static CheckDef readCheck(DdlCursor c) {
        String name = null;
        if (c.accept("CONSTRAINT")) {
            if (!c.is("CHECK")) {
                name = c.identifier();
            }
        }
        if (c.is("FOREIGN")) {
            throw c.error("foreign keys are not supported");
        }
        c.expect("CHECK");
        String expression = c.parenthesized();
        if (name == null) {
            throw c.error("a CHECK constraint without a name");
        }
        return new CheckDef(name, expression);
    }

    /** An index clause: {@code PRIMARY KEY (..)}, {@code UNIQUE KEY `n` (..)}, {@code KEY ..}, {@code FULLTEXT KEY ..}. */
    static IndexDef readIndex(DdlCursor c) {
        IndexDef.Kind kind;
        if (c.accept("PRIMARY")) {
            kind = IndexDef.Kind.PRIMARY;
        } else if (c.accept("UNIQUE")) {
            kind = IndexDef.Kind.UNIQUE;
        } else if (c.accept("FULLTEXT")) {
            kind = IndexDef.Kind.FULLTEXT;
        } else if (c.accept("SPATIAL")) {
            kind = IndexDef.Kind.SPATIAL;
        } else if (c.is("KEY") || c.is("INDEX")) {
            kind = IndexDef.Kind.KEY;
        } else {
            throw c.error("expected a column, an index or a constraint");
        }
        if (!c.accept("KEY") && !c.accept("INDEX") && kind == IndexDef.Kind.PRIMARY) {
            throw c.error("expected KEY");
        }
        String name = IndexDef.PRIMARY_NAME;
        if (kind != IndexDef.Kind.PRIMARY) {
            if (c.isType(TokenType.LEFT_PAREN)) {
                throw c.error("an index without a name");
            }
            name = c.identifier();
        }
        c.expect(TokenType.LEFT_PAREN);
        List<IndexDef.Part> parts = new ArrayList<>();
        do {
            String column = c.identifier();
            Integer prefix = null;
            if (c.accept(TokenType.LEFT_PAREN)) {
                prefix = Integer.valueOf(c.take());
                c.expect(TokenType.RIGHT_PAREN);
            }
            boolean descending = c.accept("DESC");
            c.accept("ASC");
            parts.add(new IndexDef.Part(column, prefix, descending));
        } while (c.accept(TokenType.COMMA));
        c.expect(TokenType.RIGHT_PAREN);
        int start = c.mark();
        while (!c.atEnd() && !c.isType(TokenType.COMMA) && !c.isType(TokenType.RIGHT_PAREN)) {
            c.take();
        }
        String options = c.mark() == start ? "" : c.rawFrom(start);
        return new IndexDef(name, kind, parts, options);
    }

    /**
     * One table option: ENGINE and the default character set and collation go to {@code engineAndCollation}
     * (engine, charset, collation); the AUTO_INCREMENT counter is skipped; the rest go to {@code options}.
     */
    static void readTableOption(DdlCursor c, String[] engineAndCollation, Map<String, String> options) {
        c.accept("DEFAULT");
        if (c.acceptAll("CHARACTER", "SET") || c.accept("CHARSET")) {
            c.accept("=");
            engineAndCollation[1] = c.identifier();
            return;
        }
        if (c.accept("COLLATE")) {
            c.accept("=");
            engineAndCollation[2] = c.identifier();
            return;
        }
        if (c.is("PARTITION") || c.is("WITH")) {
            throw c.error("partitioned and system-versioned tables are not supported");
        }
        String name = c.word();
        c.accept("=");
        String value = c.take();
        if (name.equals("ENGINE")) {
            engineAndCollation[0] = value;
        } else if (!name.equals("AUTO_INCREMENT")) {
            options.put(name.toUpperCase(Locale.ROOT), value);
        }
    }
}
