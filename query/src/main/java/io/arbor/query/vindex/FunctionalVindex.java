package io.arbor.query.vindex;

/**
 * A vindex that computes the keyspace id from the value alone, with no table to read: the same value lands on the
 * same shard as in Vitess, bit for bit.
 *
 * <p>Values are Java objects as the gateway has them from SQL literals and bind variables: {@code null} (SQL NULL),
 * {@link Long} / {@link Integer} / {@link Short} / {@link Byte} (signed integers), {@link java.math.BigInteger}
 * (integers beyond {@code Long}, i.e. unsigned 64-bit ones), {@link java.math.BigDecimal} (decimal literals),
 * {@link String} (text, UTF-8 on the wire) and {@code byte[]} (binary strings). Each implementation says what it
 * makes of each. Any other type is a caller's bug: {@link IllegalArgumentException}.
 */
public sealed interface FunctionalVindex extends Vindex
        permits HashVindex, XxhashVindex, NumericVindex, UnicodeLooseVindex, BinaryVindex, BinaryMd5Vindex {
    /**
     * The keyspace id of {@code value}.
     *
     * @throws VindexValueException when the value has no keyspace id under this vindex ({@code 'aa'} for
     *         {@code hash}, say). Vitess's {@code Map} sends such a value nowhere ({@code DestinationNone}): a
     *         {@code WHERE id = 'aa'} reads no shard, an {@code INSERT} fails; the planner is to do the same
     */
    byte[] keyspaceId(Object value);
}
