package io.arbor.sql;

import java.util.Locale;

/**
 * How the server will read a session's SQL text, which the gateway must read the same way: whether a
 * backslash escapes in strings ({@code sql_mode} without {@code NO_BACKSLASH_ESCAPES}), whether {@code "}
 * quotes an identifier ({@code ANSI_QUOTES}), and whether the client character set has multibyte characters
 * whose second byte can be an ASCII quote or backslash (big5, gbk, sjis, cp932). A lexer that got any of these
 * wrong would see a string end where the server does not, and a clever text would hide a statement from the
 * guard rails or have a rewrite change text inside a user's string.
 *
 * <p>Texts are lexed as bytes (ISO-8859-1 chars 0-255), exactly as sent to MariaDB, so that a multibyte
 * character's bytes can be told apart from ASCII.
 *
 * @param backslashEscapes a backslash in a string escapes the next character
 * @param ansiQuotes       {@code "..."} is an identifier, not a string
 * @param multibyte        the client charset's multibyte scheme, {@link Multibyte#NONE} for single-byte and UTF-8
 */
public record LexMode(boolean backslashEscapes, boolean ansiQuotes, Multibyte multibyte) {
    /** MariaDB's default: backslash escapes, {@code "} quotes strings, utf8mb4. */
    public static final LexMode DEFAULT = new LexMode(true, false, Multibyte.NONE);

    /** Validates. */
    public LexMode {
        java.util.Objects.requireNonNull(multibyte, "multibyte is null");
    }

    /**
     * Character sets whose multibyte characters may have an ASCII second byte, by their lead and trail byte
     * ranges (as MySQL's {@code ismbchar} functions define them). Every other charset MariaDB accepts from a
     * client (latin1, utf8, utf8mb4, euckr, ujis, gb2312, ...) has trail bytes of 0x80 and up only, so a
     * byte-wise lexer reads it right.
     */
    public enum Multibyte {
        /** No multibyte character with an ASCII trail byte. */
        NONE(0, 0, 0, 0, 0, 0, 0, 0),
        /** big5: lead 0xA1-0xF9, trail 0x40-0x7E or 0xA1-0xFE. */
        BIG5(0xA1, 0xF9, 0, 0, 0x40, 0x7E, 0xA1, 0xFE),
        /** gbk: lead 0x81-0xFE, trail 0x40-0x7E or 0x80-0xFE. */
        GBK(0x81, 0xFE, 0, 0, 0x40, 0x7E, 0x80, 0xFE),
        /** sjis and cp932: lead 0x81-0x9F or 0xE0-0xFC, trail 0x40-0x7E or 0x80-0xFC. */
        SJIS(0x81, 0x9F, 0xE0, 0xFC, 0x40, 0x7E, 0x80, 0xFC);

        private final int lead1From;
        private final int lead1To;
        private final int lead2From;
        private final int lead2To;
        private final int trail1From;
        private final int trail1To;
        private final int trail2From;
        private final int trail2To;

        Multibyte(int lead1From, int lead1To, int lead2From, int lead2To, int trail1From, int trail1To, int trail2From,
                  int trail2To) {
            this.lead1From = lead1From;
            this.lead1To = lead1To;
            this.lead2From = lead2From;
            this.lead2To = lead2To;
            this.trail1From = trail1From;
            this.trail1To = trail1To;
            this.trail2From = trail2From;
            this.trail2To = trail2To;
        }

        /** Whether bytes {@code lead}, {@code trail} form one character (so {@code trail} is not ASCII there). */
        public boolean isPair(char lead, char trail) {
            if (this == NONE) {
                return false;
            }
            boolean l = lead >= lead1From && lead <= lead1To || lead >= lead2From && lead <= lead2To;
            return l && (trail >= trail1From && trail <= trail1To || trail >= trail2From && trail <= trail2To);
        }

        /** The scheme of a MariaDB character set name ({@code gbk}, {@code cp932}...); NONE for the others. */
        public static Multibyte of(String charset) {
            if (charset == null) {
                return NONE;
            }
            return switch (charset.toLowerCase(Locale.ROOT)) {
                case "big5" -> BIG5;
                case "gbk" -> GBK;
                case "sjis", "cp932" -> SJIS;
                default -> NONE;
            };
        }
    }

    /** A mode for backslash escapes on or off, otherwise the default (tests, and callers that know no more). */
    public static LexMode of(boolean backslashEscapes) {
        return backslashEscapes ? DEFAULT : new LexMode(false, false, Multibyte.NONE);
    }

    /**
     * The mode of a session from its {@code @@sql_mode} and {@code @@character_set_client} as MariaDB reports them
     * (either may be an SQL literal, quoted, or null for the server default).
     */
    public static LexMode of(String sqlMode, String characterSetClient) {
        String mode = unquote(sqlMode);
        String charset = unquote(characterSetClient);
        boolean noBackslash = mode != null && hasFlag(mode, "NO_BACKSLASH_ESCAPES");
        boolean ansi = mode != null && (hasFlag(mode, "ANSI_QUOTES") || hasFlag(mode, "ANSI"));
        Multibyte mb = Multibyte.of(charset);
        if (!noBackslash && !ansi && mb == Multibyte.NONE) {
            return DEFAULT;
        }
        return new LexMode(!noBackslash, ansi, mb);
    }

    /** Whether the comma-separated {@code sql_mode} value holds {@code flag} (case-insensitive). */
    static boolean hasFlag(String sqlMode, String flag) {
        for (String part : sqlMode.split(",")) {
            if (part.trim().equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String literal) {
        if (literal == null) {
            return null;
        }
        String s = literal.trim();
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
