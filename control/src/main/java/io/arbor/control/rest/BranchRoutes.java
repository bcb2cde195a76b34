package io.arbor.control.rest;

import io.arbor.control.ControlPlane;
import io.arbor.control.DeployPlan;
import io.arbor.topo.BranchRecord;

import java.util.List;
import java.util.function.Function;

import static io.arbor.control.rest.ControlApi.error;
import static io.arbor.control.rest.ControlApi.list;
import static io.arbor.control.rest.ControlApi.notAllowed;
import static io.arbor.control.rest.ControlApi.ok;
import static io.arbor.control.rest.ControlApi.only;

/**
 * A branch's actions (PlanetScale's layout): {@code POST promote}, {@code POST demote}, {@code POST|DELETE
 * safe-migrations}, {@code GET schema}, {@code GET schema/lint}, {@code GET diff} (against its parent),
 * {@code POST refresh-schema}, and {@code GET | PUT vschema} (Vitess's JSON; {@code ?dry_run=true} validates only).
 */
final class BranchRoutes {
    private final ControlPlane control;
    private final Function<BranchRecord, com.fasterxml.jackson.databind.node.ObjectNode> branchJson;

    BranchRoutes(ControlPlane control, Function<BranchRecord, com.fasterxml.jackson.databind.node.ObjectNode> branchJson) {
        this.control = control;
        this.branchJson = branchJson;
    }

    /** {@code rest} is what follows {@code branches/{branch}/}. */
    ControlApi.Response route(ControlApi.Request r, String database, String branch, List<String> rest) {
        String action = String.join("/", rest);
        return switch (action) {
            case "promote" -> only(r, "POST") ? ok(branchJson.apply(control.setProduction(database, branch, true))) : notAllowed(r);
            case "demote" -> only(r, "POST") ? ok(branchJson.apply(control.setProduction(database, branch, false))) : notAllowed(r);
            case "safe-migrations" -> switch (r.method()) {
                case "POST" -> ok(branchJson.apply(control.setSafeMigrations(database, branch, true)));
                case "DELETE" -> ok(branchJson.apply(control.setSafeMigrations(database, branch, false)));
                default -> notAllowed(r);
            };
            case "schema" -> only(r, "GET") ? list(SchemaViews.schema(control.schema(database, branch))) : notAllowed(r);
            case "schema/lint" -> {
                if (!only(r, "GET")) {
                    yield notAllowed(r);
                }
                DeployPlan plan = lintPlan(database, branch);
                yield list(control.deployRequests().lint(plan).stream().map(SchemaViews::lint).toList());
            }
            case "diff" -> {
                if (!only(r, "GET")) {
                    yield notAllowed(r);
                }
                DeployPlan plan = control.diff(database, branch);
                if (plan.refusal() != null && plan.merge() == null) {
                    yield error(422, "unprocessable", plan.refusal());
                }
                yield list(SchemaViews.diff(plan, plan.merge().clean() ? plan.statements()
                        : io.arbor.sql.schema.SchemaDiff.diff(plan.base(), plan.branch().schema())));
            }
            case "refresh-schema" -> only(r, "POST") ? ok(branchJson.apply(control.refreshSchema(database, branch))) : notAllowed(r);
            case "vschema" -> switch (r.method()) {
                case "GET" -> {
                    String json = control.vschema(database, branch);
                    if (json == null) {
                        yield error(404, "not_found", "branch " + database + "/" + branch + " has no vschema");
                    }
                    yield ok(vschemaJson(json));
                }
                case "PUT" -> ok(vschemaJson(control.applyVSchema(database, branch, r.body() == null ? "" : r.body(),
                        "true".equals(r.query().get("dry_run")))));
                default -> notAllowed(r);
            };
            default -> error(404, "not_found", "no such endpoint: " + r.path());
        };
    }

    private static com.fasterxml.jackson.databind.JsonNode vschemaJson(String json) {
        try {
            return ControlApi.JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored vschema is not JSON", e);
        }
    }

    /** Lint of a branch: against its parent when it has one, else of its own schema alone. */
    private DeployPlan lintPlan(String database, String branch) {
        BranchRecord b = control.branch(database, branch);
        return b.parent() != null ? control.diff(database, branch)
                : new DeployPlan(null, control.schema(database, branch), control.schema(database, branch), null, null);
    }
}
