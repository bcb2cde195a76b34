package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code arbor password}: a branch's passwords, through the control plane's REST API ({@code pscale password}). */
@Command(name = "password", mixinStandardHelpOptions = true,
        description = {"Create, list, show, renew and delete a branch's passwords.",
                "Logging in with one (user = its username) lands the session on its branch, at once, no restart."},
        subcommands = {PasswordCommand.Create.class, PasswordCommand.List.class, PasswordCommand.Show.class,
                PasswordCommand.Delete.class, PasswordCommand.Renew.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class PasswordCommand implements Runnable {
    static final String[] COLUMNS = {"id", "name", "username", "role", "expires_at", "created_at"};

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** DATABASE BRANCH, as every password command takes them. */
    static final class Where {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String database;
        @Parameters(index = "1", paramLabel = "BRANCH", description = "The branch.")
        String branch;

        String path(ControlClient client, String... more) {
            String[] segments = new String[3 + more.length];
            segments[0] = database;
            segments[1] = "branches";
            segments[2] = branch;
            System.arraycopy(more, 0, segments, 3, more.length);
            return client.databases(segments);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Create a password on a branch; it prints the password itself this once."})
    static final class Create implements Callable<Integer> {
        @Mixin
        Where where;
        @Parameters(index = "2", paramLabel = "NAME", description = "The password's name, unique on its branch.")
        String name;
        @Option(names = "--role", defaultValue = "admin",
                description = "What it may do: reader (read only), writer (write rows, no DDL), readwriter (both) or admin"
                        + " (also DDL where the branch takes it); default: ${DEFAULT-VALUE}.")
        String role;
        @Option(names = "--ttl", converter = UpCommand.DurationConverter.class, paramLabel = "DURATION",
                description = "Expire it after this long, e.g. 24h, 30m, 3600s (logins are refused with 1045 from then); default: never.")
        Duration ttl;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            ObjectNode body = ControlArgs.JSON_NODES.objectNode().put("name", name).put("role", role);
            if (ttl != null) {
                body.put("ttl", ttl.toSeconds());
            }
            print(spec.commandLine().getOut(), args, client.post(where.path(client, "passwords"), body));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a branch's passwords.",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class List implements Callable<Integer> {
        @Mixin
        Where where;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            JsonNode data = client.get(where.path(client, "passwords")).path("data");
            PrintWriter out = spec.commandLine().getOut();
            if (args.json()) {
                ControlArgs.printJson(out, data);
            } else {
                out.print(TextTable.of(data, COLUMNS));
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one password (never the password itself).",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class Show implements Callable<Integer> {
        @Mixin
        Where where;
        @Parameters(index = "2", paramLabel = "ID", description = "The password's id.")
        String id;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            print(spec.commandLine().getOut(), args, client.get(where.path(client, "passwords", id)));
            return 0;
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Give a password a new secret (same id and username); the old one is refused from now on.",
                    "A password with a ttl lives that long again. It prints the new password this once."})
    static final class Renew implements Callable<Integer> {
        @Mixin
        Where where;
        @Parameters(index = "2", paramLabel = "ID", description = "The password's id.")
        String id;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            print(spec.commandLine().getOut(), args, client.post(where.path(client, "passwords", id, "renew"), null));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = "Delete a password: new logins with it are refused at once (open sessions stay, as after DROP USER).")
    static final class Delete implements Callable<Integer> {
        @Mixin
        Where where;
        @Parameters(index = "2", paramLabel = "ID", description = "The password's id.")
        String id;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            client.delete(where.path(client, "passwords", id));
            PrintWriter out = spec.commandLine().getOut();
            if (args.json()) {
                ControlArgs.printJson(out, ControlArgs.JSON_NODES.objectNode().put("id", id).put("deleted", true));
            } else {
                out.println("Password " + id + " of " + where.database + "/" + where.branch + " deleted.");
                out.flush();
            }
            return 0;
        }
    }

    private static void print(PrintWriter out, ControlArgs args, JsonNode password) {
        if (args.json()) {
            ControlArgs.printJson(out, password);
            return;
        }
        out.print(TextTable.details(password, "id", "name", "username", "role", "access_host_url", "expires_at", "created_at"));
        if (password.hasNonNull("plain_text")) {
            String[] host = password.path("access_host_url").asText("127.0.0.1:3306").split(":");
            out.println("password: " + password.path("plain_text").asText() + "   (shown this once: save it now)");
            out.println("connect:  mysql -h " + host[0] + " -P " + (host.length > 1 ? host[1] : "3306") + " -u "
                    + password.path("username").asText() + " -p" + password.path("plain_text").asText() + " "
                    + password.path("database_branch").path("database").asText());
        }
        out.flush();
    }
}
