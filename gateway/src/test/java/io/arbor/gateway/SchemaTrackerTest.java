package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.planner.ShardedPlans;
import io.arbor.query.planner.ShardedTables;
import io.arbor.query.vindex.HashVindex;
import io.arbor.sql.LexMode;
import io.arbor.tablet.SessionSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which statements make the gateway learn a table's columns before planning them, what it asks the first shard, and
 * MariaDB's 1146 when the shard has no such table (a fake tablet, which answers every query with no rows).
 */
class SchemaTrackerTest {
    private static final HashVindex HASH = new HashVindex("hash");
    private static final ShardedTables VSCHEMA = new ShardedTables() {
        @Override
        public Optional<Table> table(String name) {
            return Optional.ofNullable(switch (name) {
                case "item", "Item2" -> Table.sharded(name, "id", HASH);
                case "declared" -> Table.sharded(name, "id", HASH);
                case "country" -> Table.reference(name);
                default -> null;
            });
        }

        @Override
        public List<String> columns(String table) {
            return table.equals("declared") ? List.of("id", "label") : null;
        }
    };

    private final Session session = Session.of("app_user", 0, new SessionSettings("app", Map.of()), false);
    private final FakeQueryService shard = new FakeQueryService();
    private final SchemaTracker tracker = new SchemaTracker(VSCHEMA);
    private final ShardedPlans plans = ShardedPlans.of(Keyspace.sharded("app/main"), tracker);
    private final AtomicInteger reruns = new AtomicInteger();

    private SchemaTracker.Learning learning(String sql) {
        return new SchemaTracker.Learning(session, sql, LexMode.DEFAULT, "app", () -> shard, 0, () -> {
            reruns.incrementAndGet();
            return CompletableFuture.completedFuture(Executor.Completion.failed(session,
                    MySqlError.ER_NOT_SUPPORTED_YET.exception("rerun")));
        });
    }

    private MySqlException learnFirst(String sql) {
        shard.then(FakeQueryService.ok());
        CompletableFuture<Executor.Completion> answer = SchemaTracker.learnFirst(plans, learning(sql));
        assertThat(answer).as("%s is learned for", sql).isNotNull();
        return answer.join().error();
    }

    @Test
    void anInsertWithoutAColumnListAsksTheFirstShardForTheTablesColumns() {
        for (String sql : List.of("INSERT INTO item VALUES (1, 'a')", "insert low_priority ignore into `item` value (1)",
                "REPLACE item VALUES (1)", "INSERT INTO app.item PARTITION (p0, p1) VALUES (1)", "INSERT INTO Item2 VALUES (1)")) {
            assertThat(learnFirst(sql).code()).as(sql).isEqualTo(1146);
        }
        assertThat(shard.received).hasSize(5).allSatisfy(r -> assertThat(r.session().reservation()).isZero());
        assertThat(shard.received.getFirst().text()).isEqualTo("SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 'item' AND EXTRA NOT LIKE '%INVISIBLE%'"
                + " ORDER BY ORDINAL_POSITION");
        assertThat(shard.received.getLast().text()).contains("TABLE_NAME = 'Item2'");
        assertThat(reruns).as("nothing learned, nothing rerun").hasValue(0);
    }

    @Test
    void aTableTheShardLacksGetsMariaDbsErrorNamingItsDatabase() {
        MySqlException e = learnFirst("INSERT INTO item VALUES (1)");
        assertThat(e.toString()).isEqualTo("ERROR 1146 (42S02): Table 'app.item' doesn't exist");
        assertThat(learnFirst("INSERT INTO other.item VALUES (1)").getMessage()).isEqualTo("Table 'other.item' doesn't exist");
    }

    @Test
    void statementsWhoseColumnsAreKnownOrNotNeededAreNotLearnedFor() {
        for (String sql : List.of("INSERT INTO item (id, name) VALUES (1, 'a')", "INSERT INTO item SET id = 1",
                "INSERT INTO item SELECT * FROM item", "INSERT INTO declared VALUES (1, 'a')",
                "INSERT INTO country VALUES ('nz', 'New Zealand')", "INSERT INTO unknown VALUES (1)",
                "SELECT * FROM item", "UPDATE item SET name = 'VALUES' WHERE id = 1", "INSERT INTO `it\\\\em` VALUES (1)")) {
            assertThat(SchemaTracker.learnFirst(plans, learning(sql))).as(sql).isNull();
        }
        assertThat(shard.received).isEmpty();
    }

    @Test
    void theVschemasAuthoritativeColumnsComeBeforeAnythingLearned() {
        assertThat(tracker.columns("declared")).containsExactly("id", "label");
        assertThat(tracker.columns("item")).isNull();
        assertThat(tracker.table("item")).isEqualTo(VSCHEMA.table("item"));
    }

    @Test
    void onlyAColumnCountErrorOnLearnedColumnsIsLearnedAgain() {
        MySqlException count = MySqlError.ER_WRONG_VALUE_COUNT_ON_ROW.exception(1);
        assertThat(SchemaTracker.afterRefusal(count, plans, learning("INSERT INTO item VALUES (1)")))
                .as("nothing was learned of item").isNull();
        assertThat(SchemaTracker.afterRefusal(count, plans, learning("INSERT INTO declared VALUES (1)")))
                .as("declared columns").isNull();
        assertThat(SchemaTracker.afterRefusal(MySqlError.ER_NOT_SUPPORTED_YET.exception("x"), plans,
                learning("INSERT INTO item VALUES (1)"))).isNull();
        assertThat(shard.received).isEmpty();
    }

    @Test
    void aTableNeitherTheVschemaNorTheFirstShardHasGetsMariaDbsError() {
        shard.then(FakeQueryService.ok());
        MySqlException refused = MySqlError.ER_TABLE_NOT_IN_VSCHEMA.exception("nope", "app/main");
        CompletableFuture<Executor.Completion> answer = SchemaTracker.afterRefusal(refused, plans,
                learning("SELECT * FROM nope"));
        assertThat(answer).isNotNull();
        assertThat(answer.join().error().toString()).isEqualTo("ERROR 1146 (42S02): Table 'app.nope' doesn't exist");
        assertThat(shard.last().text()).isEqualTo("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app'"
                + " AND TABLE_NAME = 'nope'");
    }
}
