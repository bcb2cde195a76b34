package io.arbor.tablet;

import io.netty.buffer.CompositeByteBuf;

import java.util.Map;

/**
 * A client's prepared statement as the gateway keeps it under its own id, and as the tablet needs it to run a
 * COM_STMT_EXECUTE on whichever backend connection serves it: prepared there lazily by its text, the parameter
 * types the client sent once replayed on every EXECUTE, and long data buffered until then.
 */
public interface PreparedText {
    /** The text, as prepared. */
    String sql();

    /** The number of parameters. */
    int params();

    /** The key of this statement in a backend connection's cache: the text and what its parse depends on. */
    String cacheKey(SessionSettings settings);

    /** The parameter types last bound (two bytes each), or null while the client never sent them. */
    byte[] types();

    /** Records the parameter types an EXECUTE bound. */
    void types(byte[] types);

    /** Long data sent for parameters since the last EXECUTE, by parameter index. */
    Map<Integer, CompositeByteBuf> longData();

    /** Releases the long data (after an EXECUTE, or COM_STMT_RESET). */
    void clearLongData();
}
