package io.arbor.sql.lint;

import io.arbor.sql.LexMode;
import io.arbor.sql.Literals;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import io.arbor.sql.schema.Collation;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The members of an ENUM or SET type as {@code SHOW CREATE TABLE} prints them ({@code enum('a','it''s')}), and when
 * MariaDB 10.11 takes two of them for one.
 *
 * <p>MariaDB strips trailing spaces from the members when it makes the column (unless the character set is
 * {@code binary}), so {@code 'a'} and {@code 'a '} are one member even under a NO PAD collation. Under a {@code _ci}
 * collation it compares them as the collation does: {@code 'a'} equals {@code 'A'}, and but for the accent-sensitive
 * {@code _as_ci} ones also {@code 'é'} equals {@code 'e'}. A real server refuses such a column in strict mode and
 * only notes it otherwise, which is how one gets into a schema. The fold here is the primary level of the general
 * and unicode collations: case (and accents) off, one character for one, so {@code 'ß'} stays apart from
 * {@code 'ss'} as {@code general_ci} keeps it; a language-tailored or expanding collation may merge a few more.
 */
final class EnumValues {
    private EnumValues() {}

    /** The members of {@code type} if it is an ENUM or SET, in order; empty otherwise. */
    static List<String> of(String type) {
        int open = type.indexOf('(');
        if (open < 0) {
            return List.of();
        }
        SqlLexer lexer = new SqlLexer(type.substring(open));
        List<String> values = new ArrayList<>();
        while (lexer.next() != TokenType.EOF) {
            if (lexer.type() == TokenType.STRING) {
                values.add(Literals.value(lexer.sql(), lexer.start(), lexer.end(), LexMode.DEFAULT));
            }
        }
        return values;
    }

    /** Two members of {@code values}, the earlier one first, that MariaDB takes for one. */
    record Duplicate(String first, String second) {}

    /** The first member of {@code values} that repeats an earlier one under {@code collation}, with that one. */
    static Optional<Duplicate> firstDuplicate(List<String> values, Collation collation) {
        List<String> seen = new ArrayList<>();
        for (String value : values) {
            String key = key(value, collation);
            int at = seen.indexOf(key);
            if (at >= 0) {
                return Optional.of(new Duplicate(values.get(at), value));
            }
            seen.add(key);
        }
        return Optional.empty();
    }

    /** What MariaDB compares of a member under {@code collation} (null: a binary string type). */
    static String key(String value, Collation collation) {
        if (collation == null || collation.charset().equals("binary")) {
            return value;
        }
        String stripped = value.replaceFirst(" +$", "");
        if (!collation.name().endsWith("_ci")) {
            return stripped;
        }
        String decomposed = collation.name().contains("_as_") // accent-sensitive (the uca1400 _as_ci ones)
                ? Normalizer.normalize(stripped, Normalizer.Form.NFC)
                : Normalizer.normalize(stripped, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        StringBuilder folded = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> folded.appendCodePoint(Character.toUpperCase(cp)));
        return folded.toString();
    }
}
