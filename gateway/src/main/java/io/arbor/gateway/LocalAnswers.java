package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.Diagnostics;
import io.arbor.sql.LocalStatement;
import io.arbor.tablet.QueryService;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The statements the gateway answers itself ({@link LocalStatement}) for the {@link Executor}: a DROP of a routine,
 * trigger or event that cannot exist (guard rails refuse creating them), {@code SET TRANSACTION} for the session's
 * next transaction, and {@code FLUSH} in the forms a tenant may run.
 */
final class LocalAnswers {
    private LocalAnswers() {}

    /**
     * A statement the gateway answers itself ({@link LocalStatement}), or null when it goes to the tablet after all.
     */
    static CompletableFuture<Executor.Completion> answer(Session session, LocalStatement local, FrontDoor door,
                                                        QueryService tablet) {
        switch (local) {
            case LocalStatement.DropMissing d -> {
                Diagnostics.Condition c = d.condition(session.settings().database());
                if (d.ifExists()) {
                    Diagnostics note = new Diagnostics(List.of(new Diagnostics.Condition("Note", c.code(), c.message())), 1, 0);
                    return CompletableFuture.completedFuture(Executor.Completion.okAs(session.withDiagnostics(note)));
                }
                MySqlException e = switch (d.type()) {
                    case "TRIGGER" -> MySqlError.ER_TRG_DOES_NOT_EXIST.exception();
                    case "EVENT" -> MySqlError.ER_EVENT_DOES_NOT_EXIST.exception(d.name());
                    default -> MySqlError.ER_SP_DOES_NOT_EXIST.exception(d.type(),
                            (d.schema() != null ? d.schema() : session.settings().database()) + "." + d.name());
                };
                return CompletableFuture.completedFuture(Executor.Completion.failed(session, e));
            }
            case LocalStatement.NextTransaction n -> {
                if (session.inTransaction()) {
                    return null; // MariaDB refuses it inside a transaction (1568): its answer to give
                }
                List<String> next = new java.util.ArrayList<>(session.nextTransaction());
                next.add(n.statement());
                return CompletableFuture.completedFuture(Executor.Completion.ok(session.withNextTransaction(next)));
            }
            case LocalStatement.Flush f -> {
                return switch (f.kind()) {
                    case STATUS -> {
                        if (door.counters() != null) {
                            door.counters().reset();
                        }
                        yield CompletableFuture.completedFuture(Executor.Completion.ok(session));
                    }
                    case TABLES -> {
                        String db = session.settings().database();
                        List<String> names = new java.util.ArrayList<>();
                        for (String t : f.tables()) {
                            names.add(t.indexOf('.') >= 0 || db == null ? t : "`" + db.replace("`", "``") + "`." + t);
                        }
                        yield tablet.flushTables(names).handle((v, e) -> e == null ? Executor.Completion.ok(session)
                                : Executor.Completion.failed(session, GatewaySession.unwrap(e)));
                    }
                    case TABLES_LOCKED -> CompletableFuture.completedFuture(
                            Executor.Completion.failed(session, MySqlError.ER_FLUSH_LOCKED.exception(f.what())));
                    case SERVER -> CompletableFuture.completedFuture(
                            Executor.Completion.failed(session, MySqlError.ER_FLUSH_SERVER.exception(f.what())));
                };
            }
        }
    }

}
