package io.arbor.control.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.control.ControlException;
import io.arbor.control.ControlPlane;
import io.arbor.control.NewPassword;
import io.arbor.topo.BranchRecord;
import io.arbor.topo.Credential;
import io.arbor.topo.PasswordInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The control plane's REST API, shaped like PlanetScale's ({@code /v1/organizations/{org}/databases/...}): one request
 * in, one response out, no network (see {@link ControlServer}). A local cluster has one organization; any name in
 * the path is taken as it. Every request carries the service token, as {@code Authorization: Bearer T} or
 * PlanetScale's {@code Authorization: <id>:<token>} (any id). Lists answer {@code {"data": [...]}}, errors
 * {@code {"code": "not_found", "message": "..."}} with their HTTP status. Blocking (it writes the topology): run it off
 * the event loop.
 */
public final class ControlApi {
    private static final Logger log = LoggerFactory.getLogger(ControlApi.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** The organization a local cluster reports (any name in a path is accepted as it). */
    public static final String ORGANIZATION = "local";

    /** A request as the server received it: method, path, the Authorization header, body, query parameters. */
    public record Request(String method, String path, String authorization, String body, java.util.Map<String, String> query) {
        public Request {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            query = query == null ? java.util.Map.of() : java.util.Map.copyOf(query);
        }

        /** A request with no query parameters. */
        public Request(String method, String path, String authorization, String body) {
            this(method, path, authorization, body, null);
        }
    }

    /** A response: its status and JSON body (null for 204). */
    public record Response(int status, JsonNode body) {
        String text() {
            try {
                return body == null ? "" : JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final ControlPlane control;
    private final byte[] token;
    private final String accessHost;
    private final BranchRoutes branchActions;
    private final ShardRoutes shardRoutes;
    private final DeployRequestRoutes deployRequests;

    /**
     * @param control    what the API drives
     * @param token      the service token every request must carry
     * @param accessHost the gateway's MySQL address, {@code host:port}, that passwords are for (PlanetScale's
     *                   {@code access_host_url})
     */
    public ControlApi(ControlPlane control, String token, String accessHost) {
        this.control = requireNonNull(control, "control is null");
        this.token = requireNonNull(token, "token is null").getBytes(StandardCharsets.UTF_8);
        this.accessHost = requireNonNull(accessHost, "accessHost is null");
        this.branchActions = new BranchRoutes(control, this::branch);
        this.shardRoutes = new ShardRoutes(control);
        this.deployRequests = new DeployRequestRoutes(control);
    }

    public Response handle(Request request) {
        try {
            if (!authorized(request.authorization())) {
                return error(401, "unauthorized", "this API needs the cluster's service token: Authorization: Bearer <token>"
                        + " (the \"control\".\"token\" of cluster.json)");
            }
            return route(request);
        } catch (ControlException e) {
            return error(e.kind().status(), e.kind().code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(400, "invalid_argument", e.getMessage());
        } catch (RuntimeException e) {
            log.error("control API: {} {} failed", request.method(), request.path(), e);
            return error(500, "internal", "the control plane failed: " + e.getMessage());
        }
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String presented = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip()
                : header.contains(":") ? header.substring(header.indexOf(':') + 1).strip() : null;
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
    }

    private Response route(Request r) {
        List<String> p = Arrays.stream(r.path().split("/")).filter(s -> !s.isEmpty()).toList();
        if (p.size() < 2 || !p.get(0).equals("v1") || !p.get(1).equals("organizations")) {
            return error(404, "not_found", "no such endpoint: " + r.path() + " (the API lives under /v1/organizations/{org}/databases)");
        }
        if (p.size() == 2) {
            return only(r, "GET") ? list(List.of(organization())) : notAllowed(r);
        }
        if (p.size() == 3) {
            return only(r, "GET") ? ok(organization()) : notAllowed(r);
        }
        if (!p.get(3).equals("databases")) {
            return error(404, "not_found", "no such endpoint: " + r.path());
        }
        List<String> rest = p.subList(4, p.size());
        return switch (rest.size()) {
            case 0 -> switch (r.method()) {
                case "GET" -> list(control.databases().stream().map(this::database).toList());
                case "POST" -> created(database(control.createDatabase(text(body(r), "name")).database()));
                default -> notAllowed(r);
            };
            case 1 -> switch (r.method()) {
                case "GET" -> ok(database(existingDatabase(rest.get(0))));
                case "DELETE" -> {
                    control.deleteDatabase(rest.get(0));
                    yield new Response(204, null);
                }
                default -> notAllowed(r);
            };
            default -> switch (rest.get(1)) {
                case "branches" -> rest.size() == 2 ? branches(r, rest.get(0), rest.get(1)) : branch(r, rest);
                case "deploy-requests", "deploy-queue" -> deployRequests.route(r, rest.get(0), rest.subList(1, rest.size()));
                default -> error(404, "not_found", "no such endpoint: " + r.path());
            };
        };
    }

    /** {@code branches/{branch}[/...]} of a database: {@code rest} is {@code [db, "branches", branch, ...]}. */
    private Response branch(Request r, List<String> rest) {
        String database = rest.get(0);
        String name = rest.get(2);
        if (rest.size() == 3) {
            return switch (r.method()) {
                case "GET" -> ok(branch(control.branch(database, name)));
                case "DELETE" -> {
                    control.deleteBranch(database, name);
                    yield new Response(204, null);
                }
                default -> notAllowed(r);
            };
        }
        if (rest.get(3).equals("passwords")) {
            return passwords(r, database, name, rest.subList(4, rest.size()));
        }
        if (rest.get(3).equals("shards")) {
            return shardRoutes.route(r, database, name, rest.subList(4, rest.size()));
        }
        return branchActions.route(r, database, name, rest.subList(3, rest.size()));
    }

    private Response branches(Request r, String database, String what) {
        if (!what.equals("branches")) {
            return error(404, "not_found", "no such endpoint: " + r.path());
        }
        return switch (r.method()) {
            case "GET" -> list(control.branches(database).stream().map(this::branch).toList());
            case "POST" -> {
                JsonNode body = body(r);
                String name = text(body, "name");
                String parent = body.path("parent_branch").asText("main");
                control.branch(database, parent); // a missing database or parent is 404 before anything is written
                JsonNode seed = body.path("seed_data");
                if (!seed.isMissingNode() && !seed.isNull() && !seed.isBoolean()) {
                    throw new IllegalArgumentException("seed_data is true or false");
                }
                control.createBranch(database, name, parent, seed.asBoolean(false));
                yield created(branch(control.branch(database, name)));
            }
            default -> notAllowed(r);
        };
    }

    private Response passwords(Request r, String database, String branch, List<String> rest) {
        if (rest.isEmpty()) {
            return switch (r.method()) {
                case "GET" -> list(control.passwords(database, branch).stream().map(c -> password(c, null)).toList());
                case "POST" -> {
                    JsonNode body = body(r);
                    String role = body.path("role").asText(PasswordInfo.ADMIN);
                    JsonNode ttl = body.path("ttl");
                    if (!ttl.isMissingNode() && !ttl.isNull() && !ttl.canConvertToLong()) {
                        throw new IllegalArgumentException("ttl is a number of seconds");
                    }
                    NewPassword made = control.createPassword(database, branch, text(body, "name"), role, ttl.asLong(0));
                    yield created(password(made.credential(), made.password()));
                }
                default -> notAllowed(r);
            };
        }
        String id = rest.get(0);
        if (rest.size() == 1) {
            return switch (r.method()) {
                case "GET" -> ok(password(control.password(database, branch, id), null));
                case "DELETE" -> {
                    control.deletePassword(database, branch, id);
                    yield new Response(204, null);
                }
                default -> notAllowed(r);
            };
        }
        if (rest.size() == 2 && rest.get(1).equals("renew")) {
            if (!only(r, "POST")) {
                return notAllowed(r);
            }
            NewPassword renewed = control.renewPassword(database, branch, id);
            return ok(password(renewed.credential(), renewed.password()));
        }
        return error(404, "not_found", "no such endpoint: " + r.path());
    }

    private String existingDatabase(String name) {
        control.branches(name); // not found when there is none
        return name;
    }

    private ObjectNode organization() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", ORGANIZATION);
        o.put("type", "Organization");
        o.put("name", ORGANIZATION);
        return o;
    }

    private ObjectNode database(String name) {
        List<BranchRecord> branches = control.branches(name);
        BranchRecord main = branches.stream().filter(b -> b.name().equals("main")).findFirst().orElse(branches.getFirst());
        ObjectNode o = JSON.createObjectNode();
        o.put("id", name);
        o.put("type", "Database");
        o.put("name", name);
        o.put("state", main.ready() ? "ready" : "pending");
        o.put("ready", main.ready());
        o.put("default_branch", main.name());
        o.put("branches_count", branches.size());
        o.put("production_branches_count", branches.stream().filter(BranchRecord::production).count());
        o.put("development_branches_count", branches.stream().filter(b -> !b.production()).count());
        o.put("sharded", main.sharded());
        time(o, "created_at", main.createdAt());
        time(o, "updated_at", main.createdAt());
        return o;
    }

    ObjectNode branch(BranchRecord b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", b.id());
        o.put("type", "Branch");
        o.put("name", b.name());
        o.put("parent_branch", b.parent());
        o.put("production", b.production());
        o.put("ready", b.ready());
        o.put("safe_migrations", b.safeMigrations());
        o.put("seed_data", b.seedData());
        control.seedProgress(b.database(), b.name()).ifPresentOrElse(p -> {
            ObjectNode progress = o.putObject("seed_progress");
            progress.put("tables_copied", p.tablesCopied());
            progress.put("tables_total", p.tablesTotal());
            progress.put("rows_copied", p.rowsCopied());
            progress.put("rows_total", p.rowsTotal());
        }, () -> o.putNull("seed_progress"));
        o.put("sharded", b.sharded());
        b.shards().forEach(o.putArray("shards")::add);
        o.put("has_vschema", b.vschema() != null);
        o.put("mysql_address", accessHost);
        time(o, "created_at", b.createdAt());
        time(o, "updated_at", b.createdAt());
        ObjectNode db = o.putObject("database");
        db.put("id", b.database());
        db.put("name", b.database());
        return o;
    }

    private ObjectNode password(Credential c, String plainText) {
        PasswordInfo info = c.info();
        ObjectNode o = JSON.createObjectNode();
        o.put("id", info.id());
        o.put("type", "Password");
        o.put("name", info.name());
        o.put("role", info.role());
        o.put("username", c.user());
        if (plainText != null) {
            o.put("plain_text", plainText);
        }
        o.put("access_host_url", accessHost);
        o.put("ttl_seconds", info.ttlSeconds() == 0 ? null : info.ttlSeconds());
        time(o, "expires_at", info.expiresAt());
        o.put("expired", c.expiredAt(System.currentTimeMillis()));
        o.put("renewable", true);
        time(o, "created_at", info.createdAt());
        ObjectNode branch = o.putObject("database_branch");
        branch.put("name", c.branch());
        control.topology().branch(c.database(), c.branch()).ifPresent(b -> {
            branch.put("id", b.id());
            branch.put("production", b.production());
        });
        branch.put("database", c.database());
        return o;
    }

    static void time(ObjectNode o, String field, Long epochMillis) {
        o.put(field, epochMillis == null ? null : TIME.format(Instant.ofEpochMilli(epochMillis)));
    }

    static JsonNode body(Request r) {
        if (r.body() == null || r.body().isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            if (!body.isObject()) {
                throw new IllegalArgumentException("the request body is not a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("the request body needs \"" + field + "\" (a string)");
        }
        return v.asText();
    }

    static boolean only(Request r, String method) {
        return r.method().equals(method);
    }

    static Response notAllowed(Request r) {
        return error(405, "method_not_allowed", r.method() + " is not allowed on " + r.path());
    }

    static Response ok(JsonNode body) {
        return new Response(200, body);
    }

    static Response created(JsonNode body) {
        return new Response(201, body);
    }

    static Response list(List<? extends JsonNode> items) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode data = o.putArray("data");
        items.forEach(data::add);
        o.put("current_page", 1);
        o.putNull("next_page");
        o.putNull("prev_page");
        return ok(o);
    }

    static Response error(int status, String code, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", code);
        o.put("message", message);
        return new Response(status, o);
    }
}
