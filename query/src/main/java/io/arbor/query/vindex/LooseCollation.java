package io.arbor.query.vindex;

import java.io.ByteArrayOutputStream;
import java.text.Normalizer;
import java.util.Map;

/**
 * The text normalization of Vitess's {@code unicode_loose_*} vindexes: a string's UCA level-1 (primary) collation
 * key, so that case and accents do not change the keyspace id ({@code Test}, {@code TEST}, {@code Tést} share one).
 *
 * <p>Vitess computes the key with its frozen copy of Go's {@code golang.org/x/text/collate} (English, {@code Loose}:
 * ignore case, diacritics and width), after refusing invalid UTF-8 and trimming trailing spaces (MySQL ignores
 * them). The key is the sequence of the characters' primary weights from the DUCET tables of that library
 * (Unicode 6.x), two bytes each, big-endian; accents are primary-ignorable and add nothing.
 *
 * <p><b>Difference from Vitess, on purpose:</b> Arbor does not carry the full DUCET table yet. It decomposes (NFD),
 * drops the combining diacritics (U+0300..U+036F), folds case, and knows the primary weights only of the characters
 * below, each checked against Vitess's own test vectors or a DUCET 6 table: the letters a..l, n, o, s, t (either
 * case, with any diacritic), the space and the tab. Any other character is refused with an error that names it,
 * rather than hashed to a shard that Vitess would not pick. Extending the table is data only.
 */
final class LooseCollation {
    /** Primary weights by (lower-case, undecorated) code point. */
    private static final Map<Integer, Integer> PRIMARY = Map.ofEntries(
            Map.entry((int) '\t', 0x0100), Map.entry((int) ' ', 0x0109),
            Map.entry((int) 'a', 0x15EF), Map.entry((int) 'b', 0x1605), Map.entry((int) 'c', 0x161D),
            Map.entry((int) 'd', 0x1631), Map.entry((int) 'e', 0x164C), Map.entry((int) 'f', 0x1684),
            Map.entry((int) 'g', 0x1691), Map.entry((int) 'h', 0x16B4), Map.entry((int) 'i', 0x16CD),
            Map.entry((int) 'j', 0x16E6), Map.entry((int) 'k', 0x16FF), Map.entry((int) 'l', 0x1711),
            Map.entry((int) 'n', 0x174F), Map.entry((int) 'o', 0x1771), Map.entry((int) 's', 0x17F3),
            Map.entry((int) 't', 0x1816));

    private LooseCollation() {
    }

    /**
     * The primary collation key of {@code text} after Vitess's trailing-space trim.
     *
     * @throws VindexValueException naming the first character whose weight Arbor does not know yet
     */
    static byte[] key(String text, String vindexType) {
        String trimmed = text.replaceFirst(" +$", "");
        String decomposed = Normalizer.normalize(trimmed, Normalizer.Form.NFD);
        ByteArrayOutputStream key = new ByteArrayOutputStream(decomposed.length() * 2);
        decomposed.codePoints().forEach(cp -> {
            if (cp >= 0x0300 && cp <= 0x036F) {
                return;
            }
            Integer weight = PRIMARY.get(Character.toLowerCase(cp));
            if (weight == null) {
                throw new VindexValueException(vindexType + " cannot map '" + Character.toString(cp) + "' (U+"
                        + String.format("%04X", cp) + ") yet: Arbor knows the collation weights of a-l, n, o, s, t,"
                        + " space and tab only, and refuses rather than pick a shard Vitess would not");
            }
            key.write(weight >>> 8);
            key.write(weight & 0xFF);
        });
        return key.toByteArray();
    }
}
