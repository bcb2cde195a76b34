package io.arbor.sql.lint;

import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * What a raw {@code SHOW CREATE TABLE} text declares that the schema model refuses to read: foreign keys, partitions
 * and system versioning. Read with the lexer, so that the words in a comment or default string do not count.
 *
 * @param foreignKeys the names of the FOREIGN KEY constraints, in text order (MariaDB names every one it prints)
 * @param withoutForeignKeys the text less its FOREIGN KEY clauses, for the other rules to read
 */
record TableText(List<String> foreignKeys, boolean partitioned, boolean systemVersioned, String withoutForeignKeys) {

    TableText {
        foreignKeys = List.copyOf(foreignKeys);
    }

    /** One element of the table body: its start, its end, and where the comma before it starts (-1 if first). */
    private record Element(int commaBefore, int start, int end) {}

    static TableText scan(String createTable) {
        SqlLexer lexer = new SqlLexer(createTable);
        List<String> foreignKeys = new ArrayList<>();
        List<Element> cut = new ArrayList<>();
        boolean partitioned = false;
        boolean versioned = false;
        int depth = 0;
        boolean bodySeen = false;
        int elementStart = -1;
        int commaBefore = -1;
        String constraintName = null;
        boolean foreign = false;
        String previous = "";
        String beforePrevious = "";
        while (lexer.next() != TokenType.EOF) {
            TokenType type = lexer.type();
            String word = type == TokenType.IDENTIFIER ? lexer.text().toUpperCase(java.util.Locale.ROOT) : "";
            if (depth == 1 && elementStart < 0 && type != TokenType.COMMA && type != TokenType.RIGHT_PAREN) {
                elementStart = lexer.start();
                constraintName = null;
                foreign = false;
            }
            if (depth == 1 && type == TokenType.QUOTED_IDENTIFIER && previous.equals("CONSTRAINT") && lexer.start() > elementStart
                    && constraintName == null) {
                constraintName = unquote(lexer.text());
            }
            if (depth == 1 && word.equals("FOREIGN") && (elementStart == lexer.start() || constraintName != null)) {
                foreign = true;
            }
            boolean elementEnds = depth == 1 && (type == TokenType.COMMA || type == TokenType.RIGHT_PAREN);
            if (elementEnds && elementStart >= 0) {
                if (foreign) {
                    foreignKeys.add(constraintName == null ? "(unnamed)" : constraintName);
                    cut.add(new Element(commaBefore, elementStart, lexer.start()));
                }
                elementStart = -1;
            }
            if (depth == 1 && type == TokenType.COMMA) {
                commaBefore = lexer.start();
            }
            if (type == TokenType.LEFT_PAREN) {
                depth++;
                bodySeen = true;
            } else if (type == TokenType.RIGHT_PAREN) {
                depth--;
            }
            if (depth == 0 && bodySeen && word.equals("BY") && previous.equals("PARTITION")) {
                partitioned = true;
            }
            if (word.equals("VERSIONING") && previous.equals("SYSTEM") && beforePrevious.equals("WITH")
                    || word.equals("SYSTEM_TIME") && previous.equals("FOR") && beforePrevious.equals("PERIOD")) {
                versioned = true;
            }
            beforePrevious = previous;
            previous = type == TokenType.IDENTIFIER ? word : lexer.text();
        }
        return new TableText(foreignKeys, partitioned, versioned, without(createTable, cut));
    }

    private static String without(String text, List<Element> cut) {
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Element e : cut) {
            int from = e.commaBefore() >= 0 ? e.commaBefore() : e.start();
            sb.append(text, at, from);
            at = e.end();
        }
        return sb.append(text.substring(at)).toString();
    }

    static String unquote(String quoted) {
        if (quoted.length() >= 2 && quoted.charAt(0) == '`') {
            return quoted.substring(1, quoted.length() - 1).replace("``", "`");
        }
        return quoted;
    }

    static String quote(String name) {
        return '`' + name.replace("`", "``") + '`';
    }
}
