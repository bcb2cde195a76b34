package io.arbor.sql;

/** A MySQL feature that Arbor refuses (as PlanetScale does); see {@link GuardRails}. */
public enum Feature {
    /** {@code FOREIGN KEY} constraints and column-level {@code REFERENCES}. */
    FOREIGN_KEY,
    /** {@code CREATE TRIGGER}. */
    TRIGGER,
    /** {@code CREATE PROCEDURE} (and MariaDB's {@code CREATE PACKAGE}). */
    STORED_PROCEDURE,
    /** {@code CREATE [AGGREGATE] FUNCTION}, stored or loadable ({@code RETURNS ... SONAME}). */
    STORED_FUNCTION,
    /** {@code CREATE EVENT}: work run by the event scheduler. */
    EVENT,
    /**
     * Accounts and privileges on the tablet's MariaDB: {@code CREATE/ALTER/DROP/RENAME USER}, roles,
     * {@code GRANT}, {@code REVOKE}, {@code SET PASSWORD}, {@code SET [DEFAULT] ROLE}. Arbor owns them: the
     * gateway's own connections use that account.
     */
    ACCOUNT_MANAGEMENT,
    /**
     * Running the tablet's server: {@code SHUTDOWN}, {@code RESTART}, plugins, replication
     * ({@code CHANGE MASTER}, {@code START/STOP/RESET SLAVE|REPLICA}, {@code RESET MASTER},
     * {@code PURGE BINARY LOGS}, {@code BINLOG}), federated servers ({@code CREATE/ALTER/DROP SERVER}).
     */
    SERVER_ADMINISTRATION,
    /** {@code CREATE/DROP/ALTER DATABASE} (or {@code SCHEMA}): Arbor creates databases and their branches. */
    DATABASE_MANAGEMENT,
    /** {@code DATA DIRECTORY} / {@code INDEX DIRECTORY} in a table definition: files outside the tablet's data dir. */
    TABLE_DIRECTORY,
    /**
     * What the tablet's server knows of every session on it, whoever they belong to: MariaDB's
     * {@code information_schema.METADATA_LOCK_INFO} (every thread's locks). Arbor answers the process list itself.
     */
    SERVER_INTERNALS,
    /** {@code LOAD DATA LOCAL INFILE} while the gateway does not relay client files. */
    LOCAL_INFILE,
    /**
     * A {@code KILL} the gateway cannot map onto its own sessions: in a multi-statement text or dynamic SQL, by
     * query id, or with a target other than a connection id, {@code CONNECTION_ID()} or {@code USER name}.
     */
    KILL_FORM,
    /**
     * A text the gateway cannot read the way the server will before it runs: dynamic SQL built from an expression
     * in a multi-statement text, or statements after one that changes {@code sql_mode} or the character set to a
     * value only known at run time.
     */
    UNREADABLE;

    /** Whether it is refused as a privilege Arbor keeps (error 1227) rather than as an unsupported feature (1235). */
    public boolean privileged() {
        return this == ACCOUNT_MANAGEMENT || this == SERVER_ADMINISTRATION || this == DATABASE_MANAGEMENT
                || this == SERVER_INTERNALS;
    }

    /** MySQL's error number for a statement refused for this feature: 1227, 1148 or 1235. */
    public int errorCode() {
        return privileged() ? 1227 : this == LOCAL_INFILE ? 1148 : 1235;
    }

    /** The SQLSTATE that goes with {@link #errorCode()}: 42000 for all of them. */
    public String sqlState() {
        return "42000";
    }
}
