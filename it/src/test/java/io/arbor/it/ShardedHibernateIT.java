package io.arbor.it;

import java.util.Map;
import java.util.Set;

/**
 * {@link HibernateIT} against a 2-shard {@code app} with a vschema for its entities' tables (issue 11): in transactions
 * across shards (autocommit off), as Hibernate writes; {@code hb_account}'s IDENTITY ids come from a sequence.
 */
@TestingCluster.Sharded
class ShardedHibernateIT extends HibernateIT {
    static String vschema() {
        // hb_entry by its account's id, as a vschema shards a child table by its parent's key: an account's entries
        // live on its shard, so joins of the two go to the shards (and a batch of one account's entries is one INSERT)
        return ShardedSuites.vschema(Map.of("hb_account", "id", "hb_entry", "account_id", "hb_fk_parent", "id",
                "hb_fk_child", "id"), Set.of("hb_account")); // IDENTITY ids: Hibernate leaves the id out
    }
}
