package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code arbor branch schema | diff | lint | refresh-schema}: a branch's schema, what it changes, and its lint. */
final class BranchSchemaCommands {
    private BranchSchemaCommands() {}

    @Command(name = "schema", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = "Print a branch's schema: each table's and view's CREATE statement under a -- name -- header.")
    static final class Schema extends BranchCommand.OnBranch {
        @Override
        int run(ControlClient client) {
            JsonNode data = client.get(where.path(client, "schema")).path("data");
            if (json()) {
                ControlArgs.printJson(out(), data);
            } else {
                out().print(SchemaView.schema(data));
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Show what a branch changes against its parent: per object a -- name -- header, then its"
                    + " CREATE's lines, + added, - removed (a new object all +, a dropped one all -).",
                    "--format json prints the diff entries (name, type, operation, statement, from, to)."})
    static final class Diff extends BranchCommand.OnBranch {
        @Override
        int run(ControlClient client) {
            printDiff(this, client.get(where.path(client, "diff")).path("data"), "branch " + where.name()
                    + " has no schema changes against its parent");
            return 0;
        }
    }

    @Command(name = "lint", mixinStandardHelpOptions = true,
            description = "Lint a branch's schema (tables without a unique key, say): a table of errors and warnings.",
            footer = {"", "Exit status: 0 no errors (warnings allowed); 1 at least one error, or the command failed;"
                    + " 2 wrong usage."})
    static final class Lint extends BranchCommand.OnBranch {
        @Override
        int run(ControlClient client) {
            JsonNode data = client.get(where.path(client, "schema", "lint")).path("data");
            if (json()) {
                ControlArgs.printJson(out(), data);
            } else if (data.isEmpty()) {
                out().println("No lint errors in " + where.name() + ".");
            } else {
                out().print(SchemaView.lint(data));
            }
            out().flush();
            return SchemaView.anyLintError(data) ? CommandFailure.FAILED : 0;
        }
    }

    @Command(name = "refresh-schema", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Record the parent's current schema as the branch's base, so that its diff (and a deploy"
                    + " request's) shows only the branch's own changes after the parent moved on."})
    static final class RefreshSchema extends BranchCommand.BranchPost {
        @Override
        String endpoint() {
            return "refresh-schema";
        }
    }

    /** A diff as {@code branch diff} and {@code deploy-request diff} print it; {@code none} when it is empty. */
    static void printDiff(ControlCall command, JsonNode entries, String none) {
        if (command.json()) {
            ControlArgs.printJson(command.out(), entries);
            return;
        }
        if (entries.isEmpty()) {
            command.out().println(none + ".");
        } else {
            command.out().print(SchemaView.diff(entries));
        }
        command.out().flush();
    }
}
