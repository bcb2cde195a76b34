package io.arbor.sql.schema;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A character set and one of its collations, as a text column or a table default holds them. */
public record Collation(String charset, String name) {

    /** MariaDB 10.11's default collation of each character set, for texts that name only the character set. */
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("armscii8", "armscii8_general_ci"), Map.entry("ascii", "ascii_general_ci"),
            Map.entry("big5", "big5_chinese_ci"), Map.entry("binary", "binary"),
            Map.entry("cp1250", "cp1250_general_ci"), Map.entry("cp1251", "cp1251_general_ci"),
            Map.entry("cp1256", "cp1256_general_ci"), Map.entry("cp1257", "cp1257_general_ci"),
            Map.entry("cp850", "cp850_general_ci"), Map.entry("cp852", "cp852_general_ci"),
            Map.entry("cp866", "cp866_general_ci"), Map.entry("cp932", "cp932_japanese_ci"),
            Map.entry("dec8", "dec8_swedish_ci"), Map.entry("eucjpms", "eucjpms_japanese_ci"),
            Map.entry("euckr", "euckr_korean_ci"), Map.entry("gb2312", "gb2312_chinese_ci"),
            Map.entry("gbk", "gbk_chinese_ci"), Map.entry("geostd8", "geostd8_general_ci"),
            Map.entry("greek", "greek_general_ci"), Map.entry("hebrew", "hebrew_general_ci"),
            Map.entry("hp8", "hp8_english_ci"), Map.entry("keybcs2", "keybcs2_general_ci"),
            Map.entry("koi8r", "koi8r_general_ci"), Map.entry("koi8u", "koi8u_general_ci"),
            Map.entry("latin1", "latin1_swedish_ci"), Map.entry("latin2", "latin2_general_ci"),
            Map.entry("latin5", "latin5_turkish_ci"), Map.entry("latin7", "latin7_general_ci"),
            Map.entry("macce", "macce_general_ci"), Map.entry("macroman", "macroman_general_ci"),
            Map.entry("sjis", "sjis_japanese_ci"), Map.entry("swe7", "swe7_swedish_ci"),
            Map.entry("tis620", "tis620_thai_ci"), Map.entry("ucs2", "ucs2_general_ci"),
            Map.entry("ujis", "ujis_japanese_ci"), Map.entry("utf16", "utf16_general_ci"),
            Map.entry("utf16le", "utf16le_general_ci"), Map.entry("utf32", "utf32_general_ci"),
            Map.entry("utf8mb3", "utf8mb3_general_ci"), Map.entry("utf8mb4", "utf8mb4_general_ci"));

    public Collation {
        requireNonNull(charset, "charset is null");
        requireNonNull(name, "name is null");
    }

    /**
     * The collation from what a text names: both, only the character set (its default collation), or only the
     * collation (its character set is the collation's prefix, as in all of MariaDB's collation names).
     */
    public static Collation of(String charset, String collation) {
        String cs = charset == null ? null : charset.toLowerCase(java.util.Locale.ROOT);
        String co = collation == null ? null : collation.toLowerCase(java.util.Locale.ROOT);
        if ("utf8".equals(cs)) {
            cs = "utf8mb3"; // MariaDB's alias under the default old_mode
        }
        if (co != null && co.startsWith("utf8_")) {
            co = "utf8mb3_" + co.substring("utf8_".length());
        }
        if (co == null) {
            co = DEFAULTS.get(requireNonNull(cs, "neither character set nor collation"));
            if (co == null) {
                throw new SchemaException("unknown character set " + charset);
            }
        }
        if (cs == null) {
            int underscore = co.indexOf('_');
            cs = underscore < 0 ? co : co.substring(0, underscore);
        }
        return new Collation(cs, co);
    }

    /** {@code CHARACTER SET cs COLLATE co}, as SHOW CREATE TABLE prints it on a column. */
    public String columnClause() {
        return "CHARACTER SET " + charset + " COLLATE " + name;
    }
}
