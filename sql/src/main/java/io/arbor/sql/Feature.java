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
    DATABASE_MANAGEMENT;

    /** Whether it is refused as a privilege Arbor keeps (error 1227) rather than as an unsupported feature (1235). */
    public boolean privileged() {
        return this == ACCOUNT_MANAGEMENT || this == SERVER_ADMINISTRATION || this == DATABASE_MANAGEMENT;
    }
}
