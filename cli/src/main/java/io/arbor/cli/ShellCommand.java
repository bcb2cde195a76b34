package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code arbor shell DATABASE BRANCH}: a {@code mysql} session on a branch ({@code pscale shell}). It makes a password
 * that lives an hour, runs the client on it with this terminal, and deletes the password when the client exits.
 * The password travels in {@code MYSQL_PWD}, not on the command line, where {@code ps} would show it.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"Open a MySQL shell (the mysql or mariadb client) on a branch.",
                "It creates a password shell-<random> (ttl 1h) on the branch and deletes it when the client exits."},
        footer = {"", "Exit status: the client's; 1 when no mysql/mariadb client is installed or the control plane"
                + " refused; 2 wrong usage."})
final class ShellCommand extends ControlCall {
    static final Duration TTL = Duration.ofHours(1);
    /** The clients it looks for on the PATH, in this order. */
    static final List<String> CLIENTS = List.of("mysql", "mariadb");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Mixin
    BranchRef where;
    @Option(names = "--role", defaultValue = "admin",
            description = "The password's role: " + PasswordCommand.ROLES + "; default: ${DEFAULT-VALUE}.")
    String role;

    private final ProcessLauncher launcher;

    ShellCommand() {
        this(ProcessLauncher.SYSTEM);
    }

    ShellCommand(ProcessLauncher launcher) {
        this.launcher = requireNonNull(launcher, "launcher is null");
    }

    @Override
    int run(ControlClient client) {
        Path mysql = CLIENTS.stream().map(launcher::find).flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> new CommandFailure("arbor shell runs the mysql client, and neither `mysql` nor `mariadb`"
                        + " is on the PATH: install one (e.g. apt-get install mariadb-client), or connect with the"
                        + " credentials of `arbor password create`"));
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String name = "shell-" + HexFormat.of().formatHex(random);
        JsonNode password = client.post(where.path(client, "passwords"), PasswordCommand.body(name, role, TTL));
        String id = password.path("id").asText();
        try {
            return launcher.run(command(mysql, password), Map.of("MYSQL_PWD", password.path("plain_text").asText()));
        } catch (IOException e) {
            throw new CommandFailure("cannot run " + mysql + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted", e);
        } finally {
            try {
                client.delete(where.path(client, "passwords", id));
            } catch (CommandFailure e) {
                note("arbor: could not delete the shell's password " + name + " (" + id + "): " + e.getMessage()
                        + "; it expires within " + MigrationView.duration(TTL.toSeconds()) + ", or delete it with"
                        + " `arbor password delete " + where.database + " " + where.branch + " " + id + "`");
            }
        }
    }

    /** The client's command line: the address and user of the password, TCP (a "localhost" would mean a socket). */
    List<String> command(Path mysql, JsonNode password) {
        String[] host = PasswordCommand.hostAndPort(password);
        return List.of(mysql.toString(), "-h", host[0], "-P", host[1], "--protocol=TCP",
                "-u", password.path("username").asText(), "--prompt=" + where.name() + "> ", where.database);
    }
}
