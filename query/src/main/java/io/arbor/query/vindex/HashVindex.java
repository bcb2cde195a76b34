package io.arbor.query.vindex;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Vitess's {@code hash}: the keyspace id is the value as an 8-byte big-endian unsigned integer, encrypted with DES
 * under an all-zero key (one ECB block; Vitess once used 3DES, which with a null key is the same function). Unique,
 * cost 1, reversible. The usual primary vindex for an integer key.
 *
 * <p>Takes: a signed integer as its two's complement ({@code -1} is {@code 0xffffffffffffffff}, as Vitess's signed
 * branch does without a check); a {@code BigInteger} in {@code [0, 2^64)}; text or binary holding a non-negative
 * decimal integer. Refuses (no keyspace id, Vitess's {@code DestinationNone}): NULL, negative text, non-integers,
 * text that is not a number ({@code could not parse value: 'aa'}).
 *
 * @param name the vindex's name in the vschema
 */
public record HashVindex(String name) implements FunctionalVindex {
    private static final ThreadLocal<Cipher> DES = ThreadLocal.withInitial(() -> cipher(Cipher.ENCRYPT_MODE));
    private static final ThreadLocal<Cipher> DES_DECRYPT = ThreadLocal.withInitial(() -> cipher(Cipher.DECRYPT_MODE));

    /** Validates. */
    public HashVindex {
        requireNonNull(name, "name is null");
    }

    @Override
    public String type() {
        return "hash";
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
        return kind == ColumnKind.INTEGER;
    }

    @Override
    public String takes() {
        return "integer columns";
    }

    @Override
    public byte[] keyspaceId(Object value) {
        long v = VindexValues.isSigned(value) ? ((Number) value).longValue() : VindexValues.toUint64(value);
        return hash(v);
    }

    /** The keyspace id of an unsigned 64-bit value (given in a {@code long}'s bits). */
    public static byte[] hash(long unsigned) {
        try {
            return DES.get().doFinal(ByteBuffer.allocate(8).putLong(unsigned).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES/ECB/NoPadding failed on one block", e);
        }
    }

    /**
     * The value a keyspace id came from (Vitess's {@code ReverseMap}), as an unsigned 64-bit value in a {@code long}.
     *
     * @throws VindexValueException for an id that is not 8 bytes ({@code invalid keyspace id: <hex>})
     */
    public static long unhash(byte[] keyspaceId) {
        if (keyspaceId.length != 8) {
            throw new VindexValueException("invalid keyspace id: " + HexFormat.of().formatHex(keyspaceId));
        }
        try {
            return ByteBuffer.wrap(DES_DECRYPT.get().doFinal(keyspaceId)).getLong();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES/ECB/NoPadding failed on one block", e);
        }
    }

    private static Cipher cipher(int mode) {
        try {
            Cipher c = Cipher.getInstance("DES/ECB/NoPadding");
            c.init(mode, new SecretKeySpec(new byte[8], "DES"));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no DES/ECB/NoPadding, which the hash vindex needs", e);
        }
    }
}
