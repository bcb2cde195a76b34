/**
 * The planner (Vitess's {@code vtgate/planbuilder}): a statement and its keyspace in, a {@link io.arbor.query.Plan}
 * out. Its behaviour is pinned by golden files ({@code src/test/resources/plans}), statement in, plan out.
 */
package io.arbor.query.planner;
