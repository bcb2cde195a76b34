package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code arbor password}: a branch's passwords, through the control plane's REST API ({@code pscale password}). */
@Command(name = "password", mixinStandardHelpOptions = true,
        description = {"Create, list, show, renew and delete a branch's passwords.",
                "Logging in with one (user = its username) lands the session on its branch, at once, no restart."},
        subcommands = {PasswordCommand.Create.class, PasswordCommand.List.class, PasswordCommand.Show.class,
                PasswordCommand.Delete.class, PasswordCommand.Renew.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class PasswordCommand extends CommandGroup {
    static final String[] COLUMNS = {"id", "name", "username", "role", "expires_at", "created_at"};
    static final String[] DETAILS = {"id", "name", "username", "role", "access_host_url", "expires_at", "created_at"};
    static final String ROLES = "reader (read only), writer (write rows, no DDL), readwriter (both) or admin"
            + " (also DDL where the branch takes it)";

    /** A command on a branch's passwords: DATABASE BRANCH, and how a password prints. */
    abstract static class OnBranch extends ControlCall {
        @Mixin
        BranchRef where;

        void print(JsonNode password) {
            printObject(password, DETAILS);
            if (!json() && password.hasNonNull("plain_text")) {
                String[] host = hostAndPort(password);
                out().println("password: " + password.path("plain_text").asText() + "   (shown this once: save it now)");
                out().println("connect:  mysql -h " + host[0] + " -P " + host[1] + " -u " + password.path("username").asText()
                        + " -p" + password.path("plain_text").asText() + " "
                        + password.path("database_branch").path("database").asText());
                out().flush();
            }
        }
    }

    /** A command on one password: DATABASE BRANCH ID. */
    abstract static class OnePassword extends OnBranch {
        @Parameters(index = "2", paramLabel = "ID", description = "The password's id.")
        String id;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Create a password on a branch; it prints the password itself this once."})
    static final class Create extends OnBranch {
        @Parameters(index = "2", paramLabel = "NAME", description = "The password's name, unique on its branch.")
        String name;
        @Option(names = "--role", defaultValue = "admin", description = "What it may do: " + ROLES + "; default: ${DEFAULT-VALUE}.")
        String role;
        @Option(names = "--ttl", converter = UpCommand.DurationConverter.class, paramLabel = "DURATION",
                description = "Expire it after this long, e.g. 24h, 30m, 3600s (logins are refused with 1045 from then); default: never.")
        Duration ttl;

        @Override
        int run(ControlClient client) {
            print(client.post(where.path(client, "passwords"), body(name, role, ttl)));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a branch's passwords.",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class List extends OnBranch {

        @Override
        int run(ControlClient client) {
            printList(client.get(where.path(client, "passwords")).path("data"), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one password (never the password itself).",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class Show extends OnePassword {
        @Override
        int run(ControlClient client) {
            print(client.get(where.path(client, "passwords", id)));
            return 0;
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Give a password a new secret (same id and username); the old one is refused from now on.",
                    "A password with a ttl lives that long again. It prints the new password this once."})
    static final class Renew extends OnePassword {
        @Override
        int run(ControlClient client) {
            print(client.post(where.path(client, "passwords", id, "renew"), null));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = "Delete a password: new logins with it are refused at once (open sessions stay, as after DROP USER).")
    static final class Delete extends OnePassword {
        @Override
        int run(ControlClient client) {
            client.delete(where.path(client, "passwords", id));
            printDone(ControlArgs.JSON_NODES.objectNode().put("id", id).put("deleted", true),
                    "Password " + id + " of " + where.name() + " deleted.");
            return 0;
        }
    }

    /** The body of {@code POST .../passwords}: {@code ttl} in seconds, left out for a password that never expires. */
    static ObjectNode body(String name, String role, Duration ttl) {
        ObjectNode body = ControlArgs.JSON_NODES.objectNode().put("name", name).put("role", role);
        if (ttl != null) {
            body.put("ttl", ttl.toSeconds());
        }
        return body;
    }

    /** The password's {@code host} and {@code port}, from its {@code access_host_url} ({@code host:port}). */
    static String[] hostAndPort(JsonNode password) {
        String address = password.path("access_host_url").asText("127.0.0.1:3306");
        int colon = address.lastIndexOf(':');
        return colon < 0 ? new String[] {address, "3306"} : new String[] {address.substring(0, colon), address.substring(colon + 1)};
    }
}
