/**
 * Schemas read from MariaDB's own {@code SHOW CREATE TABLE} texts, the diff between two of them as ordered DDL,
 * and an in-memory apply of that DDL to check it: what branches and deploy requests compare and merge.
 */
package io.arbor.sql.schema;
