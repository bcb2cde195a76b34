package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;

/** {@code arbor database}: the cluster's databases, through the control plane's REST API ({@code pscale database}). */
@Command(name = "database", mixinStandardHelpOptions = true, description = "Create, list, show and delete databases.",
        subcommands = {DatabaseCommand.Create.class, DatabaseCommand.List.class, DatabaseCommand.Show.class,
                DatabaseCommand.Delete.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class DatabaseCommand extends CommandGroup {
    static final String EXIT_CODES = "Exit status: 0 done; 1 failed (no cluster running, not found, already exists,"
            + " refused: the message says why); 2 wrong usage.";
    static final String[] COLUMNS = {"name", "state", "default_branch", "branches_count", "created_at"};
    static final String[] DETAILS = {"name", "state", "default_branch", "branches_count", "production_branches_count",
            "development_branches_count", "created_at"};

    @Command(name = "create", mixinStandardHelpOptions = true, footer = {"", EXIT_CODES},
            description = {"Create a database with its main branch (a development branch with its own tablet).",
                    "--wait waits until its main branch serves."})
    static final class Create extends ControlCall {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The new database's name.")
        String name;
        @Mixin
        WaitArgs await;

        @Override
        int run(ControlClient client) {
            JsonNode db = client.post(client.databases(), ControlArgs.JSON_NODES.objectNode().put("name", name));
            if (await.enabled) {
                db = Poll.untilReady(() -> client.get(client.databases(name)), d -> { }, await.timeout, "database " + name);
            }
            printObject(db, DETAILS);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the databases.", footer = {"", EXIT_CODES})
    static final class List extends ControlCall {
        @Override
        int run(ControlClient client) {
            printList(client.get(client.databases()).path("data"), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one database.", footer = {"", EXIT_CODES})
    static final class Show extends ControlCall {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String name;

        @Override
        int run(ControlClient client) {
            printObject(client.get(client.databases(name)), DETAILS);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, footer = {"", EXIT_CODES},
            description = {"Delete a database with all its branches, their tablets and their data.",
                    "On a terminal it asks for the database's name first; with --force, or when standard input is not a"
                            + " terminal (a script, a pipe), it asks nothing."})
    static final class Delete extends ControlCall {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String name;
        @Option(names = "--force", description = "Do not ask.")
        boolean force;

        @Override
        int run(ControlClient client) {
            if (!force && Terminal.interactive()) {
                Console console = System.console();
                String typed = console.readLine("Delete database %s with all its branches and data? Type its name to"
                        + " confirm: ", name);
                if (typed == null || !typed.strip().equals(name)) {
                    throw new CommandFailure("database " + name + " not deleted (the name typed did not match)");
                }
            }
            client.delete(client.databases(name));
            printDone(ControlArgs.JSON_NODES.objectNode().put("name", name).put("deleted", true),
                    "Database " + name + " deleted.");
            return 0;
        }
    }
}
