package io.arbor.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * The arguments of the commands that work on one branch of a running cluster: {@code DATABASE BRANCH}, the data
 * dir whose {@code cluster.json} says where the gateway listens, and a credential for branches other than the
 * operator's own.
 */
final class BranchArgs {
    @Parameters(index = "0", paramLabel = "DATABASE", description = "The database, e.g. app.")
    String database;

    @Parameters(index = "1", paramLabel = "BRANCH", description = "The branch, e.g. main.")
    String branch;

    @Option(names = "--data-dir", defaultValue = "arbor-data",
            description = "The data dir of the running cluster (`arbor up --data-dir`), whose cluster.json says where the gateway"
                    + " listens (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--user", description = "Log in as this user (a password on DATABASE/BRANCH); default: the operator's"
            + " credential in cluster.json, which opens its database's main branch.")
    String user;

    @Option(names = "--password", defaultValue = "${env:ARBOR_PASSWORD}", description = "The password of --user"
            + " (default: the ARBOR_PASSWORD environment variable).")
    String password;

    /** Connects to the gateway as this branch's credential. */
    MigrationClient connect() {
        ClusterFile cluster = ClusterFile.read(dataDir);
        return MigrationClient.connect(cluster.login(database, branch, user, password == null || password.isEmpty() ? null : password));
    }

    /** The command on this branch, for hints: {@code arbor migration VERB app main UUID [--data-dir DIR]}. */
    String command(String verb, String uuid) {
        String dir = dataDir.toString().equals("arbor-data") ? "" : " --data-dir " + dataDir;
        return "arbor migration " + verb + " " + database + " " + branch + (uuid == null ? "" : " " + uuid) + dir;
    }
}
