package io.arbor.tablet;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;

/**
 * A command a tablet is running for a session: its reply, and what the session may do while it runs.
 * {@link #killQuery()} may be called from any thread; the others from the session's.
 */
public interface Execution {
    /** Completes (on a backend thread) when the command and everything the tablet does around it are done. */
    CompletableFuture<ExecuteReply> reply();

    /**
     * Stops the command's statement on MariaDB if it still runs (from the tablet's admin pool; MariaDB kills by
     * connection, so this checks just before that the connection still runs this command).
     */
    CompletableFuture<Void> killQuery();

    /** The client can take more of the response again: resume reading it from the backend. */
    void resumeReading();

    /**
     * LOAD DATA LOCAL: the server asked for the client's file, and this packet of it goes on to the server.
     * Returns false (and leaves the packet to the caller) when no file is being sent.
     */
    boolean sendFileData(int seq, ByteBuf payload);
}
