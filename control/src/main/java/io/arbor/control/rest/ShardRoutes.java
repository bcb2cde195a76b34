package io.arbor.control.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.control.ControlPlane;
import io.arbor.control.ShardTablets;
import io.arbor.tablet.ReplicationStatus;
import io.arbor.tablet.TabletStatus;
import io.arbor.topo.TabletRecord;

import java.util.ArrayList;
import java.util.List;

import static io.arbor.control.rest.ControlApi.created;
import static io.arbor.control.rest.ControlApi.error;
import static io.arbor.control.rest.ControlApi.list;
import static io.arbor.control.rest.ControlApi.notAllowed;
import static io.arbor.control.rest.ControlApi.ok;
import static io.arbor.control.rest.ControlApi.only;

/**
 * A branch's shards and tablets: {@code GET shards} (every tablet of every shard, the primary of each first, with
 * what it says now: serving, GTID position, a replica's lag and threads, a primary's semi-sync), {@code GET
 * shards/{shard}}, {@code POST shards/{shard}/replicas} (a new replica, copied from the primary), {@code DELETE
 * shards/{shard}/replicas/{alias}} and {@code POST shards/{shard}/reparent} ({@code {"to": alias}} or the most
 * advanced replica: a planned move of the primary role).
 */
final class ShardRoutes {
    private final ControlPlane control;

    ShardRoutes(ControlPlane control) {
        this.control = control;
    }

    /** {@code rest} is what follows {@code branches/{branch}/shards}. */
    ControlApi.Response route(ControlApi.Request r, String database, String branch, List<String> rest) {
        ShardTablets shards = control.shards();
        if (rest.size() <= 1) {
            return only(r, "GET") ? list(tablets(shards.show(database, branch, rest.isEmpty() ? null : rest.get(0))))
                    : notAllowed(r);
        }
        if (rest.get(1).equals("reparent") && rest.size() == 2) {
            if (!only(r, "POST")) {
                return notAllowed(r);
            }
            String to = null;
            if (r.body() != null && !r.body().isBlank()) {
                try {
                    com.fasterxml.jackson.databind.JsonNode body = ControlApi.JSON.readTree(r.body());
                    to = body.path("to").isTextual() ? body.path("to").asText() : null;
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    return error(400, "bad_request", "the body is not JSON: " + e.getOriginalMessage());
                }
            }
            io.arbor.control.Failover.Outcome done;
            try {
                done = control.failover().reparent(database, branch, rest.get(0), to);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(503, "unavailable", "interrupted");
            }
            ObjectNode o = ControlApi.JSON.createObjectNode();
            o.put("shard", done.shard());
            o.put("from", done.lost());
            o.put("to", done.promoted());
            o.put("gtid_position", done.gtid());
            o.put("writes_held_ms", done.millis());
            return ok(o);
        }
        if (!rest.get(1).equals("replicas") || rest.size() > 3) {
            return error(404, "not_found", "no such endpoint: " + r.path());
        }
        if (rest.size() == 2) {
            return only(r, "POST") ? created(record(shards.addReplica(database, branch, rest.get(0)))) : notAllowed(r);
        }
        if (!only(r, "DELETE")) {
            return notAllowed(r);
        }
        TabletRecord gone = shards.removeReplica(database, branch, rest.get(2));
        if (!gone.shard().equals(rest.get(0))) {
            // removed already: say where it was rather than pretend the path was right
            return ok(record(gone).put("note", "tablet " + gone.alias() + " was a replica of shard " + gone.shard()));
        }
        return ok(record(gone));
    }

    private static List<ObjectNode> tablets(List<ShardTablets.ShardView> shards) {
        List<ObjectNode> out = new ArrayList<>();
        for (ShardTablets.ShardView s : shards) {
            for (ShardTablets.TabletView t : s.tablets()) {
                out.add(tablet(t));
            }
        }
        return out;
    }

    private static ObjectNode record(TabletRecord r) {
        ObjectNode o = ControlApi.JSON.createObjectNode();
        o.put("shard", r.shard());
        o.put("alias", r.alias());
        o.put("role", r.role().lowercase());
        o.put("host", r.host());
        o.put("port", r.port());
        return o;
    }

    /** A tablet's record and what it says; a tablet that could not be asked has {@code serving} null. */
    static ObjectNode tablet(ShardTablets.TabletView t) {
        ObjectNode o = record(t.record());
        TabletStatus s = t.status();
        if (s == null) {
            o.putNull("serving");
            o.put("health", "not running here");
            return o;
        }
        o.put("serving", s.health().serving());
        o.put("health", s.health().reason());
        o.put("gtid_position", s.gtidPosition());
        if (t.record().role() == io.arbor.topo.TabletType.PRIMARY) {
            o.put("semi_sync", s.semiSync());
            o.put("semi_sync_replicas", s.semiSyncReplicas());
        } else {
            ReplicationStatus rs = s.replication();
            if (rs.lagSeconds() < 0) {
                o.putNull("lag_seconds");
            } else {
                o.put("lag_seconds", rs.lagSeconds());
            }
            o.put("replicating", rs.replicating());
            o.put("replicating_from", rs.primaryHost().isEmpty() ? null : rs.primaryHost() + ":" + rs.primaryPort());
            o.put("replication_error", rs.lastError().isEmpty() ? null : rs.lastError());
        }
        return o;
    }
}
