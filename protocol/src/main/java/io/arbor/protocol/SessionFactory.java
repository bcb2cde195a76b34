package io.arbor.protocol;

import java.util.concurrent.CompletionStage;

/** What the protocol server asks of the product: who may log in, and a command handler for each login. */
public interface SessionFactory {
    /** The user's password hashes, or null for an unknown user. */
    UserCredentials credentials(String user);

    /**
     * Opens a session for an authenticated client; completes exceptionally with a {@link MySqlException}
     * (e.g. unknown database) to refuse the login.
     */
    CompletionStage<CommandHandler> open(ClientConnection client, HandshakeResponse login);
}
