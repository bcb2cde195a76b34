package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Follows a deploy request's deployment until it reaches one of the states waited for, or fails, polling the deploy
 * request every {@link Poll#INTERVAL}. On the command's error stream (so that standard output stays what scripts
 * read) it prints a line each time the deployment's state changes and each time a table's progress does.
 */
final class DeployWatch {
    /** The deployment ended and did not do what was asked: exit status 1. */
    static final Set<String> FAILED = Set.of("error", "complete_error", "cancelled");
    /** {@code deploy --wait}: done, or waiting for a person's {@code apply}. */
    static final Set<String> DEPLOYED = Set.of("complete_pending_revert", "complete", "pending_cutover");
    /** {@code apply --wait}: cut over. */
    static final Set<String> APPLIED = Set.of("complete_pending_revert", "complete");
    /** {@code revert --wait}. */
    static final Set<String> REVERTED = Set.of("complete_revert");

    private final ControlClient client;
    private final DeployRequestRef ref;
    /** Null: no progress (JSON output). */
    private final PrintWriter err;
    private String lastState;
    private final Map<String, String> lastLines = new HashMap<>();

    DeployWatch(ControlClient client, DeployRequestRef ref, PrintWriter err) {
        this.client = client;
        this.ref = ref;
        this.err = err;
    }

    /** Polls until the deployment state is one of {@code states} or {@link #FAILED}; returns the deploy request then. */
    JsonNode until(Set<String> states, Duration timeout) {
        return Poll.until(() -> client.get(ref.path(client)),
                r -> states.contains(DeployRequestView.state(r)) || FAILED.contains(DeployRequestView.state(r)),
                this::report, timeout, ref.name(), DeployRequestView::state);
    }

    private void report(JsonNode request) {
        if (err == null) {
            return;
        }
        String state = DeployRequestView.state(request);
        if (!state.equals(lastState)) {
            err.println("Deploy request #" + ref.number + ": " + state);
            lastState = state;
        }
        JsonNode deployment = request.path("deployment");
        JsonNode operations = state.contains("revert") && !deployment.path("revert_operations").isEmpty()
                ? deployment.path("revert_operations") : deployment.path("deploy_operations");
        for (JsonNode op : operations) {
            String line = DeployRequestView.progressLine(op);
            if (!line.equals(lastLines.put(op.path("table_name").asText(), line))) {
                err.println("  " + line);
            }
        }
        err.flush();
    }

    /**
     * After a wait: the deploy request as people see it, a hint when it waits for {@code apply}, and the exit status
     * (1 when it failed, with the deployment's message).
     */
    static int outcome(ControlCall command, DeployRequestRef ref, JsonNode request) {
        command.printObject(request, DeployRequestView.SUMMARY);
        String state = DeployRequestView.state(request);
        if (state.equals("pending_cutover")) {
            command.note("It is ready to cut over and waits for: " + ref.command("apply"));
        }
        if (FAILED.contains(state)) {
            String message = request.path("deployment").path("message").asText("");
            command.note(ref.name() + " ended " + state + (message.isBlank() ? "" : ": " + message));
            return CommandFailure.FAILED;
        }
        return 0;
    }
}
