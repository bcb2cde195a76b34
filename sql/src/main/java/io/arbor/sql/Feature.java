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
    EVENT
}
