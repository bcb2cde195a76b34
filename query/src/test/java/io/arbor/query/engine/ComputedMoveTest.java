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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ComputedMove} on a scripted two-shard cursor ({@code UPDATE t SET id = id * 10}): the statements it sends per
 * row and in which order (moved rows inserted first, staying rows updated in place, lookups repointed, old rows
 * deleted), MySQL's counts, the undo when a step fails, and the refusals made before anything is written.
 */
class ComputedMoveTest {
    private static final HashVindex HASH = new HashVindex("hash");
    private static final BinaryMd5Vindex MD5 = new BinaryMd5Vindex("md5");
    private static final ShardMap MAP = ShardMap.ofNames(List.of("-80", "80-"));
    private static final Keyspace KS = ScriptedVcursor.KS;
    private static final String SELECT = "SELECT *, id * 10 FROM t FOR UPDATE";
    private static final OwnedLookup EMAIL = new OwnedLookup("n", new LookupVindex("t_n", LookupKind.LOOKUP_UNIQUE,
            new LookupParams("n_lkp", List.of("n"), "ksid", false, false, false), "t"), KS, MD5);

    private static String shard(long id) {
        return MAP.shardFor(HASH.keyspaceId(id));
    }

    /** The first id from {@code from} whose id * 10 is on its shard ({@code stays}) or on the other. */
    private static long id(long from, boolean stays) {
        long id = from;
        while (shard(id).equals(shard(id * 10)) != stays) {
            id++;
        }
        return id;
    }

    private static ComputedMove move(List<OwnedLookup> lookups) {
        return new ComputedMove(KS, "t", new Route(RouteOpcode.SCATTER, KS, SELECT), List.of("id"), List.of("id * 10"),
                new ColumnVindex("id", HASH), lookups);
    }

    /** The select's answer on {@code shard}: those of {@code ids} that live there, n = 100 + their index. */
    private static Result rowsOn(ResolvedShard shard, long... ids) {
        List<String[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (shard(ids[i]).equals(shard.shard())) {
                rows.add(new String[] {Long.toString(ids[i]), Long.toString(100 + i), Long.toString(ids[i] * 10)});
            }
        }
        return ScriptedVcursor.longs(List.of("id", "n", "id * 10"), rows.toArray(String[][]::new));
    }

    private static List<String> writes(ScriptedVcursor vc) {
        return vc.sent().stream().filter(x -> !x.endsWith(SELECT)).toList();
    }

