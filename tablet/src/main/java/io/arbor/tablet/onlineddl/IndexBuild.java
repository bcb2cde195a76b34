package io.arbor.tablet.onlineddl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static io.arbor.tablet.vrepl.SqlNames.qualified;

/**
 * Builds a shadow table's deferred secondary indexes after its copy, on a thread and connection of its own, with
 * MariaDB's in-place, lock-free index build (a sort per index), while the row stream keeps following on its own
 * connection. The migration's cut-over waits for it.
 */
final class IndexBuild {
    private static final Logger log = LoggerFactory.getLogger(IndexBuild.class);

    private final Thread thread;
    private volatile boolean done;
    private volatile String failure;

    private IndexBuild(OnlineDdl ddl, MigrationStore.Migration m, String schema, String shadow, List<String> keys) {
        thread = new Thread(() -> {
            long t0 = System.nanoTime();
            try (Connection c = ddl.admin.open()) {
                MigrationStore.update(c, m.uuid(), "stage = 'building indexes'");
                StringBuilder sql = new StringBuilder("ALTER TABLE ").append(qualified(schema, shadow)).append(' ');
                for (int i = 0; i < keys.size(); i++) {
                    sql.append(i == 0 ? "ADD " : ", ADD ").append(keys.get(i));
                }
                sql.append(", ALGORITHM=INPLACE, LOCK=NONE");
                CutOver.exec(c, sql.toString());
                MigrationStore.update(c, m.uuid(), "stage = 'following'");
                log.info("tablet {}: migration {}: {} index(es) built in {} ms", ddl.alias, m.uuid(), keys.size(),
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (SQLException e) {
                failure = String.valueOf(e.getMessage()).replaceAll("\\(conn=\\d+\\) ", "");
            } finally {
                done = true;
            }
        }, "arbor-index-build-" + m.uuid());
        thread.setDaemon(true);
    }

    /** Starts building the indexes, or null when there are none to build. */
    static IndexBuild start(OnlineDdl ddl, MigrationStore.Migration m, String schema, String shadow, List<String> keys) {
        if (keys.isEmpty()) {
            return null;
        }
        IndexBuild b = new IndexBuild(ddl, m, schema, shadow, keys);
        b.thread.start();
        return b;
    }

    boolean done() {
        return done;
    }

    /** Why the build failed, or null. */
    String failure() {
        return failure;
    }
}
