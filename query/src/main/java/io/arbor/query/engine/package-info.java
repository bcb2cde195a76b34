/**
 * The engine primitives, one file each (Vitess's {@code vtgate/engine}): {@link io.arbor.query.engine.Route} today,
 * merges over routes with sharding. A primitive reaches shards only through a {@link io.arbor.query.engine.Vcursor},
 * so each is unit-tested with a fake one.
 */
package io.arbor.query.engine;
