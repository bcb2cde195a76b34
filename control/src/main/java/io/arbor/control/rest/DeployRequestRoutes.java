package io.arbor.control.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.control.BranchLint;
import io.arbor.control.ControlException;
import io.arbor.control.ControlPlane;
import io.arbor.control.DeployPlan;
import io.arbor.control.DeployRequests;
import io.arbor.tablet.onlineddl.OnlineDdl;
import io.arbor.topo.DeployRequestRecord;

import java.util.List;
import java.util.Map;

import static io.arbor.control.rest.ControlApi.JSON;
import static io.arbor.control.rest.ControlApi.body;
import static io.arbor.control.rest.ControlApi.created;
import static io.arbor.control.rest.ControlApi.error;
import static io.arbor.control.rest.ControlApi.list;
import static io.arbor.control.rest.ControlApi.notAllowed;
import static io.arbor.control.rest.ControlApi.ok;
import static io.arbor.control.rest.ControlApi.only;
import static io.arbor.control.rest.ControlApi.text;
import static io.arbor.control.rest.ControlApi.time;

/**
 * {@code deploy-requests[/{number}[/...]]} and {@code deploy-queue} of a database, PlanetScale's layout and fields:
 * open (POST), list (GET, {@code ?state=open|closed}), show, close (PATCH {@code {"state": "closed"}}), {@code diff},
 * {@code deployment}, and the actions {@code deploy}, {@code apply-deploy}, {@code cancel}, {@code revert},
 * {@code skip-revert}. A request still open to changes (pending, ready, no_changes) is planned live each time it is
 * shown, so its diff, lint and conflicts are production's as it is now; once queued it shows what it deploys.
 */
final class DeployRequestRoutes {
    private final ControlPlane control;

    DeployRequestRoutes(ControlPlane control) {
        this.control = control;
    }

    /** {@code rest} starts at {@code deploy-requests} or {@code deploy-queue}. */
    ControlApi.Response route(ControlApi.Request r, String database, List<String> rest) {
        DeployRequests requests = control.deployRequests();
        if (rest.get(0).equals("deploy-queue")) {
            return rest.size() == 1 && only(r, "GET")
                    ? list(requests.queue(database).stream().map(d -> request(d, null)).toList())
                    : rest.size() == 1 ? notAllowed(r) : error(404, "not_found", "no such endpoint: " + r.path());
        }
        if (rest.size() == 1) {
            return switch (r.method()) {
                case "GET" -> list(requests.list(database, r.query().get("state")).stream().map(d -> request(d, null)).toList());
                case "POST" -> {
                    JsonNode body = body(r);
                    JsonNode into = body.path("into_branch");
                    DeployRequestRecord made = requests.create(database, text(body, "branch"),
                            into.isTextual() && !into.asText().isBlank() ? into.asText() : null, body.path("notes").asText(""),
                            body.path("auto_apply").asBoolean(true));
                    yield created(request(made, live(made)));
                }
                default -> notAllowed(r);
            };
        }
        int number;
        try {
            number = Integer.parseInt(rest.get(1));
        } catch (NumberFormatException e) {
            throw ControlException.notFound("no deploy request '" + rest.get(1) + "': deploy requests go by number");
        }
        if (rest.size() == 2) {
            return switch (r.method()) {
                case "GET" -> {
                    DeployRequestRecord d = requests.get(database, number);
                    yield ok(request(d, live(d)));
                }
                case "PATCH" -> {
                    JsonNode state = body(r).path("state");
                    if (!state.isTextual() || !state.asText().equals(DeployRequestRecord.CLOSED)) {
                        throw new IllegalArgumentException("PATCH of a deploy request takes {\"state\": \"closed\"}");
                    }
                    yield ok(request(requests.close(database, number), null));
                }
                default -> notAllowed(r);
            };
        }
        String action = String.join("/", rest.subList(2, rest.size()));
        boolean get = action.equals("diff") || action.equals("deployment");
        if (get ? !only(r, "GET") : !only(r, "POST")) {
            return notAllowed(r);
        }
        return switch (action) {
            case "diff" -> {
                DeployRequestRecord d = requests.get(database, number);
                DeployPlan plan = requests.plan(d);
                yield list(SchemaViews.diff(plan, d.statements().isEmpty() ? plan.statements() : d.statements()));
            }
            case "deployment" -> {
                DeployRequestRecord d = requests.get(database, number);
                yield ok(deployment(d, live(d)));
            }
            case "deploy" -> ok(request(requests.deploy(database, number, body(r).path("instant_ddl").asBoolean(false)), null));
            case "apply-deploy" -> ok(request(requests.apply(database, number), null));
            case "cancel" -> ok(request(requests.cancel(database, number), null));
            case "revert" -> ok(request(requests.revert(database, number), null));
            case "skip-revert" -> ok(request(requests.skipRevert(database, number), null));
            default -> error(404, "not_found", "no such endpoint: " + r.path());
        };
    }

