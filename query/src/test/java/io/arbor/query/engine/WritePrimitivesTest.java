package io.arbor.query.engine;

import io.arbor.protocol.Result;
import io.arbor.query.vindex.BinaryMd5Vindex;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.LookupKind;
import io.arbor.query.vindex.LookupParams;
import io.arbor.query.vindex.LookupVindex;
import io.arbor.query.vindex.ShardMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sharded write primitives on a scripted two-shard cursor: which statements they send, in which order, and what
 * they answer (Insert with sequence ids and lookup rows, ReferenceWrite, LookupRoute, OwnedDelete, OwnedUpdate,
 * MovingUpdate).
 */
class WritePrimitivesTest {
    private static final HashVindex HASH = new HashVindex("hash");
    private static final BinaryMd5Vindex MD5 = new BinaryMd5Vindex("md5");
    private static final ColumnVindex PRIMARY = new ColumnVindex("id", HASH);
    private static final ShardMap MAP = ShardMap.ofNames(List.of("-80", "80-"));
    private static final Keyspace KS = ScriptedVcursor.KS;
    private static final OwnedLookup EMAIL = new OwnedLookup("email", new LookupVindex("user_email",
            LookupKind.CONSISTENT_LOOKUP_UNIQUE, new LookupParams("email_lkp", List.of("email"), "ksid", false, false,
            false), "user"), KS, MD5);
    private static final OwnedLookup EMAIL_PLAIN = new OwnedLookup("email", new LookupVindex("user_email",
            LookupKind.LOOKUP_UNIQUE, new LookupParams("email_lkp", List.of("email"), "ksid", false, false, false),
            "user"), KS, MD5);

    private static String shard(io.arbor.query.vindex.FunctionalVindex v, Object value) {
        return MAP.shardFor(v.keyspaceId(value));
    }

    private static String ksid(long id) {
        return ScriptedVcursor.hex(HASH.keyspaceId(id));
    }

    private static Insert insert(OwnedLookup lookup, Sequence seq, List<List<String>> rows) {
        return new Insert(KS, "user", "INSERT INTO user (id, email) VALUES ", List.of("id", "email"), rows, "", PRIMARY,
                seq == null ? null : new Insert.Generate("id", seq), lookup == null ? List.of() : List.of(lookup));
    }

