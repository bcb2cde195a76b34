package io.arbor.query.vindex;

/**
 * A value that a vindex cannot map to a keyspace id (a non-numeric string for {@code hash}, invalid UTF-8 for
 * {@code unicode_loose_md5}). The message is Vitess's where it has one ({@code could not parse value: 'aa'}).
 */
public final class VindexValueException extends IllegalArgumentException {
    /** A value refused for the reason the message gives. */
    public VindexValueException(String message) {
        super(message);
    }
}
