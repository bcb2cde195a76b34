package io.arbor.cli;

import picocli.CommandLine.Parameters;

/** {@code DATABASE NUMBER}, as every command on one deploy request takes them. */
final class DeployRequestRef {
    @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
    String database;
    @Parameters(index = "1", paramLabel = "NUMBER", description = "The deploy request's number.")
    long number;

    /** The API path of this deploy request, then {@code more} segments. */
    String path(ControlClient client, String... more) {
        return client.item(database, "deploy-requests", Long.toString(number), more);
    }

    /** {@code deploy request #3 of app}, for messages. */
    String name() {
        return "deploy request #" + number + " of " + database;
    }

    /** The command on this deploy request, for hints: {@code arbor deploy-request VERB app 3}. */
    String command(String verb) {
        return "arbor deploy-request " + verb + " " + database + " " + number;
    }
}
