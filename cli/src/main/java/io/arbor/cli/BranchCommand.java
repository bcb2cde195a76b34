package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** {@code arbor branch}: a database's branches, through the control plane's REST API ({@code pscale branch}). */
@Command(name = "branch", mixinStandardHelpOptions = true,
        description = "Create, list, show, delete, promote and demote a database's branches; their schema, its diff and lint.",
        subcommands = {BranchCommand.Create.class, BranchCommand.List.class, BranchCommand.Show.class,
                BranchCommand.Delete.class, BranchCommand.Promote.class, BranchCommand.Demote.class,
                BranchSchemaCommands.Schema.class, BranchSchemaCommands.Diff.class, BranchSchemaCommands.Lint.class,
                BranchSchemaCommands.RefreshSchema.class, SafeMigrationsCommand.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class BranchCommand extends CommandGroup {
    static final String[] COLUMNS = {"name", "parent_branch", "production", "safe_migrations", "ready", "created_at"};
    static final String[] DETAILS = {"id", "name", "parent_branch", "production", "safe_migrations", "ready", "seed_data",
            "mysql_address", "created_at", "updated_at"};

    /** A command on one branch: DATABASE BRANCH, and how a branch prints. */
    abstract static class OnBranch extends ControlCall {
        @Mixin
        BranchRef where;

        void print(JsonNode branch) {
            printObject(branch, DETAILS);
        }
    }

    /** A change to one branch that is a bare {@code POST} to its {@link #endpoint()}, answered with the branch. */
    abstract static class BranchPost extends OnBranch {
        abstract String endpoint();

        @Override
        int run(ControlClient client) {
            print(client.post(where.path(client, endpoint()), null));
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Create a development branch with its own tablet and its parent's schema (tables and views;"
                    + " with --seed-data their rows too).",
                    "It is ready once its tablet serves with that schema (and rows): --wait waits for that, with a"
                            + " progress bar of the rows copied while it seeds."})
    static final class Create extends OnBranch {
        @Option(names = "--from", defaultValue = "main", paramLabel = "PARENT",
                description = "The branch it starts from (default: ${DEFAULT-VALUE}).")
        String parent;
        @Option(names = "--seed-data", description = "Copy the parent's rows too, not just its schema.")
        boolean seedData;
        @Mixin
        WaitArgs await;

        @Override
        int run(ControlClient client) {
            JsonNode branch = client.post(client.databases(where.database, "branches"), ControlArgs.JSON_NODES.objectNode()
                    .put("name", where.branch).put("parent_branch", parent).put("seed_data", seedData));
            if (await.enabled) {
                try (SeedBar bar = new SeedBar(json() ? null : err())) {
                    branch = Poll.untilReady(() -> client.get(where.path(client)), bar, await.timeout, "branch " + where.name());
                }
            }
            print(branch);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a database's branches.",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class List extends ControlCall {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String database;

        @Override
        int run(ControlClient client) {
            printList(client.get(client.databases(database, "branches")).path("data"), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one branch.",
            footer = {"", DatabaseCommand.EXIT_CODES})
    static final class Show extends OnBranch {
        @Override
        int run(ControlClient client) {
            print(client.get(where.path(client)));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = "Delete a branch with its tablet, its data and its passwords (not main: the control plane refuses).")
    static final class Delete extends OnBranch {
        @Override
        int run(ControlClient client) {
            client.delete(where.path(client));
            printDone(ControlArgs.JSON_NODES.objectNode().put("database", where.database).put("name", where.branch)
                    .put("deleted", true), "Branch " + where.name() + " deleted.");
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Promote a branch to production: safe migrations on, so schema changes reach it only through"
                    + " deploy requests."})
    static final class Promote extends BranchPost {
        @Override
        String endpoint() {
            return "promote";
        }
    }

    @Command(name = "demote", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = "Demote a production branch to a development branch.")
    static final class Demote extends BranchPost {
        @Override
        String endpoint() {
            return "demote";
        }
    }

    /** The progress bar of a branch that seeds: rows copied of its parent's rows, from {@code seed_progress}. */
    private static final class SeedBar implements Consumer<JsonNode>, AutoCloseable {
        private final PrintWriter err;
        private ProgressBar bar;

        /** @param err where the bar goes; null: no bar (JSON output) */
        SeedBar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void accept(JsonNode branch) {
            JsonNode p = branch.path("seed_progress");
            if (err == null || !p.isObject()) {
                return;
            }
            long total = p.path("rows_total").asLong();
            long copied = p.path("rows_copied").asLong();
            if (bar == null) {
                bar = Terminal.rowsBar("seeding " + branch.path("name").asText(), total, err).showSpeed().build();
            }
            long max = Math.max(total, copied); // rows_total is an estimate: the copy may pass it
            if (max > 0 && max != bar.getMax()) {
                bar.maxHint(max);
            }
            bar.stepTo(copied);
            bar.setExtraMessage(" tables " + p.path("tables_copied").asLong() + "/" + p.path("tables_total").asLong());
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                err.flush();
            }
        }
    }
}
