package io.arbor.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the commands that talk to a running local cluster read of its {@code DIR/cluster.json}: the gateway's MySQL
 * address, the operator's credential and the branches that have tablets. {@code arbor up} writes the file once the
 * cluster serves and deletes it when it stops, so a missing file means no cluster runs on that data dir.
 *
 * @param file     the file read
 * @param host     the gateway's MySQL host
 * @param port     the gateway's MySQL port
 * @param user     the operator's user ({@code root}), whose sessions run on {@code database}'s main branch
 * @param password its password
 * @param database the database the operator's credential opens
 * @param branches the branches with a tablet, as {@code database/branch}
 */
public record ClusterFile(Path file, String host, int port, String user, String password, String database,
                          Set<String> branches) {
    /** The branch the operator's credential runs on ({@code arbor up} creates root's password there). */
    static final String OPERATOR_BRANCH = "main";

    public ClusterFile {
        requireNonNull(file, "file is null");
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(database, "database is null");
        branches = Set.copyOf(branches);
    }

    /** Reads {@code dataDir/cluster.json}; fails with what to do when no cluster runs there. */
    public static ClusterFile read(Path dataDir) {
        Path file = dataDir.resolve("cluster.json").toAbsolutePath();
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new CommandFailure("no cluster is running on " + dataDir.toAbsolutePath() + " (there is no " + file
                    + "): start one with `./arbor up --data-dir " + dataDir + "`, or pass the --data-dir it runs on");
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode mysql = json.path("mysql");
        if (!mysql.path("port").isInt() || !json.path("user").isTextual() || !json.path("password").isTextual()) {
            throw new CommandFailure(file + " lacks the gateway's address or credential (mysql.port, user, password)");
        }
        Set<String> branches = new LinkedHashSet<>();
        for (JsonNode tablet : json.path("tablets")) {
            branches.add(tablet.path("database").asText() + "/" + tablet.path("branch").asText());
        }
        return new ClusterFile(file, mysql.path("host").asText("127.0.0.1"), mysql.path("port").asInt(),
                json.path("user").asText(), json.path("password").asText(), json.path("database").asText(), branches);
    }

    /**
     * The login for {@code database/branch}: {@code user}/{@code password} when given, else the operator's, which
     * opens its own database's main branch only.
     */
    public GatewayLogin login(String database, String branch, String user, String password) {
        String where = database + "/" + branch;
        if (!branches.isEmpty() && !branches.contains(where)) {
            throw new CommandFailure("there is no branch " + where + " in the cluster of " + file + " (it has "
                    + String.join(", ", new TreeSet<>(branches)) + ")");
        }
        if (user != null) {
            if (password == null) {
                throw new CommandFailure("--user " + user + " needs its password: pass --password or set ARBOR_PASSWORD");
            }
            return new GatewayLogin(host, port, user, password, database, branch);
        }
        if (!database.equals(this.database) || !branch.equals(OPERATOR_BRANCH)) {
            throw new CommandFailure(file + " holds a password for " + this.database + "/" + OPERATOR_BRANCH
                    + " only: for " + where + " pass --user and --password (or ARBOR_PASSWORD) of a password on that branch");
        }
        return new GatewayLogin(host, port, this.user, this.password, database, branch);
    }

    /**
     * How to log in to the gateway for one branch: the credential picks the branch, the database is the one the
     * session starts in.
     */
    public record GatewayLogin(String host, int port, String user, String password, String database, String branch) {
        public GatewayLogin {
            requireNonNull(host, "host is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
            requireNonNull(database, "database is null");
            requireNonNull(branch, "branch is null");
        }

        /** {@code database/branch}, as messages name a branch. */
        public String where() {
            return database + "/" + branch;
        }

        @Override
        public String toString() {
            return "GatewayLogin[" + user + "@" + host + ":" + port + " " + where() + "]"; // never the password
        }
    }
}
