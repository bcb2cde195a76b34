package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code arbor shard show | add-replica | remove-replica DATABASE BRANCH ...}: a branch's shards and their tablets. */
@Command(name = "shard", mixinStandardHelpOptions = true,
        description = {"A branch's shards and the tablets serving each: one primary and its replicas, each its own"
                + " mariadbd; replicas are copied from the primary and follow it with GTID replication, and with a"
                + " replica the primary's commits return once a replica has them (semi-sync)."},
        subcommands = {ShardCommand.Show.class, ShardCommand.AddReplica.class, ShardCommand.RemoveReplica.class,
                ShardCommand.Reparent.class},
        footer = {"", DatabaseCommand.EXIT_CODES})
final class ShardCommand extends CommandGroup {
    @Command(name = "show", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Every tablet of the branch's shards (or of SHARD): role, port, whether it serves, its GTID"
                    + " position, a replica's lag in seconds, a primary's semi-sync state (on: commits wait for a"
                    + " replica's acknowledgement)."})
    static final class Show extends ControlCall {
        @Mixin
        BranchRef where;
        @Parameters(index = "2", arity = "0..1", paramLabel = "SHARD", description = "One shard (0, -80, 80-, ...).")
        String shard;

        @Override
        int run(ControlClient client) {
            JsonNode data = shard == null ? client.get(where.path(client, "shards")) : client.get(where.path(client, "shards", shard));
            printList(data.path("data"), "shard", "alias", "role", "port", "serving", "gtid_position", "lag_seconds",
                    "semi_sync", "health");
            return 0;
        }
    }

    @Command(name = "add-replica", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Add a replica tablet to SHARD: its data is copied from the primary (mariadb-backup), then it"
                    + " follows the primary; the primary's commits wait for a replica's acknowledgement from then on."})
    static final class AddReplica extends ControlCall {
        @Mixin
        BranchRef where;
        @Parameters(index = "2", paramLabel = "SHARD", description = "The shard (0 when unsharded, -80, 80-, ...).")
        String shard;

        @Override
        int run(ControlClient client) {
            JsonNode made = client.post(where.path(client, "shards", shard, "replicas"), null);
            printObject(made, "alias", "shard", "role", "port");
            if (!json()) {
                note("it starts once the copy of the primary is done: arbor shard show " + where.database + " "
                        + where.branch + " " + shard);
            }
            return 0;
        }
    }

    @Command(name = "remove-replica", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Stop a replica tablet and delete its data. A shard's last replica going turns semi-sync"
                    + " off on its primary first."})
    static final class RemoveReplica extends ControlCall {
        @Mixin
        BranchRef where;
        @Parameters(index = "2", paramLabel = "TABLET", description = "The replica's alias (arbor shard show lists them).")
        String alias;

        @Override
        int run(ControlClient client) {
            JsonNode gone = client.get(where.path(client, "shards")); // to find the shard in the path
            String shard = null;
            for (JsonNode t : gone.path("data")) {
                if (t.path("alias").asText().equals(alias)) {
                    shard = t.path("shard").asText();
                }
            }
            if (shard == null) {
                throw new CommandFailure(where.name() + " has no tablet " + alias + " (arbor shard show " + where.database
                        + " " + where.branch + " lists them)");
            }
            printObject(client.delete(where.path(client, "shards", shard, "replicas", alias)), "alias", "shard", "role");
            return 0;
        }
    }

    @Command(name = "reparent", mixinStandardHelpOptions = true, footer = {"", DatabaseCommand.EXIT_CODES},
            description = {"Move SHARD's primary role to a replica with no client errors: new statements wait in the"
                    + " gateway while the primary finishes what runs (up to 5 s), turns read-only and the replica"
                    + " catches up; then they run on the new primary, and the old one follows it as a replica."})
    static final class Reparent extends ControlCall {
        @Mixin
        BranchRef where;
        @Parameters(index = "2", paramLabel = "SHARD", description = "The shard (0 when unsharded, -80, 80-, ...).")
        String shard;
        @picocli.CommandLine.Option(names = "--to", paramLabel = "TABLET",
                description = "The replica to promote (default: the most advanced serving one).")
        String to;

        @Override
        int run(ControlClient client) {
            com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .build().createObjectNode();
            if (to != null) {
                body.put("to", to);
            }
            printObject(client.post(where.path(client, "shards", shard, "reparent"), body), "shard", "from", "to",
                    "gtid_position", "writes_held_ms");
            return 0;
        }
    }
}
