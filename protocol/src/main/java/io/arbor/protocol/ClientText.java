package io.arbor.protocol;

/**
 * Text a client chose (user and database names, hosts, plugin names, HTTP paths) made safe to repeat in a log
 * line or an error message: control characters are escaped ({@code \n}, {@code \xNN}), so a name cannot forge
 * a log line, and the result is cut to {@value #MAX} characters plus "...", so a 100 KB name costs nothing to
 * log. Only a prefix of the input is ever read. Use it wherever such text is logged or put into an error; the
 * escaped form is for people, never a key (look users up by the raw name).
 */
public final class ClientText {
    /** Characters of escaped text kept before "...". */
    public static final int MAX = 80;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ClientText() {}

    /** {@code text} escaped and truncated to {@value #MAX} characters; "null" for null. */
    public static String of(String text) {
        return of(text, MAX);
    }

    /** {@code text} escaped and truncated to {@code max} characters (longer texts, such as exception messages). */
    public static String of(String text, int max) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= max && isPlain(text)) {
            return text; // the usual case: no copy
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= max) {
                return out.append("...").toString();
            }
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        out.append("\\x").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else if (c == '\u2028' || c == '\u2029' || Character.isSurrogate(c) && !validPair(text, i)) {
                        // line separators some log viewers honour, and lone surrogates (not text at all)
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)) {
                        out.append(c).append(text.charAt(++i)); // keep a pair whole, never cut between its halves
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '\\' || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!validPair(text, i)) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private static boolean validPair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
