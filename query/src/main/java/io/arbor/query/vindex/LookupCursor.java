package io.arbor.query.vindex;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a lookup vindex needs from the executor to read and write its table ({@link LookupStatements}): run a
 * statement with bind variables, in the session's transaction or, for an {@code autocommit} lookup, on its own.
 * The executor implements it with the sharding issue's Vcursor; vindex tests use a fake.
 */
public interface LookupCursor {
    /** Where a lookup write runs. */
    enum Commit {
        /** In the session's transaction, committed with the owner's row. */
        WITH_SESSION,
        /** In a transaction of its own, committed at once ({@code autocommit=true}). */
        AUTOCOMMIT
    }

    /** Runs a read ({@link LookupStatements#select()}, {@link LookupStatements#verify()}) and gives its rows. */
    CompletableFuture<List<List<Object>>> select(String sql, Map<String, Object> bindings);

    /** Runs a write ({@link LookupStatements#insert}, {@link LookupStatements#delete()}) and gives rows affected. */
    CompletableFuture<Long> execute(String sql, Map<String, Object> bindings, Commit commit);
}
