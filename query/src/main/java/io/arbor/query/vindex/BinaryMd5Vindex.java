package io.arbor.query.vindex;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static java.util.Objects.requireNonNull;

/**
 * Vitess's {@code binary_md5}: the keyspace id is the MD5 of the value's bytes (Vitess's {@code ToBytes}, see
 * {@link XxhashVindex}), case- and accent-sensitive, unlike {@code unicode_loose_md5}. Unique, cost 1.
 *
 * @param name the vindex's name in the vschema
 */
public record BinaryMd5Vindex(String name) implements FunctionalVindex {
    /** Validates. */
    public BinaryMd5Vindex {
        requireNonNull(name, "name is null");
    }

    @Override
    public String type() {
        return "binary_md5";
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
    public byte[] keyspaceId(Object value) {
        return md5(VindexValues.bytes(value));
    }

    static byte[] md5(byte[] in) {
        try {
            return MessageDigest.getInstance("MD5").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
