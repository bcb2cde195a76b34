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

/** {@code arbor branch}: a database's branches, through the control plane's REST API ({@code pscale branch}). */
@Command(name = "branch", mixinStandardHelpOptions = true, description = "Create, list and show a database's branches.",
        subcommands = {BranchCommand.Create.class, BranchCommand.List.class, BranchCommand.Show.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class BranchCommand implements Runnable {
    static final String[] COLUMNS = {"name", "parent_branch", "production", "ready", "created_at"};

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Create a development branch with its own tablet and its parent's schema (tables and views,"
                    + " no rows).", "It is ready once its tablet serves with that schema: --wait waits for that."})
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String database;
        @Parameters(index = "1", paramLabel = "BRANCH", description = "The new branch's name.")
        String name;
        @Option(names = "--from", defaultValue = "main", paramLabel = "PARENT",
                description = "The branch it starts from (default: ${DEFAULT-VALUE}).")
        String parent;
        @Option(names = "--wait", description = "Wait until it is ready.")
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
            JsonNode branch = client.post(client.databases(database, "branches"),
                    ControlArgs.JSON_NODES.objectNode().put("name", name).put("parent_branch", parent));
            if (await) {
                branch = Ready.await(() -> client.get(client.databases(database, "branches", name)),
                        b -> b.path("ready").asBoolean(), timeout, "branch " + database + "/" + name);
            }
            show(spec.commandLine().getOut(), args, branch);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a database's branches.",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class List implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String database;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            JsonNode data = client.get(client.databases(database, "branches")).path("data");
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

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one branch.",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String database;
        @Parameters(index = "1", paramLabel = "BRANCH", description = "The branch.")
        String name;
        @Mixin
        ControlArgs args;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ControlClient client = args.client();
            show(spec.commandLine().getOut(), args, client.get(client.databases(database, "branches", name)));
            return 0;
        }
    }

    private static void show(PrintWriter out, ControlArgs args, JsonNode branch) {
        if (args.json()) {
            ControlArgs.printJson(out, branch);
            return;
        }
        out.print(TextTable.details(branch, "id", "name", "parent_branch", "production", "ready", "mysql_address", "created_at"));
        out.flush();
    }
}