    @Test
    void anInsertWritesItsLookupRowBeforeItsRow() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> null);
        Result r = insert(EMAIL, null, List.of(List.of("1", "'a@x'"))).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.isError()).isFalse();
        assertThat(r.affectedRows()).isEqualTo(1);
        assertThat(vc.sent()).containsExactly(
                shard(MD5, "a@x") + ": INSERT INTO email_lkp (email, ksid) VALUES ('a@x', " + ksid(1) + ")",
                shard(HASH, 1L) + ": INSERT INTO user (id, email) VALUES (1, 'a@x')");
    }

    @Test
    void sequenceIdsFillMissingValuesAndTheFirstIsTheInsertId() {
        AtomicLong next = new AtomicLong(100);
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("SELECT cache")
                ? ScriptedVcursor.longs(List.of("cache"), new String[] {"10"})
                : sql.startsWith("UPDATE user_seq") ? Result.ok(new Result.Completion(1, next.addAndGet(10), 0, 0)) : null);
        Sequence seq = new Sequence(KS, "user_seq", new byte[] {0});
        Result r = insert(null, seq, List.of(List.of("NULL", "'a'"), List.of("7", "'b'"), List.of("0", "'c'")))
                .execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.insertId()).isEqualTo(100);
        assertThat(String.join("\n", vc.sent())).contains("(100, 'a')").contains("(7, 'b')").contains("(101, 'c')");
    }

    @Test
    void aConsistentLookupTakesOverARowWhoseOwnerIsGone() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> {
            if (sql.startsWith("INSERT INTO email_lkp")) {
                return ScriptedVcursor.error(1062, "Duplicate entry 'a@x' for key 'PRIMARY'");
            }
            if (sql.startsWith("SELECT ksid FROM email_lkp")) {
                return ScriptedVcursor.ids(HASH.keyspaceId(9L));
            }
            if (sql.startsWith("SELECT 1 FROM user")) {
                return ScriptedVcursor.longs(List.of("1")); // no owner row
            }
            return null;
        });
        Result r = insert(EMAIL, null, List.of(List.of("1", "'a@x'"))).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.isError()).isFalse();
        assertThat(vc.sent()).contains(shard(HASH, 9L) + ": SELECT 1 FROM user WHERE email = 'a@x' LIMIT 1",
                shard(MD5, "a@x") + ": UPDATE email_lkp SET ksid = " + ksid(1) + " WHERE email = 'a@x' AND ksid = " + ksid(9));
        assertThat(vc.sent()).last().isEqualTo(shard(HASH, 1L) + ": INSERT INTO user (id, email) VALUES (1, 'a@x')");
    }

    @Test
    void aDuplicateWithALiveOwnerFailsBeforeTheRow() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("INSERT INTO email_lkp")
                ? ScriptedVcursor.error(1062, "Duplicate entry 'a@x' for key 'PRIMARY'")
                : sql.startsWith("SELECT ksid") ? ScriptedVcursor.ids(HASH.keyspaceId(9L))
                : sql.startsWith("SELECT 1") ? ScriptedVcursor.longs(List.of("1"), new String[] {"1"}) : null);
        Result r = insert(EMAIL, null, List.of(List.of("1", "'a@x'"))).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.error().code()).isEqualTo(1062);
        assertThat(vc.sent()).noneMatch(sql -> sql.contains("INSERT INTO user"));
    }

    @Test
    void aPlainLookupUniqueDuplicateFailsWithoutTakeover() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("INSERT INTO email_lkp")
                ? ScriptedVcursor.error(1062, "Duplicate entry") : null);
        Result r = insert(EMAIL_PLAIN, null, List.of(List.of("1", "'a@x'"))).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.error().code()).isEqualTo(1062);
        assertThat(vc.sent()).hasSize(1);
    }

    @Test
    void whenTheRowFailsItsLookupRowIsDeletedAgain() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("INSERT INTO user")
                ? ScriptedVcursor.error(1062, "Duplicate entry '1' for key 'PRIMARY'") : null);
        Result r = insert(EMAIL, null, List.of(List.of("1", "'a@x'"))).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.error().code()).isEqualTo(1062);
        assertThat(vc.sent()).last().isEqualTo(shard(MD5, "a@x") + ": DELETE FROM email_lkp WHERE email = 'a@x' AND ksid = "
                + ksid(1));
    }

    @Test
    void twoRowsGivingAUniqueLookupOneValueAreADuplicate() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> null);
        Result r = insert(EMAIL, null, List.of(List.of("1", "'a@x'"), List.of("2", "'A@x'"))).execute(vc,
                Bindings.IN_REQUEST).join();
        assertThat(r.error().code()).isEqualTo(1062);
        assertThat(vc.sent()).isEmpty();
    }

    @Test
    void aReferenceWriteGoesToEveryShardAndCountsOnce() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> ScriptedVcursor.ok(2));
        Result r = new ReferenceWrite("Update", KS, "country", "UPDATE country SET n = 1").execute(vc, Bindings.IN_REQUEST)
                .join();
        assertThat(r.affectedRows()).isEqualTo(2);
        assertThat(vc.sent()).containsExactly("-80: UPDATE country SET n = 1", "80-: UPDATE country SET n = 1");
    }

    @Test
    void aLookupRouteAsksTheLookupThenOneShard() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("SELECT ksid FROM email_lkp")
                ? ScriptedVcursor.ids(HASH.keyspaceId(5L)) : ScriptedVcursor.longs(List.of("id"), new String[] {"5"}));
        LookupRoute route = new LookupRoute(KS, "SELECT id FROM user WHERE email = 'a@x'", EMAIL, "'a@x'");
        assertThat(route.execute(vc, Bindings.IN_REQUEST).join().rows()).hasSize(1);
        assertThat(vc.sent()).containsExactly(shard(MD5, "a@x") + ": SELECT ksid FROM email_lkp WHERE email = 'a@x'",
                shard(HASH, 5L) + ": SELECT id FROM user WHERE email = 'a@x'");
    }

    @Test
    void aValueTheLookupDoesNotKnowAsksTheFirstShardForItsEmptyAnswer() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("SELECT ksid") ? ScriptedVcursor.ids()
                : ScriptedVcursor.longs(List.of("id")));
        new LookupRoute(KS, "SELECT id FROM user WHERE email = 'z'", EMAIL, "'z'").execute(vc, Bindings.IN_REQUEST).join();
        assertThat(vc.sent()).last().isEqualTo("-80: SELECT id FROM user WHERE email = 'z'");
    }

    @Test
    void aDeleteRemovesTheLookupRowsAfterTheData() {
        Route select = new Route(RouteOpcode.SCATTER, KS, "SELECT id, email FROM user WHERE name = 'x'");
        Route delete = new Route(RouteOpcode.SCATTER, KS, "DELETE FROM user WHERE name = 'x'");
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("SELECT") && s.equals(ScriptedVcursor.LOW)
                ? ScriptedVcursor.longs(List.of("id", "email"), new String[] {"3", "4"})
                : sql.startsWith("SELECT") ? ScriptedVcursor.longs(List.of("id", "email")) : null);
        Result r = new OwnedDelete("user", select, delete, PRIMARY, List.of(EMAIL)).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.affectedRows()).isEqualTo(2);
        assertThat(vc.sent()).last().isEqualTo(shard(MD5, 4L) + ": DELETE FROM email_lkp WHERE email = 4 AND ksid = "
                + ksid(3));
        assertThat(vc.sent().indexOf("80-: DELETE FROM user WHERE name = 'x'")).isLessThan(vc.sent().size() - 1);
    }

    @Test
    void anUpdateOfALookupColumnCreatesTheNewRowFirstAndDeletesTheOldLast() {
        Route select = new Route(RouteOpcode.EQUAL_UNIQUE, KS, "SELECT id, email FROM user WHERE id = 3", List.of(),
                new Route.Pin(HASH, List.of("3")));
        Route update = new Route(RouteOpcode.EQUAL_UNIQUE, KS, "UPDATE user SET email = 8 WHERE id = 3", List.of(),
                new Route.Pin(HASH, List.of("3")));
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("SELECT id, email")
                ? ScriptedVcursor.longs(List.of("id", "email"), new String[] {"3", "4"}) : null);
        new OwnedUpdate("user", select, update, PRIMARY, List.of(EMAIL), List.of("8")).execute(vc, Bindings.IN_REQUEST)
                .join();
        assertThat(vc.sent()).containsExactly(shard(HASH, 3L) + ": SELECT id, email FROM user WHERE id = 3",
                shard(MD5, 8L) + ": INSERT INTO email_lkp (email, ksid) VALUES (8, " + ksid(3) + ")",
                shard(HASH, 3L) + ": UPDATE user SET email = 8 WHERE id = 3",
                shard(MD5, 4L) + ": DELETE FROM email_lkp WHERE email = 4 AND ksid = " + ksid(3));
    }

    @Test
    void aMovingUpdateInsertsOnTheNewShardRepointsTheLookupThenDeletesTheOldRow() {
        long from = 1;
        long to = 2;
        while (shard(HASH, to).equals(shard(HASH, from))) {
            to++;
        }
        String where = " WHERE id = " + from;
        Route select = new Route(RouteOpcode.EQUAL_UNIQUE, KS, "SELECT * FROM user" + where, List.of(),
                new Route.Pin(HASH, List.of(Long.toString(from))));
        long moved = to;
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.startsWith("SELECT *")
                ? ScriptedVcursor.longs(List.of("id", "email"), new String[] {"1", "4"}) : null);
        MovingUpdate u = new MovingUpdate(KS, "user", select, "UPDATE user SET id = " + moved + where,
                "DELETE FROM user" + where, Map.of("id", Long.toString(moved)), PRIMARY, List.of(EMAIL));
        Result r = u.execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.affectedRows()).isEqualTo(1);
        assertThat(vc.sent()).containsExactly(shard(HASH, from) + ": SELECT * FROM user" + where,
                shard(HASH, moved) + ": INSERT INTO user (`id`, `email`) VALUES (" + moved + ", 4)",
                shard(MD5, 4L) + ": UPDATE email_lkp SET ksid = " + ksid(moved) + " WHERE email = 4 AND ksid = " + ksid(from),
                shard(HASH, from) + ": DELETE FROM user" + where);
    }
}
