package io.arbor.tablet;

import io.arbor.protocol.MySqlException;
import io.arbor.sql.Reservation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The idle rollback of reservations by a clock the test moves on: a transaction idle up to the limit is kept, past it
 * ended and its next statement told why; a statement running is never idle; state a MySQL session keeps waits for
 * its session, an expiring (HTTP) session's does not. No sleeping, no connection: the sweep hands back the
 * connections to roll back, which production gives to the pool with a reset.
 */
class ReservationsTest {
    private static final Duration IDLE = Duration.ofSeconds(60);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Reservations reservations = new Reservations("t-0001", IDLE, now::get);
    private final BackendPool pool = new BackendPool("t-0001", (loop, key) -> new java.util.concurrent.CompletableFuture<>(),
            PoolConfig.defaults(), () -> TabletHealth.serving("test"));

    private final java.util.List<Long> ids = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        ids.forEach(reservations::end); // close() would close their connections, which these have none of
        reservations.close();
    }

    /** A connection as the reservations see it: never used, as nothing here talks to a server. */
    private PooledConnection connection() {
        return new PooledConnection(null, pool);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** Reserves a connection the statement that made it has finished with. */
    private long idle(PooledConnection c, boolean transaction, Set<Reservation> reasons, boolean expires) {
        long id = reservations.reserve(c, transaction, "app");
        ids.add(id);
        reservations.put(id, transaction, reasons, expires);
        return id;
    }

    @Test
    void anIdleTransactionIsKeptUpToTheLimitThenRolledBackAndItsSessionToldWhy() {
        PooledConnection c = connection();
        long id = idle(c, true, Set.of(), false);
        advance(IDLE.minusMillis(1));
        assertThat(reservations.expire()).isEmpty();
        assertThat(reservations.inTransaction(id)).isTrue();

        advance(Duration.ofMillis(1));
        assertThat(reservations.expire()).containsExactly(c);
        assertThat(reservations.count()).isZero();
        assertThatThrownBy(() -> reservations.take(id)).isInstanceOf(MySqlException.class)
                .hasMessageContaining("rolled back after it stayed idle for more than 60 s");
        assertThatThrownBy(() -> reservations.take(id)).as("told once; then it is simply unknown")
                .hasMessageContaining("is unknown on tablet t-0001");
    }

    @Test
    void pastTheLimitAStatementIsRefusedBeforeTheSweepCameBy() {
        PooledConnection c = connection();
        long id = idle(c, true, Set.of(), false);
        advance(IDLE);
        assertThatThrownBy(() -> reservations.take(id)).isInstanceOf(MySqlException.class)
                .hasMessageContaining("rolled back after it stayed idle for more than 60 s");
        assertThat(reservations.expire()).as("and the sweep ends it").containsExactly(c);
    }

    @Test
    void eachStatementRestartsTheIdleTime() {
        PooledConnection c = connection();
        long id = idle(c, true, Set.of(), false);
        advance(IDLE.minusSeconds(1));
        assertThat(reservations.take(id)).isSameAs(c);
        reservations.put(id, true);
        advance(IDLE.minusSeconds(1));
        assertThat(reservations.expire()).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(reservations.expire()).containsExactly(c);
    }

    @Test
    void aStatementRunningOnTheReservationIsNeverIdle() {
        PooledConnection c = connection();
        long id = idle(c, true, Set.of(), false);
        reservations.take(id);
        advance(IDLE.multipliedBy(10));
        assertThat(reservations.expire()).isEmpty();
        reservations.put(id, true);
        assertThat(reservations.expire()).as("idle from the statement's end").isEmpty();
        advance(IDLE);
        assertThat(reservations.expire()).containsExactly(c);
    }

    @Test
    void stateAMySqlSessionKeepsWaitsForItButAnExpiringSessionsDoesNot() {
        PooledConnection mysql = connection();
        PooledConnection http = connection();
        long kept = idle(mysql, false, Set.of(Reservation.TEMPORARY_TABLE), false);
        idle(http, false, Set.of(Reservation.USER_LOCK), true);
        advance(IDLE.multipliedBy(100));
        assertThat(reservations.expire()).containsExactly(http);
        assertThat(reservations.reasons(kept)).containsExactly(Reservation.TEMPORARY_TABLE);
        assertThat(reservations.take(kept)).isSameAs(mysql);
        assertThat(reservations.end(kept)).isSameAs(mysql);
        assertThat(reservations.count()).isZero();
    }

    @Test
    void aBusyReservationRefusesASecondStatement() {
        long id = idle(connection(), true, Set.of(), false);
        reservations.take(id);
        assertThatThrownBy(() -> reservations.take(id)).hasMessageContaining("is busy with another statement");
    }

    @Test
    void whatAUserHoldsIsCountedForItsShare() {
        idle(connection(), true, Set.of(), false);
        ids.add(reservations.reserve(connection(), false, "other"));
        assertThat(reservations.heldBy("app")).isEqualTo(1);
        assertThat(reservations.heldBy("other")).isEqualTo(1);
        assertThat(reservations.heldBy("nobody")).isZero();
    }
}
