package io.arbor.gateway;

import io.arbor.gateway.StatementNeeds.Need;
import io.arbor.gateway.StatementNeeds.Right;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text's tokens as {@link StatementNeeds} reads them (lexed once, under the session's mode, into arrays for
 * look-ahead), the names they spell (unquoted, the UTF-8 bytes of the text decoded) and the needs found so far.
 * The base of the rules' classes: one instance per text, not thread-safe.
 */
abstract class StatementTokens {
    private static final TokenType[] TYPES = TokenType.values();

    final CharSequence sql;
    final LexMode mode;
    /** Where unqualified names are. */
    final String database;
    int[] types = new int[64];
    int[] starts = new int[64];
    int[] ends = new int[64];
    int count;
    final List<Need> needs = new ArrayList<>(2);

    StatementTokens(CharSequence sql, LexMode mode, String database) {
        this.sql = sql;
        this.mode = mode;
        this.database = database;
    }

    /** The need of the table named at {@code j} ({@code name} or {@code db.name}); without a name, of the database's. */
    void table(int j, int end, Right right, String command, boolean changesSchema) {
        String first = name(j, end);
        if (first != null && j + 2 < end && type(j + 1) == TokenType.DOT && name(j + 2, end) != null) {
            need(right, command, first, name(j + 2, end), changesSchema);
        } else {
            need(right, command, database, first, changesSchema);
        }
    }

    /** The names of a comma-separated table list from {@code j}, each [db.]name [[AS] alias] [lock type]. */
    void tables(int j, int end, Right right, String command, boolean changesSchema) {
        boolean next = true;
        int level = 0;
        for (int k = j; k < end; k++) {
            TokenType t = type(k);
            level += t == TokenType.LEFT_PAREN ? 1 : t == TokenType.RIGHT_PAREN ? -1 : 0;
            if (next && level == 0) {
                table(k, end, right, command, changesSchema);
                next = false;
            } else if (level == 0 && t == TokenType.COMMA) {
                next = true;
            }
        }
    }

    void need(Right right, String command, String schema, boolean changesSchema) {
        need(right, command, schema, null, changesSchema);
    }

    void need(Right right, String command, String schema, String name, boolean changesSchema) {
        needs.add(new Need(right, command, schema, name, changesSchema));
    }

    int skipFormat(int j, int end) {
        return is(j, end, "FORMAT") ? j + 3 : j;
    }

    /** The index of the first token from {@code j} that is none of {@code words}. */
    int skip(int j, int end, String... words) {
        outer:
        while (j < end) {
            for (String w : words) {
                if (is(j, end, w)) {
                    j++;
                    continue outer;
                }
            }
            return j;
        }
        return j;
    }

    TokenType type(int j) {
        return TYPES[types[j]];
    }

    /** Whether token {@code j} (before {@code end}) is the word {@code upper}, in any case; quoted names never are. */
    boolean is(int j, int end, String upper) {
        return j < end && types[j] == TokenType.IDENTIFIER.ordinal() && ends[j] - starts[j] == upper.length()
                && startsWith(sql, starts[j], upper);
    }

    /** Whether {@code sql} has {@code upper} (upper-case ASCII) at {@code from}, in any case; the caller checks the length. */
    static boolean startsWith(CharSequence sql, int from, String upper) {
        for (int k = 0; k < upper.length(); k++) {
            char c = sql.charAt(from + k);
            char u = upper.charAt(k);
            if (c != u && !(c >= 'a' && c <= 'z' && c - ('a' - 'A') == u)) {
                return false;
            }
        }
        return true;
    }

    /** The keyword at {@code j} in upper case, or "" past the end or on a token that is no word. */
    String keyword(int j, int end) {
        return j < end && types[j] == TokenType.IDENTIFIER.ordinal() ? keyword(j) : "";
    }

    String keyword(int j) {
        return text(j).toUpperCase(java.util.Locale.ROOT);
    }

    String text(int j) {
        return sql.subSequence(starts[j], ends[j]).toString();
    }

    /** The token at {@code j} for a message (its words upper case), or "" past the end. */
    String text(int j, int end) {
        return j < end ? utf8(text(j)).toUpperCase(java.util.Locale.ROOT) : "";
    }

    /** The name at {@code j}, unquoted and decoded (the text holds UTF-8 bytes as chars), or null when none is there. */
    String name(int j, int end) {
        if (j >= end) {
            return null;
        }
        String t = text(j);
        if (types[j] == TokenType.QUOTED_IDENTIFIER.ordinal() && t.length() >= 2) {
            String q = t.substring(0, 1);
            return utf8(t.substring(1, t.length() - 1).replace(q + q, q));
        }
        return types[j] == TokenType.IDENTIFIER.ordinal() ? utf8(t) : null;
    }

    static String utf8(String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            if (bytes.charAt(i) > 0x7f) {
                return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return bytes;
    }

    final void lex() {
        SqlLexer lexer = new SqlLexer(sql, mode);
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (count == types.length) {
                types = Arrays.copyOf(types, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            types[count] = t.ordinal();
            starts[count] = lexer.start();
            ends[count] = lexer.end();
            count++;
        }
    }
}
