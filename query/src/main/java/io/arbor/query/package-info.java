/**
 * Plans and their cache: what the executor looks up for each statement ({@link io.arbor.query.PlanCache}, keyed by
 * keyspace and normalized statement) and runs ({@link io.arbor.query.Plan}, a tree of engine primitives). The
 * planner that builds plans is {@code io.arbor.query.planner}; the primitives are {@code io.arbor.query.engine}.
 */
package io.arbor.query;
