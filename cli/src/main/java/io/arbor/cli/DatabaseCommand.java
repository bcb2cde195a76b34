package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code arbor database}: the cluster's databases, through the control plane's REST API ({@code pscale database}). */
@Command(name = "database", mixinStandardHelpOptions = true, description = "Create, list and show databases.",
        subcommands = {DatabaseCommand.Create.class, DatabaseCommand.List.class, DatabaseCommand.Show.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class DatabaseCommand implements Runnable {
    static final String EXIT_CODES = "Exit status: 0 done; 1 failed (no cluster running, not found, already exists,"
            + " refused: the message says why); 2 wrong usage.";
    static final String[] COLUMNS = {"name", "state", "default_branch", "branches_count", "created_at"};

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, footer = {"", EXIT_CODES},
            description = "Create a database with its main branch (a development branch with its own tablet).")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The new database's name.")
        String name;
        @Option(names = "--wait", description = "Wait until its main branch serves.")
        boolean await;
        @Option(names = "--timeout", defaultValue = "120s", converter = UpCommand.DurationConverter.class,
                description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
        Duration timeout;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            JsonNode db = client.post(client.databases(), ControlArgs.JSON_NODES.objectNode().put("name", name));
            if (await) {
                db = Ready.await(() -> client.get(client.databases(name)), d -> d.path("ready").asBoolean(), timeout,
                        "database " + name);
            }
            show(spec.commandLine().getOut(), args, db);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the databases.", footer = {"", EXIT_CODES})
    static final class List implements Callable<Integer> {
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            JsonNode data = client.get(client.databases()).path("data");
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

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one database.", footer = {"", EXIT_CODES})
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String name;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            show(spec.commandLine().getOut(), args, client.get(client.databases(name)));
            return 0;
        }
    }

    private static void show(PrintWriter out, ControlArgs args, JsonNode db) {
        if (args.json()) {
            ControlArgs.printJson(out, db);
            return;
        }
        out.print(TextTable.details(db, "name", "state", "default_branch", "branches_count", "production_branches_count",
                "development_branches_count", "created_at"));
        out.flush();
    }
}
