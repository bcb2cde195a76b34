package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/**
 * {@code arbor deploy-request}: a branch's schema changes on their way into its parent, through the control plane's
 * REST API ({@code pscale deploy-request}). This file has the commands that read and file them; the ones that run a
 * deployment are in {@link DeployRequestActions}.
 */
@Command(name = "deploy-request", mixinStandardHelpOptions = true,
        description = {"Deploy a branch's schema changes into its parent (a production branch with safe migrations, say):"
                + " create a deploy request, check its diff and lint, deploy it online, cut it over, revert it."},
        subcommands = {DeployRequestCommand.Create.class, DeployRequestCommand.List.class, DeployRequestCommand.Show.class,
                DeployRequestCommand.Diff.class, DeployRequestActions.Deploy.class, DeployRequestActions.Apply.class,
                DeployRequestActions.Cancel.class, DeployRequestActions.Revert.class, DeployRequestActions.SkipRevert.class,
                DeployRequestCommand.Close.class, DeployRequestCommand.Queue.class},
        footer = {"", DeployRequestCommand.EXIT_CODES})
final class DeployRequestCommand extends CommandGroup {
    static final String EXIT_CODES = "Exit status: 0 done; 1 failed (no cluster running, not found, refused: the message"
            + " says why; or a deployment waited for ended in error, complete_error or cancelled); 2 wrong usage.";

    /** A command on one deploy request: DATABASE NUMBER. */
    abstract static class OnRequest extends ControlCall {
        @Mixin
        DeployRequestRef ref;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, footer = {"", EXIT_CODES},
            description = {"Open a deploy request for a branch's schema changes into its parent (or --into)."
                    + " It prints its number, state and deployment state."})
    static final class Create extends ControlCall {
        @Mixin
        BranchRef where;
        @Option(names = "--into", paramLabel = "BRANCH", description = "The branch to deploy into (default: the branch's parent).")
        String into;
        @Option(names = "--notes", paramLabel = "TEXT", description = "Notes for the people who review it.")
        String notes;
        @Option(names = "--disable-auto-apply", description = "Do not cut over by itself once the changes are copied:"
                + " wait in pending_cutover for `arbor deploy-request apply`.")
        boolean gated;

        @Override
        int run(ControlClient client) {
            ObjectNode body = ControlArgs.JSON_NODES.objectNode().put("branch", where.branch);
            if (into != null) {
                body.put("into_branch", into);
            }
            body.put("notes", notes == null ? "" : notes).put("auto_apply", !gated);
            JsonNode request = client.post(client.databases(where.database, "deploy-requests"), body);
            printObject(request, DeployRequestView.SUMMARY);
            if (!json()) {
                note("Deploy it with: arbor deploy-request deploy " + where.database + " " + request.path("number").asText());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a database's deploy requests.",
            footer = {"", EXIT_CODES})
    static final class List extends ControlCall {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String database;
        @Option(names = "--state", paramLabel = "open|closed", description = "Only the open or the closed ones.")
        State state;

        /** A deploy request's {@code state}. */
        enum State { OPEN, CLOSED }

        @Override
        int run(ControlClient client) {
            String path = client.databases(database, "deploy-requests")
                    + (state == null ? "" : "?state=" + state.name().toLowerCase(Locale.ROOT));
            printList(client.get(path).path("data"), DeployRequestView.COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, footer = {"", EXIT_CODES},
            description = {"Show a deploy request: its details, its deployment, a summary of its schema changes, its lint"
                    + " results and a progress row per table.", "--format json prints the deploy request object."})
    static final class Show extends OnRequest {
        @Override
        int run(ControlClient client) {
            JsonNode request = client.get(ref.path(client));
            if (json()) {
                ControlArgs.printJson(out(), request);
            } else {
                JsonNode diff;
                try {
                    diff = client.get(ref.path(client, "diff")).path("data");
                } catch (CommandFailure e) { // the request is still worth showing
                    diff = null;
                    note("arbor: its diff is not available: " + e.getMessage());
                }
                out().print(DeployRequestView.details(request, diff));
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, footer = {"", EXIT_CODES},
            description = {"Show a deploy request's schema changes as `arbor branch diff` does.",
                    "--format json prints the diff entries."})
    static final class Diff extends OnRequest {
        @Override
        int run(ControlClient client) {
            BranchSchemaCommands.printDiff(this, client.get(ref.path(client, "diff")).path("data"),
                    ref.name() + " has no schema changes");
            return 0;
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, footer = {"", EXIT_CODES},
            description = "Close a deploy request without deploying it.")
    static final class Close extends OnRequest {
        @Override
        int run(ControlClient client) {
            printObject(client.patch(ref.path(client), ControlArgs.JSON_NODES.objectNode().put("state", "closed")),
                    DeployRequestView.SUMMARY);
            return 0;
        }
    }

    @Command(name = "queue", mixinStandardHelpOptions = true, footer = {"", EXIT_CODES},
            description = "List a database's deploy queue: the deployments queued or running, in the order they run.")
    static final class Queue extends ControlCall {
        @Parameters(index = "0", paramLabel = "DATABASE", description = "The database.")
        String database;

        @Override
        int run(ControlClient client) {
            printList(client.get(client.databases(database, "deploy-queue")).path("data"), DeployRequestView.COLUMNS);
            return 0;
        }
    }
}
