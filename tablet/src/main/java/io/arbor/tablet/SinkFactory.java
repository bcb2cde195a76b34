package io.arbor.tablet;

import io.arbor.protocol.ResponseHandler;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseSource;

/**
 * Makes the handler a command's response goes to, once the tablet has chosen the backend connection: a relay to a
 * MySQL client, or a collector for the HTTP API. The handler tells {@code listener} when the response is over.
 */
@FunctionalInterface
public interface SinkFactory {
    ResponseHandler create(ResponseSource source, ResponseRelay.Listener listener);

    /**
     * The event loop the sink lives on, or null: a connection on the same loop is preferred (in process, the
     * response then never changes threads on its way to the client).
     */
    default io.netty.channel.EventLoop loop() {
        return null;
    }
}
