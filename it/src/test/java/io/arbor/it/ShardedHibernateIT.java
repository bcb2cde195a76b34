package io.arbor.it;

import java.util.Map;
import java.util.Set;

/**
 * {@link HibernateIT} against a 2-shard {@code app} with a vschema for its entities' tables (issue 11): in transactions
 * across shards (autocommit off), as Hibernate writes; {@code hb_account}'s IDENTITY ids come from a sequence.
 */
@TestingCluster.Sharded(blocked = "pessimisticLocksHoldTheRow: MySQLDialect's FOR UPDATE OF a1_0 / FOR SHARE OF a1_0"
        + " reach the shards as written (MariaDB: 1064 near 'of a1_0'): the sharded path does not apply the gateway's"
        + " MySQL 8 rewrites (QueryRewriter) that the unsharded path does; with them (tried), FOR UPDATE passes and"
        + " FOR SHARE becomes LOCK IN SHARE MODE, which the planner's parser (JSqlParser) does not read (1235)")
class ShardedHibernateIT extends HibernateIT {
    static String vschema() {
        // hb_entry by its account's id, as a vschema shards a child table by its parent's key: an account's entries
        // live on its shard, so joins of the two go to the shards (and a batch of one account's entries is one INSERT)
        return ShardedSuites.vschema(Map.of("hb_account", "id", "hb_entry", "account_id", "hb_fk_parent", "id",
                "hb_fk_child", "id"), Set.of("hb_account")); // IDENTITY ids: Hibernate leaves the id out
    }
}
