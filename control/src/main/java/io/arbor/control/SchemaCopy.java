package io.arbor.control;

import io.arbor.tablet.Tablet;
import io.arbor.tablet.vrepl.Connections;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A new branch's schema, copied from its parent's primary: every table's {@code SHOW CREATE TABLE} and every view's
 * {@code SHOW CREATE VIEW}, as {@link SchemaSnapshot} reads them, run on the branch's primary as the tablets' admin
 * account (the account in the topology). Rows are not copied here ({@link SeedData} copies them for a branch made with
 * seed data). Online DDL's own tables ({@code _vt_...}) are left out. A view's definer, the
 * parent's tenant account, does not exist on the branch's {@code mariadbd}: it becomes the branch's own tenant, on
 * the same host, so the view reads with the rights it had on the parent. Views are created after the tables, and a
 * view that reads another view waits for it (rounds until none is left or none succeeds). A copy cut short (the
 * cluster stopped) can run again: tables already there are kept ({@code IF NOT EXISTS}), views replaced.
 */
final class SchemaCopy {
    private static final Pattern DEFINER = Pattern.compile("DEFINER=`(?:[^`]|``)*`@`((?:[^`]|``)*)`");

    private final MysqldAccount admin;

    SchemaCopy(MysqldAccount admin) {
        this.admin = requireNonNull(admin, "admin is null");
    }

    /** Waits until {@code tablet}'s {@code mariadbd} answers as the admin account and has its database. */
    void awaitServing(TabletRecord tablet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection c = connect(tablet); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW DATABASES LIKE '" + tablet.database().replace("'", "''") + "'")) {
                if (rs.next()) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("tablet " + tablet.alias() + " did not serve within " + timeout.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    /**
     * Copies the tables and views of {@code from}'s database into {@code to}'s, as {@link SchemaSnapshot#read} reads
     * them; returns what it read, whose {@linkplain SchemaSnapshot#statements() texts} are the branch's base schema.
     */
    SchemaSnapshot copy(TabletRecord from, TabletRecord to) throws SQLException {
        SchemaSnapshot parent = SchemaSnapshot.read(from, admin);
        String database = to.database();
        String definer = Tablet.tenantAccount(admin, to.database(), to.branch()).user().replace("`", "``");
        try (Connection c = connect(to); Statement s = c.createStatement()) {
            s.execute("USE " + SchemaSnapshot.identifier(database));
            s.execute("SET SESSION foreign_key_checks = 0");
            for (String ddl : parent.tables().values()) {
                s.execute(ddl.replaceFirst("^CREATE TABLE ", "CREATE TABLE IF NOT EXISTS "));
            }
            List<String> pending = new ArrayList<>(parent.views().values().stream()
                    .map(v -> withDefiner(v, definer).replaceFirst("^CREATE ", "CREATE OR REPLACE ")).toList());
            while (!pending.isEmpty()) {
                List<String> failed = new ArrayList<>();
                SQLException lastError = null;
                for (String ddl : pending) {
                    try {
                        s.execute(ddl);
                    } catch (SQLException e) {
                        failed.add(ddl);
                        lastError = e;
                    }
                }
                if (failed.size() == pending.size()) {
                    throw lastError;
                }
                pending = failed;
            }
        }
        return parent;
    }

    private static String withDefiner(String createView, String user) {
        Matcher m = DEFINER.matcher(createView);
        return m.find() ? m.replaceFirst(Matcher.quoteReplacement("DEFINER=`" + user + "`@`" + m.group(1) + "`")) : createView;
    }

    private Connection connect(TabletRecord tablet) throws SQLException {
        return Connections.to(tablet.host(), tablet.port(), admin.user(), admin.password()).open();
    }
}
