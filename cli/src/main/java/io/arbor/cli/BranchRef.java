package io.arbor.cli;

import picocli.CommandLine.Parameters;

/** {@code DATABASE BRANCH}, as every command on one branch of the control plane takes them. */
final class BranchRef {
    @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
    String database;
    @Parameters(index = "1", paramLabel = "BRANCH", description = "The branch.")
    String branch;

    /** The API path of this branch, then {@code more} segments: {@code .../databases/DB/branches/B/more...}. */
    String path(ControlClient client, String... more) {
        return client.item(database, "branches", branch, more);
    }

    /** {@code db/branch}, for messages. */
    String name() {
        return database + "/" + branch;
    }
}
