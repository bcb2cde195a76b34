package io.arbor.tablet;

import io.arbor.sql.Reservation;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What the tablet does around one client statement, as the gateway's analysis found it: before it, grant the
 * tenant DROP on the tables it names and set the session's last insert id; after it, read back the session state
 * it may have changed, keep the connection for what cannot be replayed, let a lock-only reservation go once its
 * locks are released, and look for foreign keys if it changed the schema.
 *
 * @param readVariables     session variables (MariaDB's names) to read back after it
 * @param readDatabase      read back the current database after it (USE, a multi-statement text with one)
 * @param readUserVariables user variables (names without {@code @}) to read back after it
 * @param reasons           why the session must keep its connection after it (temporary tables, locks, ...)
 * @param releasesLocks     it may release the locks a lock-only reservation is kept for
 * @param lastInsertId      it calls LAST_INSERT_ID(): the connection must answer the session's value
 * @param changesSchema     it may create or change a table or view: check for foreign keys once it ran
 * @param dropGrants        tables the tenant needs DROP on first (it has none on the database)
 * @param mayReserve        it may make the session keep a connection (BEGIN, a lock, autocommit off): counted
 *                          against the user's share of the pool
 * @param prelude           statements to run on the connection right before it ({@code SET TRANSACTION ...} the
 *                          session keeps for its next transaction); a connection that ran them is reset before
 *                          another session gets it, unless the session keeps it
 */
public record StatementEffects(List<String> readVariables, boolean readDatabase, List<String> readUserVariables,
                               Set<Reservation> reasons, boolean releasesLocks, boolean lastInsertId,
                               boolean changesSchema, List<String> dropGrants, boolean mayReserve, List<String> prelude) {
    /** A statement that needs nothing around it: the usual case. */
    public static final StatementEffects NONE = new StatementEffects(List.of(), false, List.of(), Set.of(), false, false,
            false, List.of(), false);

    /** Copies; nothing is null. */
    public StatementEffects {
        readVariables = List.copyOf(requireNonNull(readVariables, "readVariables is null"));
        readUserVariables = List.copyOf(requireNonNull(readUserVariables, "readUserVariables is null"));
        reasons = Set.copyOf(requireNonNull(reasons, "reasons is null"));
        dropGrants = List.copyOf(requireNonNull(dropGrants, "dropGrants is null"));
        prelude = List.copyOf(requireNonNull(prelude, "prelude is null"));
    }

    /** Effects with no prelude. */
    public StatementEffects(List<String> readVariables, boolean readDatabase, List<String> readUserVariables,
                            Set<Reservation> reasons, boolean releasesLocks, boolean lastInsertId, boolean changesSchema,
                            List<String> dropGrants, boolean mayReserve) {
        this(readVariables, readDatabase, readUserVariables, reasons, releasesLocks, lastInsertId, changesSchema,
                dropGrants, mayReserve, List.of());
    }

    /** These effects, with {@code statements} run right before the statement. */
    public StatementEffects withPrelude(List<String> statements) {
        return new StatementEffects(readVariables, readDatabase, readUserVariables, reasons, releasesLocks, lastInsertId,
                changesSchema, dropGrants, mayReserve, statements);
    }

    /** Whether anything is to be read back after the statement. */
    public boolean readsBack() {
        return !readVariables.isEmpty() || readDatabase || !readUserVariables.isEmpty();
    }

    /** Only reading the current database back after it: COM_INIT_DB. */
    public static StatementEffects readingDatabase() {
        return new StatementEffects(List.of(), true, List.of(), Set.of(), false, false, false, List.of(), false);
    }
}
