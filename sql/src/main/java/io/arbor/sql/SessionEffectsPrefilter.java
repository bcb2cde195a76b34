package io.arbor.sql;

/**
 * The hot path of {@link SessionEffects#analyze(CharSequence)}: one pass over the chars, no lexer, no
 * allocation, telling whether a text may have session effects at all.
 *
 * <p>It may say yes wrongly (a trigger word inside a string or comment, {@code LOCK IN SHARE MODE}), never
 * no wrongly: then the lexer decides. Hence it ignores quoting entirely and looks for
 * <ul>
 *   <li>any {@code @};
 *   <li>whole words (case-insensitive) that can start an effect: {@code XA}, {@code LOCK}, {@code PREPARE},
 *       {@code EXECUTE}, {@code HANDLER}, {@code GET_LOCK}, {@code TEMPORARY}, {@code FOUND_ROWS},
 *       {@code DEALLOCATE}, {@code LAST_INSERT_ID}, {@code SQL_CALC_FOUND_ROWS}, and those that end one:
 *       {@code UNLOCK}, {@code RELEASE_LOCK}, {@code RELEASE_ALL_LOCKS};
 *   <li>{@code SET} or {@code FLUSH} as the first word of a statement: at the start of the text or after any
 *       {@code ;}, past whitespace, comments and executable-comment openers. Only there, because
 *       {@code UPDATE t SET} is among the commonest statements and must stay on this path.
 * </ul>
 * A word is a run of identifier chars; leading digits are skipped first, so that {@code /*!40101SET}
 * still shows its {@code SET} (a false yes on {@code 1xa} costs only a lexer pass).
 */
final class SessionEffectsPrefilter {

    /** Char classes of ASCII chars (0 for the rest); any char from 0x80 up is a word char, as in MySQL. */
    private static final byte WORD = 1;
    private static final byte DIGIT = 2;
    private static final byte TRIGGER = 4; // '@' and ';'
    private static final byte[] CLASSES = new byte[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            CLASSES[c] = WORD;
            CLASSES[c - ('a' - 'A')] = WORD;
        }
        for (char c = '0'; c <= '9'; c++) {
            CLASSES[c] = DIGIT;
        }
        CLASSES['_'] = WORD;
        CLASSES['$'] = WORD;
        CLASSES['@'] = TRIGGER;
        CLASSES[';'] = TRIGGER;
    }

    private SessionEffectsPrefilter() {
    }

    /** Whether {@code sql} may have session effects; {@code false} means it certainly has none. */
    static boolean mayHaveEffects(CharSequence sql) {
        if (startsWithSetOrFlush(sql, 0)) {
            return true;
        }
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int cls = c < 128 ? CLASSES[c] : WORD;
            if (cls == WORD) {
                int end = wordEnd(sql, i);
                if (isTriggerWord(sql, i, end)) {
                    return true;
                }
                i = end;
            } else if (cls == TRIGGER) {
                if (c == '@' || startsWithSetOrFlush(sql, i + 1)) {
                    return true;
                }
                i++;
            } else {
                i++;
            }
        }
        return false;
    }

    /** Whether {@code sql} contains {@code word} (upper case) as a whole word, ignoring case; quoting ignored. */
    static boolean containsWord(CharSequence sql, String word) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            if (isWordStart(sql.charAt(i))) {
                int end = wordEnd(sql, i);
                if (matches(sql, i, end, word)) {
                    return true;
                }
                i = end;
            } else {
                i++;
            }
        }
        return false;
    }

    private static boolean isTriggerWord(CharSequence sql, int from, int to) {
        return switch (to - from) {
            case 2 -> matches(sql, from, to, "XA");
            case 4 -> matches(sql, from, to, "LOCK");
            case 6 -> matches(sql, from, to, "UNLOCK");
            case 12 -> matches(sql, from, to, "RELEASE_LOCK");
            case 17 -> matches(sql, from, to, "RELEASE_ALL_LOCKS");
            case 7 -> matches(sql, from, to, "PREPARE") || matches(sql, from, to, "EXECUTE")
                    || matches(sql, from, to, "HANDLER");
            case 8 -> matches(sql, from, to, "GET_LOCK");
            case 9 -> matches(sql, from, to, "TEMPORARY");
            case 10 -> matches(sql, from, to, "FOUND_ROWS") || matches(sql, from, to, "DEALLOCATE");
            case 14 -> matches(sql, from, to, "LAST_INSERT_ID");
            case 19 -> matches(sql, from, to, "SQL_CALC_FOUND_ROWS");
            default -> false;
        };
    }

    /** Whether the first word at or after {@code from}, past whitespace and comments, is SET or FLUSH. */
    private static boolean startsWithSetOrFlush(CharSequence sql, int from) {
        int i = skipTrivia(sql, from);
        if (i >= sql.length() || !isWordStart(sql.charAt(i))) {
            return false;
        }
        int end = wordEnd(sql, i);
        return matches(sql, i, end, "SET") || matches(sql, i, end, "FLUSH");
    }

    /** Skips whitespace, comments and executable-comment openers ({@code /*!50001}, {@code /*M!100100}). */
    private static int skipTrivia(CharSequence sql, int from) {
        int n = sql.length();
        int i = from;
        while (i < n) {
            char c = sql.charAt(i);
            char c1 = i + 1 < n ? sql.charAt(i + 1) : '\0';
            if (c <= ' ') {
                i++;
            } else if (c == '#' || (c == '-' && c1 == '-')) {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && c1 == '*') {
                i = skipCommentOpener(sql, i + 2);
            } else {
                return i;
            }
        }
        return i;
    }

    /** From just after a comment's {@code /*}: past its opener if executable, else past the whole comment. */
    private static int skipCommentOpener(CharSequence sql, int body) {
        int n = sql.length();
        int i = body;
        if (i < n && sql.charAt(i) == 'M') {
            i++;
        }
        if (i < n && sql.charAt(i) == '!') {
            i++;
            while (i < n && sql.charAt(i) >= '0' && sql.charAt(i) <= '9') {
                i++;
            }
            return i;
        }
        for (i = body; i + 1 < n; i++) {
            if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                return i + 2;
            }
        }
        return n;
    }

    private static boolean isWordStart(char c) {
        return c >= 128 || CLASSES[c] == WORD;
    }

    private static int wordEnd(CharSequence sql, int from) {
        int n = sql.length();
        int i = from + 1;
        while (i < n) {
            char c = sql.charAt(i);
            if (c < 128 && (CLASSES[c] & (WORD | DIGIT)) == 0) {
                return i;
            }
            i++;
        }
        return i;
    }

    /** Whether {@code sql[from, to)} equals {@code upper} ignoring ASCII case. */
    private static boolean matches(CharSequence sql, int from, int to, String upper) {
        if (to - from != upper.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = sql.charAt(i);
            char k = upper.charAt(i - from);
            if (c != k && !(c >= 'a' && c <= 'z' && c - ('a' - 'A') == k)) {
                return false;
            }
        }
        return true;
    }
}
