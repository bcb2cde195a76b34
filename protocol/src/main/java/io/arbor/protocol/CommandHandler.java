package io.arbor.protocol;

import java.util.concurrent.CompletionStage;

/**
 * The product's side of one client connection, after login. The protocol server hands it one command packet at a
 * time; the handler answers, through a sink of its own or by the {@link CommandReply} its completion carries, which
 * the connection writes before it takes the next command. No handler has to remember to say it is done.
 */
public interface CommandHandler {
    /**
     * A command packet (sequence id 0); the handler owns the packet. Called on the connection's event loop; the
     * completion may come on any thread. A {@link MySqlException}, thrown or failing the completion, is answered as
     * an ERR.
     */
    CompletionStage<CommandReply> onCommand(Packet command);

    /**
     * A packet that arrived while a command is running. Usually the client pipelines its next command, which
     * then waits in the queue (return false); a handler that relays LOAD DATA LOCAL file data takes it
     * (return true, owning the packet).
     */
    default boolean onData(Packet packet) {
        return false;
    }

    /** The client channel can take more data again (after {@link ClientConnection#isWritable()} was false). */
    default void onWritable() {}

    /** The client is gone (quit, closed, or broken); release everything held for it. */
    void onClose();
}