    @Test
    void movedRowsAreInsertedFirstStayingRowsUpdatedInPlaceThenTheOldRowsDeleted() {
        long stays = id(1, true);
        long moves = id(1, false);
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.equals(SELECT) ? rowsOn(s, stays, moves)
                : sql.startsWith("UPDATE t SET") ? Result.ok(new Result.Completion(1, 0, 0, 0,
                        "Rows matched: 1  Changed: 1  Warnings: 0")) : null);
        Result r = move(List.of(EMAIL)).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.isError()).as("%s", r).isFalse();
        assertThat(r.affectedRows()).isEqualTo(2);
        assertThat(r.completion().info()).isEqualTo("Rows matched: 2  Changed: 2  Warnings: 0");
        List<String> sent = writes(vc);
        assertThat(sent).hasSize(5);
        assertThat(sent.get(0)).isEqualTo(shard(moves * 10) + ": INSERT INTO t (`id`, `n`) VALUES (" + moves * 10
                + ", 101)");
        assertThat(sent.get(1)).isEqualTo(shard(stays) + ": UPDATE t SET `id` = " + stays * 10 + " WHERE `id` = " + stays
                + " AND `n` = 100 LIMIT 1");
        assertThat(sent.subList(2, 4)).containsExactlyInAnyOrder(
                shard(MD5, 100L) + ": UPDATE n_lkp SET ksid = " + ksid(stays * 10) + " WHERE n = 100 AND ksid = "
                        + ksid(stays),
                shard(MD5, 101L) + ": UPDATE n_lkp SET ksid = " + ksid(moves * 10) + " WHERE n = 101 AND ksid = "
                        + ksid(moves));
        assertThat(sent.get(4)).isEqualTo(shard(moves) + ": DELETE FROM t WHERE `id` = " + moves + " AND `n` = 101 LIMIT 1");
    }

    private static String shard(io.arbor.query.vindex.FunctionalVindex v, Object value) {
        return MAP.shardFor(v.keyspaceId(value));
    }

    private static String ksid(long id) {
        return ScriptedVcursor.hex(HASH.keyspaceId(id));
    }

    @Test
    void aDuplicateKeyOnTheSecondNewShardDeletesWhatTheFirstGotAndChangesNothingElse() {
        long a = id(1, false);
        long b = id(a + 1, false);
        while (shard(b * 10).equals(shard(a * 10))) {
            b = id(b + 1, false);
        }
        long second = b;
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.equals(SELECT) ? rowsOn(s, a, second)
                : sql.startsWith("INSERT INTO t") && s.shard().equals(shard(second * 10))
                ? ScriptedVcursor.error(1062, "Duplicate entry") : null);
        Result r = move(List.of()).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.isError()).isTrue();
        assertThat(r.error().code()).isEqualTo(1062);
        assertThat(writes(vc)).containsExactly(
                shard(a * 10) + ": INSERT INTO t (`id`, `n`) VALUES (" + a * 10 + ", 100)",
                shard(second * 10) + ": INSERT INTO t (`id`, `n`) VALUES (" + second * 10 + ", 101)",
                shard(a * 10) + ": DELETE FROM t WHERE `id` = " + a * 10 + " AND `n` = 100 LIMIT 1");
    }

    @Test
    void aFailedInPlaceUpdateSetsBackTheRowsBeforeItAndDeletesTheInsertedOnes() {
        long moves = id(1, false);
        long stays = id(1, true);
        // a second staying row on the same shard whose update fails: the first is set back
        long other = id(stays + 1, true);
        ScriptedVcursor failing = new ScriptedVcursor((s, sql) -> {
            if (sql.equals(SELECT)) {
                return s.shard().equals("-80") ? ScriptedVcursor.longs(List.of("id", "n", "id * 10"),
                        new String[] {Long.toString(moves), "1", Long.toString(moves * 10)},
                        new String[] {Long.toString(stays), "2", Long.toString(stays * 10)},
                        new String[] {Long.toString(other), "3", Long.toString(other * 10)})
                        : ScriptedVcursor.longs(List.of("id", "n", "id * 10"));
            }
            return sql.startsWith("UPDATE t SET `id` = " + other * 10 + " ") ? ScriptedVcursor.error(1062, "Duplicate entry")
                    : null;
        });
        Result r = move(List.of()).execute(failing, Bindings.IN_REQUEST).join();
        assertThat(r.isError()).isTrue();
        List<String> writes = failing.sent().stream().filter(x -> !x.endsWith(SELECT)).toList();
        assertThat(writes).containsExactly(
                shard(moves * 10) + ": INSERT INTO t (`id`, `n`) VALUES (" + moves * 10 + ", 1)",
                shard(stays) + ": UPDATE t SET `id` = " + stays * 10 + " WHERE `id` = " + stays + " AND `n` = 2 LIMIT 1",
                shard(other) + ": UPDATE t SET `id` = " + other * 10 + " WHERE `id` = " + other + " AND `n` = 3 LIMIT 1",
                shard(stays) + ": UPDATE t SET `id` = " + stays + " WHERE `id` = " + stays * 10 + " AND `n` = 2 LIMIT 1",
                shard(moves * 10) + ": DELETE FROM t WHERE `id` = " + moves * 10 + " AND `n` = 1 LIMIT 1");
    }

    @Test
    void aValueTheColumnWouldStoreOtherwiseIsRefusedBeforeAnythingIsWritten() {
        ScriptedVcursor vc = new ScriptedVcursor((s, sql) -> sql.equals(SELECT) && s.shard().equals("-80")
                ? ScriptedVcursor.longs(List.of("id", "n", "id * 10"), new String[] {"3", "1", "7.5"})
                : sql.equals(SELECT) ? ScriptedVcursor.longs(List.of("id", "n", "id * 10")) : null);
        Result r = move(List.of()).execute(vc, Bindings.IN_REQUEST).join();
        assertThat(r.isError()).isTrue();
        assertThat(r.error().code()).isEqualTo(1235);
        assertThat(r.error().getMessage()).contains("not an integer");
        assertThat(vc.sent()).allMatch(x -> x.endsWith(SELECT));
    }

    @Test
    void describeShowsTheSetExpressions() {
        assertThat(move(List.of()).describe().properties()).containsEntry("Set", "id = id * 10")
                .containsEntry("Vindex", "hash(id)");
        assertThat(move(List.of()).describe().variant()).isEqualTo("MoveEachRow");
    }
}
