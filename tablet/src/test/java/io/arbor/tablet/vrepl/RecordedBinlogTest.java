package io.arbor.tablet.vrepl;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The row stream's reading of a binlog, fed from a file MariaDB 10.11 wrote (src/test/resources/binlog): a
 * database and two tables created, rows inserted, an UPDATE that moves a key in a transaction that also touches
 * another table, a DELETE, an ALTER and a DROP. Recorded with:
 * <pre>
 * FLUSH BINARY LOGS;
 * CREATE DATABASE rec; USE rec;
 * CREATE TABLE k (id INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(20) CHARACTER SET utf8mb4, code VARBINARY(4),
 *                 big BIGINT UNSIGNED);
 * CREATE TABLE other (id INT PRIMARY KEY);
 * INSERT INTO k VALUES (1, 'héllo', 0x00ff, 18446744073709551615), (4294967295, 'max', NULL, 1);
 * INSERT INTO other VALUES (1);
 * BEGIN; UPDATE k SET name = 'changed', id = 2 WHERE id = 1; INSERT INTO other VALUES (2); COMMIT;
 * DELETE FROM k WHERE id = 4294967295;
 * ALTER TABLE k ADD COLUMN extra INT;
 * DROP TABLE other;
 * FLUSH BINARY LOGS;
 * </pre>
 */
class RecordedBinlogTest {
    private static final List<Transaction> TRANSACTIONS = new ArrayList<>();
    private static final KeyColumn ID = KeyColumn.of("id", 0, "int", "int(10) unsigned", null);
    private static final KeyColumn NAME = KeyColumn.of("name", 1, "varchar", "varchar(20)", "utf8mb4");
    private static final KeyColumn CODE = KeyColumn.of("code", 2, "varbinary", "varbinary(4)", null);
    private static final KeyColumn BIG = KeyColumn.of("big", 3, "bigint", "bigint(20) unsigned", null);

    @BeforeAll
    static void read() throws Exception {
        ChangeReader reader = new ChangeReader((schema, table) -> schema.equals("rec") && table.equals("k"), TRANSACTIONS::add);
        // The live tail's own deserializer: the row events of other tables are skipped undecoded.
        EventDeserializer d = BinlogTail.deserializer(reader);
        try (InputStream in = RecordedBinlogTest.class.getResourceAsStream("/binlog/recorded.000003");
             BinaryLogFileReader file = new BinaryLogFileReader(in, d)) {
            for (Event e; (e = file.readEvent()) != null; ) {
                reader.accept(e);
            }
        }
    }

    @Test
    void everyTransactionIsReadInOrderWithItsGtid() {
        assertThat(TRANSACTIONS).extracting(t -> t.gtid().toString())
                .containsExactly("0-101-114", "0-101-115", "0-101-116", "0-101-117", "0-101-118", "0-101-119",
                        "0-101-120", "0-101-121", "0-101-122");
        GtidPosition p = GtidPosition.parse("0-101-113");
        for (Transaction t : TRANSACTIONS) {
            p = p.with(t.gtid());
        }
        assertThat(p).isEqualTo(GtidPosition.parse("0-101-122"));
        assertThat(p.covers(GtidPosition.parse("0-101-120"))).isTrue();
        assertThat(GtidPosition.parse("0-101-120").covers(p)).isFalse();
        assertThat(GtidPosition.parse("0-101-120").behind(p)).isEqualTo(2);
    }

    @Test
    void rowImagesAreKeptForTheTableOfInterestOnly() {
        assertThat(TRANSACTIONS.get(3).rows()).hasSize(2); // the INSERT of two rows into k
        assertThat(TRANSACTIONS.get(4).rows()).as("other is not of interest").isEmpty();
        assertThat(TRANSACTIONS.get(5).rows()).as("the UPDATE's before and after image, not other's row").hasSize(2);
        assertThat(TRANSACTIONS.get(6).rows()).hasSize(1);
        assertThat(TRANSACTIONS).allSatisfy(t -> assertThat(t.rows()).allSatisfy(r ->
                assertThat(r.schema() + "." + r.table()).isEqualTo("rec.k")));
    }

    @Test
    void keyValuesReadAsTheServerPrintsThem() {
        Transaction.RowImage first = TRANSACTIONS.get(3).rows().get(0);
        Transaction.RowImage second = TRANSACTIONS.get(3).rows().get(1);
        assertThat(ID.fromBinlog(first.values()[0])).isEqualTo("1");
        assertThat(ID.fromBinlog(second.values()[0])).as("INT UNSIGNED above 2^31 comes signed from the binlog")
                .isEqualTo("4294967295");
        assertThat(NAME.fromBinlog(first.values()[1])).isEqualTo("héllo");
        assertThat(CODE.fromBinlog(first.values()[2])).isEqualTo("00ff");
        assertThat(CODE.fromBinlog(second.values()[2])).isNull();
        assertThat(BIG.fromBinlog(first.values()[3])).isEqualTo("18446744073709551615");
        assertThat(BIG.fromBinlog(second.values()[3])).isEqualTo("1");
    }

    @Test
    void theStreamRefreshesBothEndsOfAMovedKeyOnce() {
        Set<List<String>> keys = RowStream.changedKeys(TRANSACTIONS.subList(3, 7), List.of(ID));
        assertThat(keys).containsExactly(List.of("1"), List.of("4294967295"), List.of("2"));
        Set<List<String>> composite = RowStream.changedKeys(TRANSACTIONS.subList(5, 6), List.of(ID, NAME));
        assertThat(composite).containsExactly(List.of("1", "héllo"), List.of("2", "changed"));
    }

    @Test
    void statementsComeWithTheirSchema() {
        Transaction alter = TRANSACTIONS.get(7);
        assertThat(alter.statement()).isNotNull();
        assertThat(alter.statement().schema()).isEqualTo("rec");
        assertThat(alter.statement().sql()).isEqualTo("ALTER TABLE k ADD COLUMN extra INT");
        assertThat(TRANSACTIONS.get(8).statement().sql()).startsWith("DROP TABLE");
        assertThat(TRANSACTIONS.get(3).statement()).as("a row transaction has none").isNull();
        assertThat("héllo".getBytes(StandardCharsets.UTF_8)).hasSize(6);
    }
}
