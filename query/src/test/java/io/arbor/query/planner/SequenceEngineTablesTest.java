package io.arbor.query.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbor.protocol.MySqlException;
import io.arbor.query.engine.Keyspace;
import io.arbor.sql.LexMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's sequence engine tables ({@code seq_1_to_5000}) on a sharded keyspace: in no vschema, on every server,
 * so planned as reference tables: alone to one shard, joined along with a sharded table.
 */
class SequenceEngineTablesTest {
    private static final Keyspace COMMERCE = Keyspace.sharded("commerce");

    private static String plan(String sql, ShardedTables tables) {
        return Planner.plan(sql, LexMode.DEFAULT, COMMERCE, tables).describe();
    }

    @Test
    void aSequenceTableAloneGoesToOneShard() {
        for (String sql : new String[] {"SELECT seq FROM seq_1_to_5000 ORDER BY seq", "SELECT SUM(seq) FROM `seq_1_to_10_step_2`"}) {
            assertThat(plan(sql, PlanGoldenTest.COMMERCE)).as(sql).contains("\"Variant\": \"Reference\"")
                    .doesNotContain("Scatter");
        }
    }

    @Test
    void joinedWithAShardedTableItGoesWithIt() {
        assertThat(plan("SELECT c.name, s.seq FROM customer c JOIN seq_1_to_3 s WHERE c.id = 7", PlanGoldenTest.COMMERCE))
                .contains("\"Variant\": \"EqualUnique\"").contains("JOIN seq_1_to_3 s");
        assertThat(plan("SELECT c.name FROM customer c JOIN seq_1_to_10_step_2 s ON s.seq = c.id", PlanGoldenTest.COMMERCE))
                .contains("\"Variant\": \"Scatter\"").doesNotContain("\"OperatorType\": \"Join\"");
    }

    @Test
    void aVschemaTableOfThatNameWinsAndOtherNamesAreStillRefused() {
        ShardedTables tables = name -> name.equals("seq_1_to_3")
                ? Optional.of(ShardedTables.Table.sharded(name, "seq", new io.arbor.query.vindex.HashVindex("hash")))
                : Optional.empty();
        assertThat(plan("SELECT seq FROM seq_1_to_3", tables)).contains("\"Variant\": \"Scatter\"");
        for (String name : new String[] {"seq_1_to", "seq_a_to_b", "seq_1_to_2_step", "xseq_1_to_2", "seq_1_to_2x"}) {
            assertThatThrownBy(() -> plan("SELECT * FROM " + name, tables)).as(name).isInstanceOf(MySqlException.class)
                    .hasMessageContaining("not in the vschema");
        }
    }
}
