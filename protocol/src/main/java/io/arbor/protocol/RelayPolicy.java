package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

/**
 * What the product changes in a response it relays; the relay frames and forwards, the policy decides: a row limit,
 * column definitions rewritten in place (MariaDB's JSON columns typed as MySQL's), the statement id a prepare's
 * answer carries, and how a server error reads. Called on the backend's event loop, once per packet concerned.
 */
public interface RelayPolicy {
    /** Changes nothing. */
    RelayPolicy NONE = new RelayPolicy() {};

    /** Rows a result set may have before the client gets {@link #tooManyRows} and the rest is drained (0: no limit). */
    default long maxRows() {
        return 0;
    }

    /** The error a client gets after {@code max} rows. */
    default MySqlException tooManyRows(long max) {
        return MySqlError.ER_TOO_MANY_ROWS.exception(max);
    }

    /** A column or parameter definition on its way, to rewrite in place ({@code extendedMetadata}: it carries MariaDB's). */
    default void definition(ByteBuf definition, boolean extendedMetadata) {}

    /** The statement id a prepare's answer carries to the client, for the backend's {@code backendId}. */
    default int statementId(int backendId) {
        return backendId;
    }

    /**
     * A server error on its way: the same payload, or another one that replaces it (then this releases {@code err}).
     */
    default ByteBuf error(ByteBuf err) {
        return err;
    }
}
