package io.arbor.sql.schema;

/** Backtick quoting of identifiers, as SHOW CREATE TABLE prints them. */
final class Names {
    private Names() {}

    static String quote(String name) {
        return '`' + name.replace("`", "``") + '`';
    }

    static String unquote(String token) {
        if (token.length() >= 2 && token.charAt(0) == '`') {
            return token.substring(1, token.length() - 1).replace("``", "`");
        }
        return token;
    }
}
