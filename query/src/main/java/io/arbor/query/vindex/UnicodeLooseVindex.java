package io.arbor.query.vindex;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Vitess's {@code unicode_loose_md5} and {@code unicode_loose_xxhash}: the keyspace id is the MD5 (16 bytes) or the
 * XXH64 (8 bytes, little-endian) of the value's loose collation key ({@link LooseCollation}: case, accents and
 * trailing spaces do not count), for text keys compared case-insensitively, as in a {@code utf8mb4_*_ci} column.
 * Unique, cost 1; fits text columns.
 *
 * <p>Takes text, binary that is valid UTF-8, numbers (their decimal text) and NULL (no bytes: the key of the empty
 * string, as in Vitess). Refuses invalid UTF-8 (Vitess's {@code cannot normalize string containing invalid UTF-8})
 * and, for now, characters outside {@link LooseCollation}'s table.
 *
 * @param name the vindex's name in the vschema
 * @param hash which digest of the key
 */
public record UnicodeLooseVindex(String name, Digest hash) implements FunctionalVindex {
    /** The digest taken of the collation key. */
    public enum Digest {
        /** {@code unicode_loose_md5}. */
        MD5("unicode_loose_md5"),
        /** {@code unicode_loose_xxhash}. */
        XXHASH("unicode_loose_xxhash");

        private final String type;

        Digest(String type) {
            this.type = type;
        }
    }

    /** Validates. */
    public UnicodeLooseVindex {
        requireNonNull(name, "name is null");
        requireNonNull(hash, "hash is null");
    }

    @Override
    public String type() {
        return hash.type;
    }

    @Override
    public boolean unique() {
        return true;
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public boolean fits(ColumnKind kind) {
        return kind == ColumnKind.TEXT;
    }

    @Override
    public String takes() {
        return "text columns (CHAR, VARCHAR, TEXT)";
    }

    @Override
    public byte[] keyspaceId(Object value) {
        byte[] key = LooseCollation.key(text(VindexValues.bytes(value)), type());
        return hash == Digest.MD5 ? BinaryMd5Vindex.md5(key) : XxHash64.littleEndian(XxHash64.hash(key));
    }

    private static String text(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new VindexValueException("cannot normalize string containing invalid UTF-8: 0x"
                    + HexFormat.of().formatHex(utf8));
        }
    }
}