    /** The live plan of a request still open to changes, or null once it is queued or done. */
    private DeployPlan live(DeployRequestRecord d) {
        boolean planning = d.state().equals(DeployRequestRecord.OPEN) && switch (d.deploymentState()) {
            case "pending", "ready", "no_changes" -> true;
            default -> false;
        };
        return planning ? control.deployRequests().plan(d) : null;
    }

    private ObjectNode request(DeployRequestRecord d, DeployPlan plan) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", d.id());
        o.put("type", "DeployRequest");
        o.put("number", d.number());
        o.put("branch", d.branch());
        o.put("into_branch", d.into());
        o.put("state", d.state());
        o.put("deployment_state", d.deploymentState());
        o.put("deployable", deployable(d, plan));
        o.put("approved", false);
        o.put("notes", d.notes());
        o.put("auto_apply", d.autoApply());
        o.putNull("html_url");
        time(o, "created_at", d.createdAt());
        time(o, "updated_at", d.updatedAt());
        time(o, "closed_at", d.state().equals(DeployRequestRecord.CLOSED) ? d.updatedAt() : null);
        time(o, "deployed_at", d.completedAt());
        o.set("deployment", deployment(d, plan));
        return o;
    }

    private boolean deployable(DeployRequestRecord d, DeployPlan plan) {
        if (plan == null) {
            return false;
        }
        return d.deploymentState().equals("ready") && plan.refusal() == null && !plan.statements().isEmpty()
                && control.deployRequests().lint(plan).stream().noneMatch(BranchLint.Finding::error);
    }

    private ObjectNode deployment(DeployRequestRecord d, DeployPlan plan) {
        DeployRequests requests = control.deployRequests();
        ObjectNode o = JSON.createObjectNode();
        o.put("id", d.id());
        o.put("type", "Deployment");
        o.put("state", d.deploymentState());
        o.put("deployable", deployable(d, plan));
        o.put("instant_ddl", d.instant());
        String notInstant = plan == null ? null : requests.lint().notInstant(plan);
        o.put("instant_ddl_eligible", plan != null && plan.error() == null && notInstant == null);
        ArrayNode lint = o.putArray("lint_errors");
        ArrayNode conflicts = o.putArray("conflicts");
        String message = d.message();
        if (plan != null) {
            requests.lint(plan).forEach(f -> lint.add(SchemaViews.lint(f)));
            if (plan.merge() != null) {
                plan.merge().conflicts().forEach(c -> conflicts.add(SchemaViews.conflict(c)));
            }
            if (message.isEmpty() && plan.refusal() != null) {
                message = plan.refusal();
            }
        }
        o.put("message", message);
        Map<String, io.arbor.control.MigrationStatus> statuses = requests.migrations(d);
        List<String> statements = !d.statements().isEmpty() ? d.statements() : plan == null ? List.of() : plan.statements();
        ArrayNode ops = o.putArray("deploy_operations");
        for (String statement : statements) {
            DeployRequestRecord.Migration m = d.migrations().stream().filter(x -> x.statement().equals(statement))
                    .findFirst().orElse(null);
            ops.add(operation(statement, m == null ? null : statuses.get(m.uuid()), d.deploymentState().equals("complete_revert")));
        }
        ArrayNode reverts = o.putArray("revert_operations");
        for (DeployRequestRecord.Migration m : d.reverts()) {
            ObjectNode op = operation(m.statement(), statuses.get(m.uuid()), false);
            op.put("table_name", m.table());
            reverts.add(op);
        }
        time(o, "queued_at", d.queuedAt());
        time(o, "started_at", d.migrations().isEmpty() ? null : d.queuedAt());
        time(o, "finished_at", d.completedAt());
        time(o, "cutover_at", d.completedAt());
        time(o, "revert_expires_at", d.completedAt() == null ? null : d.completedAt() + OnlineDdl.REVERT_WINDOW.toMillis());
        return o;
    }

    private static ObjectNode operation(String statement, io.arbor.control.MigrationStatus s, boolean reverted) {
        ObjectNode op = JSON.createObjectNode();
        op.put("table_name", SchemaViews.objectOf(statement));
        op.put("operation_name", statement.startsWith("DROP ") ? "drop" : statement.startsWith("ALTER ") ? "alter" : "create");
        op.put("ddl_statement", statement);
        String state = s == null ? "pending" : switch (s.status()) {
            case "queued", "ready" -> "queued";
            case "running" -> s.readyToComplete() ? "ready_to_complete" : "in_progress";
            case "complete" -> reverted ? "reverted" : "complete";
            case "failed" -> "failed";
            case "cancelled" -> "cancelled";
            default -> s.status();
        };
        op.put("state", state);
        op.put("progress_percentage", s == null ? 0 : (int) Math.round(s.progress()));
        if (s == null || s.etaSeconds() < 0) {
            op.putNull("eta_seconds");
        } else {
            op.put("eta_seconds", s.etaSeconds());
        }
        op.put("rows_copied", s == null ? 0 : s.rowsCopied());
        op.put("table_rows", s == null ? 0 : s.tableRows());
        op.put("can_drop_data", statement.startsWith("DROP TABLE") || statement.contains(" DROP COLUMN "));
        if (s != null && !s.message().isEmpty()) {
            op.put("message", s.message());
        }
        return op;
    }
}
