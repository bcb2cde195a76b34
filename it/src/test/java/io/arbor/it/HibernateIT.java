package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arbor.it.TestingCluster.Driver;
import jakarta.persistence.Column;
import jakarta.persistence.ConstraintMode;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ForeignKey;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Lob;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.Hibernate;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StaleObjectStateException;
import org.hibernate.Transaction;
import org.hibernate.cfg.Configuration;
import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.MySQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hibernate ORM, unchanged, through Arbor's MySQL endpoint with MySQL Connector/J: dialect detection, schema
 * export (and Arbor's refusal of foreign keys), round trips of the common column types, HQL, optimistic
 * locking, rollback, JDBC batching, pagination and native SQL.
 *
 * <p>One session factory for the class, on the model that works with Arbor: the {@code @ManyToOne} declares
 * {@code ConstraintMode.NO_CONSTRAINT} and an index on its column, which is what Arbor's refusal message asks
 * for. {@code -Darbor.it.showSql=true} prints the SQL Hibernate sends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HibernateIT {

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    /** {@code rewriteBatchedStatements}: Hibernate's JDBC batches reach the server as multi-row statements. */
    private static final String JDBC_PARAMS = "rewriteBatchedStatements=true";

    /**
     * Connector/J caches the reserved words it reads from a MySQL 8 server ({@code INFORMATION_SCHEMA.KEYWORDS},
     * which the gateway adapts for MariaDB) for the whole JVM, and only on success: so that
     * {@link #bootstrapsWithConnectorJDefaults} sees the first read, it runs first ({@link Order}) and the class's
     * session factory is built on first use, not in a {@code @BeforeAll}.
     */
    /** The class's session factory, built on first use, after {@link #bootstrapsWithConnectorJDefaults}. */
    private static SessionFactory sessions;

    enum Status { ACTIVE, SUSPENDED, CLOSED }

    /** The entity with every common column type; IDENTITY id, as most MySQL applications have. */
    @Entity(name = "Account")
    @Table(name = "hb_account")
    static class Account {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        @Column(length = 100, nullable = false)
        String name;
        @Column(precision = 19, scale = 4)
        BigDecimal balance;
        LocalDate opened;
        LocalDateTime lastSeen;
        Instant createdAt;
        boolean active;
        @Enumerated(EnumType.STRING)
        Status status;
        @Lob
        byte[] photo;
        @Version
        int version;

        Account() {
        }

        Account(String name, BigDecimal balance) {
            this.name = name;
            this.balance = balance;
            this.status = Status.ACTIVE;
            this.active = true;
        }
    }

    /** The many side, mapped the way Arbor asks: no FOREIGN KEY constraint, an index on the column instead. */
    @Entity(name = "Entry")
    @Table(name = "hb_entry", indexes = @Index(name = "hb_entry_account", columnList = "account_id"))
    static class Entry {
        @Id
        Long id;
        @Column(length = 40)
        String memo;
        @Column(precision = 12, scale = 2)
        BigDecimal amount;
        @ManyToOne(fetch = FetchType.LAZY, optional = false)
        @JoinColumn(name = "account_id", nullable = false, foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))
        Account account;

        Entry() {
        }

        Entry(long id, Account account, String memo, String amount) {
            this.id = id;
            this.account = account;
            this.memo = memo;
            this.amount = new BigDecimal(amount);
        }
    }

    /** A parent for the default mapping, whose FOREIGN KEY Arbor refuses. */
    @Entity(name = "FkParent")
    @Table(name = "hb_fk_parent")
    static class FkParent {
        @Id
        Long id;
    }

    /** A child with a plain {@code @ManyToOne}: Hibernate's default mapping adds a FOREIGN KEY. */
    @Entity(name = "FkChild")
    @Table(name = "hb_fk_child")
    static class FkChild {
        @Id
        Long id;
        @ManyToOne
        FkParent parent;
    }

    private static synchronized SessionFactory sessions() {
        if (sessions == null) {
            sessions = buildSessionFactory();
        }
        return sessions;
    }

    private static SessionFactory buildSessionFactory() {
        // halt_on_error: the schema is created without a single refused or failed statement.
        return configuration(Map.of(
                "hibernate.hbm2ddl.auto", "create",
                "hibernate.hbm2ddl.halt_on_error", "true",
                "hibernate.jdbc.batch_size", "50",
                "hibernate.order_inserts", "true",
                "hibernate.generate_statistics", "true"))
                .addAnnotatedClass(Account.class)
                .addAnnotatedClass(Entry.class)
                .buildSessionFactory();
    }

    @AfterAll
    static synchronized void closeSessionFactory() {
        if (sessions != null) {
            sessions.close();
            sessions = null; // a subclass (ShardedHibernateIT) runs on a cluster of its own: its factory is its own
        }
    }

    // ---- dialect and schema ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void bootstrapsWithConnectorJDefaults() throws Exception {
        List<String> failures = new ArrayList<>();
        // What Connector/J applications get from DatabaseMetaData; Hibernate asks at bootstrap.
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, JDBC_PARAMS)) {
            Throwable keywords = catchThrowable(() -> c.getMetaData().getSQLKeywords());
            if (keywords != null) {
                failures.add("DatabaseMetaData.getSQLKeywords() failed: " + keywords);
            }
        }
        Throwable bootstrap = catchThrowable(() -> {
            try (SessionFactory plain = configuration(JDBC_PARAMS, Map.of())
                    .addAnnotatedClass(Account.class)
                    .addAnnotatedClass(Entry.class)
                    .buildSessionFactory()) {
                Dialect dialect = plain.unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect();
                assertThat(dialect).isInstanceOf(MySQLDialect.class);
                Integer one = plain.fromSession(s -> s.createNativeQuery("SELECT 1", Integer.class).getSingleResult());
                assertThat(one).isEqualTo(1);
            }
        });
        if (bootstrap != null) {
            failures.add("Hibernate bootstrap with an auto-detected dialect failed: " + bootstrap);
        }
        assertThat(failures).as("with Connector/J's default settings").isEmpty();
    }

    @Test
    void dialectIsDetectedFromTheVersionTheGatewayAnnounces() throws Exception {
        Dialect dialect = sessions().unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect();
        int major;
        int minor;
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, "")) {
            DatabaseMetaData meta = c.getMetaData();
            major = meta.getDatabaseMajorVersion();
            minor = meta.getDatabaseMinorVersion();
        }
        String serverVersion = sessions().fromSession(s -> s.createNativeQuery("SELECT VERSION()", String.class)
                .getSingleResult());
        System.out.printf("HibernateIT: dialect %s %s; handshake %d.%d; SELECT VERSION() = %s%n",
                dialect.getClass().getName(), dialect.getVersion(), major, minor, serverVersion);

        // Connector/J names the product "MySQL" and Hibernate 7 looks no further (it tells MariaDB only by product or
        // driver name), so it takes MySQLDialect at the announced version, and writes MySQL 8 SQL for a MariaDB:
        // see pessimisticLocksHoldTheRow.
        assertThat(dialect).isInstanceOf(MySQLDialect.class);
        assertThat(dialect.getVersion().getDatabaseMajorVersion()).isEqualTo(major);
        assertThat(dialect.getVersion().getDatabaseMinorVersion()).isEqualTo(minor);
    }

    @Test
    void noConstraintMappingCreatesTheSchemaWithAnIndexAndNoForeignKey() throws Exception {
        sessions(); // the schema is created with the session factory, whichever test builds it first
        try (Connection db = CLUSTER.direct()) {
            assertThat(strings(db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME IN ('hb_account', 'hb_entry') ORDER BY 1")).containsExactly("hb_account", "hb_entry");
            assertThat(strings(db, "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'hb_entry'")).isEmpty();
            assertThat(strings(db, "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'hb_entry' AND INDEX_NAME = 'hb_entry_account'")).containsExactly("account_id");
        }
    }

    @Test
    void defaultForeignKeyIsRefusedAndTheReasonReachesTheUser() throws Exception {
        dropFkTables();
        Throwable thrown = catchThrowable(() -> configuration(Map.of(
                "hibernate.hbm2ddl.auto", "create-only",
                "hibernate.hbm2ddl.halt_on_error", "true"))
                .addAnnotatedClass(FkParent.class)
                .addAnnotatedClass(FkChild.class)
                .buildSessionFactory()
                .close());

        assertThat(thrown).as("schema export of a @ManyToOne with the default FOREIGN KEY").isNotNull();
        SQLException refusal = sqlExceptionIn(thrown);
        assertThat((Throwable) refusal).as("SQLException in %s", thrown).isNotNull();
        assertThat(refusal.getErrorCode()).isEqualTo(1235);
        assertThat(refusal.getSQLState()).isEqualTo("42000");
        assertThat(refusal.getMessage()).contains("FOREIGN KEY").contains("index on the referencing columns");
        // Hibernate halts on the ALTER TABLE that adds the constraint, and names it.
        assertThat(messages(thrown)).containsIgnoringCase("alter table hb_fk_child add constraint")
                .containsIgnoringCase("foreign key (parent_id) references hb_fk_parent");
        try (Connection db = CLUSTER.direct()) {
            assertThat(strings(db, "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'hb_fk_child'")).isEmpty();
        }
    }

    @Test
    void defaultConstraintModeSettingCreatesTheSameModelWithoutForeignKeys() throws Exception {
        dropFkTables();
        // The same default mapping, with Hibernate's global switch instead of an annotation per association.
        try (SessionFactory fk = configuration(Map.of(
                "hibernate.hbm2ddl.auto", "create-only",
                "hibernate.hbm2ddl.halt_on_error", "true",
                "hibernate.hbm2ddl.default_constraint_mode", "NO_CONSTRAINT"))
                .addAnnotatedClass(FkParent.class)
                .addAnnotatedClass(FkChild.class)
                .buildSessionFactory()) {
            fk.inTransaction(s -> {
                FkParent parent = new FkParent();
                parent.id = 1L;
                FkChild child = new FkChild();
                child.id = 10L;
                child.parent = parent;
                s.persist(parent);
                s.persist(child);
            });
            Long parentId = fk.fromSession(s -> s.find(FkChild.class, 10L).parent.id);
            assertThat(parentId).isEqualTo(1L);
        }
        try (Connection db = CLUSTER.direct()) {
            assertThat(strings(db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME LIKE 'hb\\_fk\\_%' ORDER BY 1")).containsExactly("hb_fk_child", "hb_fk_parent");
            assertThat(strings(db, "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'hb_fk_child'")).isEmpty();
        }
    }

    // ---- entities -------------------------------------------------------------------------------------------

    @Test
    void persistAndFindRoundTripEveryField() throws Exception {
        byte[] photo = JdbcTypesIT.randomBytes(70_000, 42); // over a BLOB's 64 KiB
        photo[0] = 0;
        photo[photo.length - 1] = 0;
        Account original = new Account("Zoë 🌳 Ärbor 🚀 名前", new BigDecimal("123456789012345.6789"));
        original.opened = LocalDate.of(2024, 2, 29);
        original.lastSeen = LocalDateTime.of(2024, 7, 14, 23, 59, 58, 123_456_000);
        original.createdAt = Instant.parse("2024-01-02T03:04:05.654321Z");
        original.status = Status.SUSPENDED;
        original.photo = photo;

        sessions().inTransaction(s -> s.persist(original));
        assertThat(original.id).as("IDENTITY id from the generated keys").isNotNull().isPositive();

        Account read = sessions().fromSession(s -> s.find(Account.class, original.id));
        assertThat(read).isNotSameAs(original);
        assertThat(read.name).isEqualTo(original.name);
        assertThat(read.balance).isEqualTo(original.balance); // same scale too: equals, not compareTo
        assertThat(read.opened).isEqualTo(original.opened);
        assertThat(read.lastSeen).isEqualTo(original.lastSeen);
        assertThat(read.createdAt).isEqualTo(original.createdAt);
        assertThat(read.active).isTrue();
        assertThat(read.status).isEqualTo(Status.SUSPENDED);
        assertThat(read.photo).isEqualTo(photo);
        assertThat(read.version).isZero();

        // And MariaDB holds exactly those values, not something the driver turned back into them (on whichever shard).
        assertThat(onEveryShard("SELECT CONCAT_WS('|', name, HEX(name), balance, opened, lastSeen, active + 0, status,"
                + " LENGTH(photo), SHA2(photo, 256), version) FROM hb_account WHERE id = " + original.id))
                .containsExactly(String.join("|", original.name, hex(original.name), "123456789012345.6789",
                        "2024-02-29", "2024-07-14 23:59:58.123456", "1", "SUSPENDED", "70000",
                        JdbcTypesIT.sha256(photo), "0"));
    }

    @Test
    void hqlWithParametersAndJoinFetch() {
        Account alice = new Account("hql-alice", BigDecimal.ONE);
        Account bob = new Account("hql-bob", BigDecimal.TEN);
        sessions().inTransaction(s -> {
            s.persist(alice);
            s.persist(bob);
            for (int i = 0; i < 6; i++) {
                s.persist(new Entry(1_000 + i, i % 2 == 0 ? alice : bob, "hql-" + i, i + ".50"));
            }
        });

        long before = sessions().getStatistics().getPrepareStatementCount();
        List<Entry> entries = sessions().fromSession(s -> s.createSelectionQuery(
                "from Entry e join fetch e.account a where a.name like :prefix and e.amount >= :min order by e.id",
                        Entry.class)
                .setParameter("prefix", "hql-%")
                .setParameter("min", new BigDecimal("2.00"))
                .getResultList());
        assertThat(sessions().getStatistics().getPrepareStatementCount() - before).as("statements for the query").isEqualTo(1);

        assertThat(entries).extracting(e -> e.id).containsExactly(1_002L, 1_003L, 1_004L, 1_005L);
        assertThat(entries).allMatch(e -> Hibernate.isInitialized(e.account), "account fetched by the join");
        assertThat(entries).extracting(e -> e.account.name).containsExactly("hql-alice", "hql-bob", "hql-alice", "hql-bob");
        assertThat(entries).extracting(e -> e.amount).containsExactly(
                new BigDecimal("2.50"), new BigDecimal("3.50"), new BigDecimal("4.50"), new BigDecimal("5.50"));

        List<Object[]> totals = sessions().fromSession(s -> s.createSelectionQuery(
                "select a.name, count(e), sum(e.amount) from Entry e join e.account a"
                        + " where a.id in :ids group by a.name order by a.name", Object[].class)
                .setParameter("ids", List.of(alice.id, bob.id))
                .getResultList());
        assertThat(totals).extracting(r -> r[0] + "=" + r[1] + "/" + r[2])
                .containsExactly("hql-alice=3/7.50", "hql-bob=3/10.50");
    }

    @Test
    void staleVersionUpdateFailsWithOptimisticLock() {
        Account account = new Account("lock", new BigDecimal("100.0000"));
        sessions().inTransaction(s -> s.persist(account));

        try (Session first = sessions().openSession(); Session second = sessions().openSession()) {
            Transaction t1 = first.beginTransaction();
            Transaction t2 = second.beginTransaction();
            Account mine = first.find(Account.class, account.id);
            Account theirs = second.find(Account.class, account.id);
            theirs.balance = new BigDecimal("50.0000");
            t2.commit();

            mine.balance = new BigDecimal("75.0000");
            Throwable thrown = catchThrowable(t1::commit);
            assertThat(thrown).as("commit of an update at a stale version")
                    .isInstanceOfAny(OptimisticLockException.class, StaleObjectStateException.class);
            if (t1.isActive()) {
                t1.rollback();
            }
        }

        Account stored = sessions().fromSession(s -> s.find(Account.class, account.id));
        assertThat(stored.balance).isEqualTo(new BigDecimal("50.0000"));
        assertThat(stored.version).isEqualTo(1);

        // A fresh read at the current version updates fine and moves the version on.
        sessions().inTransaction(s -> s.find(Account.class, account.id).balance = new BigDecimal("60.0000"));
        Account updated = sessions().fromSession(s -> s.find(Account.class, account.id));
        assertThat(updated.balance).isEqualTo(new BigDecimal("60.0000"));
        assertThat(updated.version).isEqualTo(2);
    }

    @Test
    void pessimisticLocksHoldTheRow() throws Exception {
        // MySQLDialect 8 locks with "FOR UPDATE OF alias" and "FOR SHARE OF alias", which MariaDB does not parse:
        // the gateway turns them into "FOR UPDATE" and "LOCK IN SHARE MODE".
        Account account = new Account("pessimistic", BigDecimal.ONE);
        sessions().inTransaction(s -> s.persist(account));
        String tryLock = "SELECT id FROM hb_account WHERE id = " + account.id + " FOR UPDATE NOWAIT";

        List<String> failures = new ArrayList<>();
        for (LockModeType mode : List.of(LockModeType.PESSIMISTIC_WRITE, LockModeType.PESSIMISTIC_READ)) {
            try (Session s = sessions().openSession()) {
                Transaction tx = s.beginTransaction();
                try {
                    Account locked = s.find(Account.class, account.id, mode);
                    assertThat(locked.name).isEqualTo("pessimistic");
                    // The lock is real: another MariaDB session cannot take the row while the transaction is open
                    // (on the shard that has it; on the others the SELECT finds no row).
                    List<SQLException> blocked = new ArrayList<>();
                    List<String> found = new ArrayList<>();
                    for (TestingCluster.Tablet shard : CLUSTER.primaries()) {
                        try (Connection db = CLUSTER.direct(shard)) {
                            found.addAll(strings(db, tryLock));
                        } catch (SQLException e) {
                            blocked.add(e);
                        }
                    }
                    assertThat(found).as("%s while %s is held", tryLock, mode).isEmpty();
                    assertThat(blocked).as("%s while %s is held", tryLock, mode).singleElement()
                            .satisfies(e -> assertThat(e.getErrorCode()).isEqualTo(1205));
                } catch (PersistenceException e) {
                    failures.add(mode + ": " + e.getMessage());
                } finally {
                    tx.rollback();
                }
            }
        }
        assertThat(failures).as("find(Account, id, lock mode)").isEmpty();
    }

    @Test
    void rolledBackTransactionLeavesNothing() throws Exception {
        Long id;
        try (Session s = sessions().openSession()) {
            Transaction tx = s.beginTransaction();
            Account account = new Account("rolled-back", BigDecimal.ONE);
            s.persist(account); // IDENTITY: the INSERT is sent now, inside the transaction
            s.persist(new Entry(5_000, account, "rolled-back", "1.00"));
            s.flush();
            id = account.id;
            assertThat(s.createSelectionQuery("select count(e) from Entry e where e.memo = 'rolled-back'", Long.class)
                    .getSingleResult()).as("own uncommitted rows").isEqualTo(1L);
            tx.rollback();
        }
        assertThat(id).isNotNull();

        Account account = sessions().fromSession(s -> s.find(Account.class, id));
        Entry entry = sessions().fromSession(s -> s.find(Entry.class, 5_000L));
        assertThat(account).as("account after rollback, fresh session").isNull();
        assertThat(entry).as("entry after rollback, fresh session").isNull();
        assertThat(onEveryShard("SELECT id FROM hb_account WHERE name = 'rolled-back'")).isEmpty();
        assertThat(onEveryShard("SELECT id FROM hb_entry WHERE memo = 'rolled-back'")).isEmpty();
    }

    @Test
    void batchInsertOf500Rows() throws Exception {
        Account account = new Account("batch", BigDecimal.ZERO);
        sessions().inTransaction(s -> s.persist(account));

        long insertsBefore = comInsert();
        sessions().inTransaction(s -> {
            for (int i = 0; i < 500; i++) {
                s.persist(new Entry(100_000 + i, account, "batch-" + i, i + ".01"));
                if (i % 50 == 49) {
                    s.flush();
                    s.clear();
                }
            }
        });
        long inserts = comInsert() - insertsBefore;
        long rows = 0;
        BigDecimal sum = BigDecimal.ZERO;
        for (String shard : onEveryShard("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM hb_entry WHERE account_id = "
                + account.id)) {
            rows += Long.parseLong(shard.split("\t")[0]);
            sum = sum.add(new BigDecimal(shard.split("\t")[1]));
        }
        assertThat(rows + "\t" + sum).isEqualTo("500\t124755.00");
        // 10 batches of 50: each a single multi-row INSERT by the time it reaches MariaDB (500 without batching).
        assertThat(inserts).as("INSERT statements MariaDB executed").isEqualTo(10);

        Long count = sessions().fromSession(s -> s.createSelectionQuery(
                "select count(e) from Entry e where e.account.id = :id", Long.class)
                .setParameter("id", account.id).getSingleResult());
        assertThat(count).as("count through Hibernate").isEqualTo(500L);
    }

    @Test
    void paginationReturnsTheRequestedRows() {
        Account account = new Account("pages", BigDecimal.ZERO);
        sessions().inTransaction(s -> {
            s.persist(account);
            for (int i = 0; i < 23; i++) {
                s.persist(new Entry(2_000 + i, account, String.format("page-%02d", i), "1.00"));
            }
        });

        List<List<String>> pages = new ArrayList<>();
        for (int first = 0; first < 25; first += 10) {
            int offset = first;
            pages.add(sessions().fromSession(s -> s.createSelectionQuery(
                    "select e.memo from Entry e where e.account = :account order by e.memo desc", String.class)
                    .setParameter("account", account)
                    .setFirstResult(offset)
                    .setMaxResults(10)
                    .getResultList()));
        }
        assertThat(pages.get(0)).hasSize(10).startsWith("page-22").endsWith("page-13");
        assertThat(pages.get(1)).hasSize(10).startsWith("page-12").endsWith("page-03");
        assertThat(pages.get(2)).containsExactly("page-02", "page-01", "page-00");
    }

    @Test
    void nativeQueries() {
        Account account = new Account("native ✓", new BigDecimal("9.9900"));
        sessions().inTransaction(s -> {
            s.persist(account);
            s.persist(new Entry(3_000, account, "native-a", "1.25"));
            s.persist(new Entry(3_001, account, "native-b", "2.75"));
        });

        Object[] row = sessions().fromSession(s -> s.createNativeQuery(
                "SELECT a.name, COUNT(*), SUM(e.amount) FROM hb_account a JOIN hb_entry e ON e.account_id = a.id"
                        + " WHERE a.id = :id GROUP BY a.name", Object[].class)
                .setParameter("id", account.id)
                .getSingleResult());
        assertThat(row[0]).isEqualTo("native ✓");
        assertThat(((Number) row[1]).longValue()).isEqualTo(2);
        assertThat(row[2]).isEqualTo(new BigDecimal("4.00"));

        Account mapped = sessions().fromSession(s -> s.createNativeQuery(
                "SELECT * FROM hb_account WHERE name = ?1", Account.class)
                .setParameter(1, "native ✓")
                .getSingleResult());
        assertThat(mapped.id).isEqualTo(account.id);
        assertThat(mapped.balance).isEqualTo(new BigDecimal("9.9900"));

        int updated = sessions().fromTransaction(s -> s.createNativeMutationQuery(
                "UPDATE hb_entry SET memo = CONCAT(memo, '!') WHERE account_id = :id")
                .setParameter("id", account.id)
                .executeUpdate());
        assertThat(updated).isEqualTo(2);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Hibernate pointed at the gateway with Connector/J; dialect left to auto-detection. */
    private static Configuration configuration(Map<String, String> settings) {
        return configuration(JDBC_PARAMS, settings);
    }

    private static Configuration configuration(String jdbcParams, Map<String, String> settings) {
        Configuration configuration = new Configuration()
                .setProperty("hibernate.connection.driver_class", "com.mysql.cj.jdbc.Driver")
                .setProperty("hibernate.connection.url", CLUSTER.gatewayJdbcUrl(Driver.MYSQL, jdbcParams))
                .setProperty("hibernate.connection.username", CLUSTER.user())
                .setProperty("hibernate.connection.password", CLUSTER.password())
                .setProperty("hibernate.connection.pool_size", "4")
                .setProperty("hibernate.show_sql", Boolean.toString(Boolean.getBoolean("arbor.it.showSql")));
        settings.forEach(configuration::setProperty);
        return configuration;
    }

    private static void dropFkTables() throws SQLException {
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS hb_fk_child, hb_fk_parent");
        }
    }

    private static SQLException sqlExceptionIn(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return e;
            }
        }
        return null;
    }

    private static String messages(Throwable thrown) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** The INSERT statements MariaDB has executed, on every shard of {@code app} together. */
    private static long comInsert() throws SQLException {
        return onEveryShard("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_INSERT'")
                .stream().mapToLong(Long::parseLong).sum();
    }

    /**
     * The rows of {@code sql} run straight on each shard's MariaDB (no gateway), one after the other: the one MariaDB
     * of an unsharded {@code app}; of a sharded one, a row is on the shard its vindex maps it to.
     */
    private static List<String> onEveryShard(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (TestingCluster.Tablet shard : CLUSTER.primaries()) {
            try (Connection db = CLUSTER.direct(shard)) {
                rows.addAll(strings(db, sql));
            }
        }
        return rows;
    }

    /** Each row's columns joined by tabs. */
    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join("\t", values));
            }
        }
        return rows;
    }

    private static String hex(String s) {
        return java.util.HexFormat.of().withUpperCase().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
