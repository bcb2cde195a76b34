package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

/**
 * What the consumer of a backend response may know of and do with the connection producing it: how it frames
 * results, backpressure, and the client's file data for a LOAD DATA LOCAL. Lets the gateway relay a response
 * without holding the backend connection itself, which only the tablet does.
 */
public interface ResponseSource {
    /** Whether the backend ends result sets with an OK packet (CLIENT_DEPRECATE_EOF) rather than EOF. */
    boolean deprecateEof();

    /** Whether column definitions carry MariaDB's extended metadata. */
    boolean extendedMetadata();

    /** Stops (false) or resumes (true) reading the response: backpressure from a slow client. */
    void setAutoRead(boolean autoRead);

    /** Sends a packet that continues the running command (LOAD DATA LOCAL file data), with the client's sequence id. */
    void sendContinuation(int seq, ByteBuf payload);
}
