/**
 * The row stream (Vitess calls it VReplication): copies a table's rows in key order, chunk by chunk, while following
 * the binlog, and keeps a target table in step through a column mapping and a filter, its position persisted so a
 * restart resumes it. Online DDL (shadow table), its revert (the same stream reversed) and, later, data branches,
 * MoveTables and resharding are configurations of it; nothing here knows about DDL.
 *
 * <p>How it stays correct: the binlog says <em>which</em> keys changed; the stream then copies those keys' current
 * rows from the source ({@code DELETE} of the keys in the target, {@code INSERT ... SELECT} of them from the source:
 * a consistent read, after a one-row lock proves the transactions seen so far are committed). Copying a current row again is idempotent, so replaying from an older position converges, and a
 * restart needs no exactly-once bookkeeping. During the copy, changes are applied only to keys already copied
 * (at or below the last copied key); later keys are read by their own chunk, which sees them as they are then.
 */
package io.arbor.tablet.vrepl;
