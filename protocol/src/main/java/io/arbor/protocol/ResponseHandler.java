package io.arbor.protocol;

/** Receives the packets of one response from a backend connection, in order. */
public interface ResponseHandler {
    /** One packet (owned by the handler); returns true when it was the last one of the response. */
    boolean onPacket(Packet packet);

    /** The backend's current read burst is over: a good moment to flush what was forwarded. */
    default void onReadComplete() {}

    /** The connection broke before the response was complete. */
    void onFailure(Throwable cause);
}
