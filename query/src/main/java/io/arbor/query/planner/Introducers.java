package io.arbor.query.planner;

import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.TablesNamesFinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Character set introducers ({@code _binary'..'}, {@code _utf8mb4 'x'}, {@code _latin1 X'41'}, {@code _binary 0x41},
 * {@code _utf8mb4 b'0100'}) for the planner's parser: JSqlParser reads none but {@code _utf8'..'}, and drivers send
 * them (Connector/J's client-side prepared statements send {@code _binary'..'} for a {@code byte[]} parameter). Before
 * the parse, each literal with an introducer becomes a plain string literal of a marker; after it, each marker's
 * {@link StringValue} is given the introducer back as its prefix and the literal's text as its value, so that the
 * statement renders (and every shard runs) exactly what the client wrote, and the planner sees a string literal there
 * ({@code StringValue}), whose value {@link io.arbor.query.engine.Pins#value} reads with its introducer.
 *
 * <p>A literal in hexadecimal {@code 0x41} or {@code 0b01} form after an introducer renders as {@code X'41'} /
 * {@code b'01'}, which MariaDB reads alike. A marker the walk of the tree does not reach (a clause it does not visit)
 * leaves the statement unreadable: the planner refuses it, never runs it with the marker.
 */
final class Introducers {
    private Introducers() {}

    private static final String MARKER = "__arbor_introduced_";

    /** MariaDB's character sets: the words that introduce a literal (any other {@code _word} is an identifier). */
    private static final Set<String> CHARSETS = Set.of("armscii8", "ascii", "big5", "binary", "cp1250", "cp1251",
            "cp1256", "cp1257", "cp850", "cp852", "cp866", "cp932", "dec8", "eucjpms", "euckr", "gb2312", "gbk", "geostd8",
            "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin1", "latin2", "latin5", "latin7", "macce",
            "macroman", "sjis", "swe7", "tis620", "ucs2", "ujis", "utf16", "utf16le", "utf32", "utf8", "utf8mb3", "utf8mb4");

    /**
     * A text with its introduced literals replaced by markers.
     *
     * @param text     what JSqlParser reads
     * @param literals each marker's literal: its prefix ({@code _binary}, {@code _latin1 X}) and the text inside its quotes
     */
    record Marked(String text, List<String[]> literals) {}

    /** {@code sql} with its introduced literals marked, or null when it has none (the usual case: no copy). */
    static Marked mark(String sql) {
        if (sql.indexOf('_') < 0 || sql.contains(MARKER)) {
            return null; // nothing to mark; or text that could pass for a marker, which is left unreadable (refused)
        }
        SqlLexer lexer = new SqlLexer(sql, LexMode.DEFAULT);
        StringBuilder out = null;
        List<String[]> literals = new ArrayList<>();
        int copied = 0;
        int introducer = -1; // where the introducer just read starts, or -1
        String charset = null;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (introducer >= 0 && (t == TokenType.STRING || t == TokenType.NUMBER)) {
                String[] literal = literal(charset, sql.substring(lexer.start(), lexer.end()));
                if (literal != null) {
                    out = out == null ? new StringBuilder(sql.length()) : out;
                    out.append(sql, copied, introducer).append('\'').append(MARKER).append(literals.size()).append('\'');
                    literals.add(literal);
                    copied = lexer.end();
                }
            }
            introducer = -1;
            if (t == TokenType.IDENTIFIER && introduces(lexer) && !lexer.inExecutableComment()) {
                introducer = lexer.start();
                charset = lexer.text();
            }
        }
        if (out == null) {
            return null;
        }
        return new Marked(out.append(sql, copied, sql.length()).toString(), literals);
    }

    /** Whether the identifier just read is a character set introducer ({@code _binary}, {@code _utf8mb4}). */
    static boolean introduces(SqlLexer lexer) {
        CharSequence sql = lexer.sql();
        int start = lexer.start();
        return lexer.end() - start > 2 && sql.charAt(start) == '_'
                && CHARSETS.contains(sql.subSequence(start + 1, lexer.end()).toString().toLowerCase(Locale.ROOT));
    }

    /** The prefix and quoted text of an introduced literal, or null for a token that is not one ({@code _binary 5}). */
    private static String[] literal(String charset, String token) {
        char first = token.charAt(0);
        if (first == '\'') {
            return new String[] {charset, token.substring(1, token.length() - 1)};
        }
        if ((first == 'x' || first == 'X' || first == 'b' || first == 'B') && token.length() >= 3 && token.charAt(1) == '\'') {
            return new String[] {charset + " " + first, token.substring(2, token.length() - 1)};
        }
        if (first == '0' && token.length() > 2 && (token.charAt(1) == 'x' || token.charAt(1) == 'b')) {
            return new String[] {charset + " " + (token.charAt(1) == 'x' ? 'X' : 'b'), token.substring(2)};
        }
        return null; // a double-quoted string (read as an identifier under ANSI_QUOTES) or a decimal number
    }

    /** Gives every marker of {@code statement} its literal back; throws if one is left (a clause the walk missed). */
    static Statement restore(Statement statement, Marked marked) throws JSQLParserException {
        int[] restored = {0};
        new TablesNamesFinder<Void>() {
            @Override
            public <S> Void visit(StringValue value, S context) {
                if (value.getValue().startsWith(MARKER) && value.getPrefix() == null) {
                    String[] literal = marked.literals().get(Integer.parseInt(value.getValue().substring(MARKER.length())));
                    value.setPrefix(literal[0]);
                    value.setValue(literal[1]);
                    restored[0]++;
                }
                return null;
            }
        }.getTablesOrOtherSources(statement);
        if (restored[0] != marked.literals().size() || statement.toString().contains(MARKER)) {
            throw new JSQLParserException("a literal with a character set introducer where the planner's parser cannot"
                    + " keep it");
        }
        return statement;
    }
}
