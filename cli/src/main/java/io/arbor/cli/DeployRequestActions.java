package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Set;

/** {@code arbor deploy-request deploy | apply | cancel | revert | skip-revert}: running a deploy request's deployment. */
final class DeployRequestActions {
    private DeployRequestActions() {}

    /** An action that is a {@code POST} to the deploy request's {@link #endpoint()}, answered with the deploy request. */
    abstract static class Post extends DeployRequestCommand.OnRequest {
        abstract String endpoint();

        /** The request's body; none by default. */
        JsonNode body() {
            return null;
        }

        @Override
        int run(ControlClient client) {
            printObject(client.post(ref.path(client, endpoint()), body()), DeployRequestView.SUMMARY);
            return 0;
        }
    }

    /** A {@link Post} that, with {@code --wait}, follows the deployment to {@link #until()}. */
    abstract static class Action extends Post {
        @Mixin
        WaitArgs await;

        /** The states {@code --wait} waits for (besides {@link DeployWatch#FAILED}). */
        abstract Set<String> until();

        @Override
        int run(ControlClient client) {
            if (!await.enabled) {
                return super.run(client);
            }
            client.post(ref.path(client, endpoint()), body());
            return DeployWatch.outcome(this, ref,
                    new DeployWatch(client, ref, json() ? null : err()).until(until(), await.timeout));
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, footer = {"", DeployRequestCommand.EXIT_CODES},
            description = {"Queue a deploy request's deployment: its changes are copied online, then cut over (at once,"
                    + " or, when it was created with --disable-auto-apply, by `arbor deploy-request apply`).",
                    "--wait follows it, a progress line per table, until it completes or waits for apply; exit status 1"
                            + " when it ends in error, complete_error or cancelled."})
    static final class Deploy extends Action {
        @Option(names = "--instant", description = "Use instant DDL (ALGORITHM=INSTANT: no copy, no revert) where every"
                + " change is eligible; the control plane refuses it otherwise.")
        boolean instant;

        @Override
        String endpoint() {
            return "deploy";
        }

        @Override
        JsonNode body() {
            return ControlArgs.JSON_NODES.objectNode().put("instant_ddl", instant);
        }

        @Override
        Set<String> until() {
            return DeployWatch.DEPLOYED;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, footer = {"", DeployRequestCommand.EXIT_CODES},
            description = {"Cut over a deployment waiting in pending_cutover (created with --disable-auto-apply).",
                    "--wait follows it until it is complete."})
    static final class Apply extends Action {
        @Override
        String endpoint() {
            return "apply-deploy";
        }

        @Override
        Set<String> until() {
            return DeployWatch.APPLIED;
        }
    }

    @Command(name = "revert", mixinStandardHelpOptions = true, footer = {"", DeployRequestCommand.EXIT_CODES},
            description = {"Revert a complete deployment while it can be (complete_pending_revert, until revert_expires_at):"
                    + " the schema goes back, keeping the rows written since.", "--wait follows it until complete_revert."})
    static final class Revert extends Action {
        @Override
        String endpoint() {
            return "revert";
        }

        @Override
        Set<String> until() {
            return DeployWatch.REVERTED;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, footer = {"", DeployRequestCommand.EXIT_CODES},
            description = "Cancel a deployment that is queued or running (before its cut-over): the schema stays as it was.")
    static final class Cancel extends Post {
        @Override
        String endpoint() {
            return "cancel";
        }
    }

    @Command(name = "skip-revert", mixinStandardHelpOptions = true, footer = {"", DeployRequestCommand.EXIT_CODES},
            description = "End a complete deployment's revert window now (complete_pending_revert becomes complete).")
    static final class SkipRevert extends Post {
        @Override
        String endpoint() {
            return "skip-revert";
        }
    }
}
