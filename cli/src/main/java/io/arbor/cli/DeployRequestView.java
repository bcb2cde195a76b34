package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How deploy requests and their deployments print for people: details, and a progress row per table. */
final class DeployRequestView {
    static final String[] COLUMNS = {"number", "branch", "into_branch", "state", "deployment_state", "created_at"};
    static final String[] SUMMARY = {"number", "branch", "into_branch", "state", "deployment_state"};
    static final String[] DETAILS = {"number", "branch", "into_branch", "state", "deployment_state", "deployable",
            "approved", "auto_apply", "notes", "created_at", "updated_at", "deployed_at", "closed_at"};
    static final String[] DEPLOYMENT = {"state", "deployable", "instant_ddl", "instant_ddl_eligible", "message",
            "queued_at", "started_at", "cutover_at", "finished_at", "revert_expires_at"};

    private DeployRequestView() {}

    /**
     * {@code deploy-request show}: the request, its deployment, its schema changes ({@code diff}; null when the
     * control plane could not give them), lint, conflicts and operations.
     */
    static String details(JsonNode request, JsonNode diff) {
        JsonNode deployment = request.path("deployment");
        StringBuilder sb = new StringBuilder(TextTable.details(request, DETAILS));
        if (deployment.isObject()) {
            sb.append("\nDeployment\n").append(indent(TextTable.details(deployment, DEPLOYMENT)));
        }
        sb.append("\nSchema changes\n").append(diff == null ? "  (not available)\n" : diff.isEmpty() ? "  none\n"
                : indent(SchemaView.diffSummary(diff)));
        JsonNode lint = deployment.path("lint_errors");
        sb.append("\nLint\n").append(lint.isEmpty() ? "  none\n" : indent(SchemaView.lint(lint)));
        JsonNode conflicts = deployment.path("conflicts");
        if (!conflicts.isEmpty()) {
            sb.append("\nConflicts\n").append(indent(TextTable.of(conflicts, "table_name", "object", "message")));
        }
        JsonNode operations = deployment.path("deploy_operations");
        if (!operations.isEmpty()) {
            sb.append("\nOperations\n").append(indent(operations(operations)));
        }
        JsonNode reverts = deployment.path("revert_operations");
        if (!reverts.isEmpty()) {
            sb.append("\nRevert operations\n").append(indent(operations(reverts)));
        }
        return sb.toString();
    }

    /** A row per table: operation, state, percent, rows copied of the table's rows, ETA, statement. */
    static String operations(JsonNode operations) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TABLE", "OPERATION", "STATE", "PROGRESS", "ROWS", "ETA", "STATEMENT"});
        for (JsonNode op : operations) {
            rows.add(new String[] {op.path("table_name").asText(), op.path("operation_name").asText(),
                    op.path("state").asText(), op.path("progress_percentage").asInt() + "%", rows(op), eta(op),
                    SchemaView.shorten(op.path("ddl_statement").asText(""))});
        }
        return TextTable.rows(rows);
    }

    /** One table's progress on one line, for {@code --wait}: {@code users  alter  in_progress  45%  4,500/10,000 rows}. */
    static String progressLine(JsonNode op) {
        String eta = eta(op);
        return String.format(Locale.ROOT, "%-24s %-6s %-17s %4s  %s rows%s", op.path("table_name").asText(),
                op.path("operation_name").asText(), op.path("state").asText(), op.path("progress_percentage").asInt() + "%",
                rows(op), eta.equals("-") ? "" : ", ETA " + eta);
    }

    /** The request's deployment state: where it stands. */
    static String state(JsonNode request) {
        return request.path("deployment_state").asText("");
    }

    private static String rows(JsonNode op) {
        return String.format(Locale.ROOT, "%,d/%,d", op.path("rows_copied").asLong(), op.path("table_rows").asLong());
    }

    private static String eta(JsonNode op) {
        JsonNode eta = op.path("eta_seconds");
        return eta.canConvertToLong() && !eta.isNull() ? MigrationView.duration(eta.asLong()) : "-";
    }

    private static String indent(String text) {
        return text.lines().map(l -> "  " + l).reduce(new StringBuilder(), (sb, l) -> sb.append(l).append('\n'),
                StringBuilder::append).toString();
    }
}
