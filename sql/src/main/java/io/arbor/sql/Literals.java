package io.arbor.sql;

/**
 * The values of SQL literals as the server reads them: quoted strings ({@code 'x'}, {@code "x"}, {@code N'x'})
 * with the session's escaping and multibyte characters, hexadecimal ({@code X'4142'}, {@code 0x4142}) and bit
 * ({@code b'0100'}, {@code 0b0100}) literals as their bytes. Values come back as ISO-8859-1 chars, one per
 * byte, the form every analysis in this package reads.
 */
public final class Literals {
    private Literals() {
    }

    /**
     * The value of the literal token {@code sql[start, end)}, or null when it is not a literal whose value this
     * reads (a number, a name, a malformed hex string).
     */
    public static String value(CharSequence sql, int start, int end, LexMode mode) {
        if (end - start < 2) {
            return null;
        }
        char c0 = sql.charAt(start);
        char c1 = sql.charAt(start + 1);
        if (c0 == '0' && (c1 == 'x' || c1 == 'X')) {
            return hex(sql, start + 2, end);
        }
        if (c0 == '0' && (c1 == 'b' || c1 == 'B')) {
            return bits(sql, start + 2, end);
        }
        if ((c0 == 'x' || c0 == 'X') && c1 == '\'') {
            return sql.charAt(end - 1) == '\'' ? hex(sql, start + 2, end - 1) : null;
        }
        if ((c0 == 'b' || c0 == 'B') && c1 == '\'') {
            return sql.charAt(end - 1) == '\'' ? bits(sql, start + 2, end - 1) : null;
        }
        if (c0 == '\'' || c0 == '"' || (c0 == 'n' || c0 == 'N') && c1 == '\'') {
            return unquote(sql, start, end, mode);
        }
        return null;
    }

    /** The value of a string literal token ({@code 'x'}, {@code "x"} or {@code N'x'}). */
    static String unquote(CharSequence sql, int start, int end, LexMode mode) {
        char quote = sql.charAt(start);
        if (quote != '\'' && quote != '"') {
            quote = sql.charAt(++start); // N'...'
        }
        StringBuilder value = new StringBuilder(end - start);
        int last = sql.charAt(end - 1) == quote && end - 1 > start ? end - 1 : end;
        for (int i = start + 1; i < last; i++) {
            char c = sql.charAt(i);
            if (c >= 0x80 && i + 1 < last && mode.multibyte().isPair(c, sql.charAt(i + 1))) {
                value.append(c).append(sql.charAt(++i)); // one character, whatever its second byte looks like
            } else if (c == '\\' && mode.backslashEscapes() && i + 1 < last) {
                char e = sql.charAt(++i);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case '0' -> value.append('\0');
                    case 'b' -> value.append('\b');
                    case 'Z' -> value.append('\u001a');
                    case '%', '_' -> value.append('\\').append(e);
                    default -> value.append(e);
                }
            } else if (c == quote && i + 1 < last && sql.charAt(i + 1) == quote) {
                value.append(quote);
                i++;
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    /** Hex digits as bytes (an odd count gets a leading zero, as MySQL reads {@code 0xABC}); null if not hex. */
    private static String hex(CharSequence sql, int from, int to) {
        int n = to - from;
        StringBuilder out = new StringBuilder(n / 2 + 1);
        int i = from;
        if (n % 2 == 1) {
            int d = Character.digit(sql.charAt(i++), 16);
            if (d < 0) {
                return null;
            }
            out.append((char) d);
        }
        for (; i + 1 < to; i += 2) {
            int hi = Character.digit(sql.charAt(i), 16);
            int lo = Character.digit(sql.charAt(i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.append((char) (hi << 4 | lo));
        }
        return out.toString();
    }

    /** Binary digits as bytes, right-aligned; null if not binary. */
    private static String bits(CharSequence sql, int from, int to) {
        int n = to - from;
        int bytes = (n + 7) / 8;
        char[] out = new char[bytes];
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(to - 1 - i);
            if (c != '0' && c != '1') {
                return null;
            }
            if (c == '1') {
                out[bytes - 1 - i / 8] |= (char) (1 << (i % 8));
            }
        }
        return new String(out);
    }
}
