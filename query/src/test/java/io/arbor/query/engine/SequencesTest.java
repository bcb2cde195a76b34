package io.arbor.query.engine;

import io.arbor.protocol.Result;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequencesTest {
    private static final Sequence SEQ = new Sequence(ScriptedVcursor.KS, "user_seq", new byte[] {0});

    /** A sequence table of {@code cache} on -80: the UPDATE's insert id is the new next_id. */
    private static ScriptedVcursor table(long cache, AtomicLong next) {
        return new ScriptedVcursor((shard, sql) -> {
            if (sql.startsWith("SELECT cache FROM user_seq")) {
                return ScriptedVcursor.longs(List.of("cache"), new String[] {Long.toString(cache)});
            }
            if (sql.startsWith("UPDATE user_seq SET next_id = LAST_INSERT_ID(next_id + ")) {
                long n = Long.parseLong(sql.replaceAll(".*next_id \\+ (\\d+)\\).*", "$1"));
                return Result.ok(new Result.Completion(1, next.addAndGet(n), 0, 0));
            }
            return null;
        });
    }

    @Test
    void idsComeFromMemoryUntilTheBlockRunsOut() {
        AtomicLong next = new AtomicLong(1);
        ScriptedVcursor vc = table(3, next);
        Sequences s = new Sequences();
        assertThat(s.reserve(vc, SEQ, 1).join()).isEqualTo(1);
        assertThat(s.reserve(vc, SEQ, 2).join()).isEqualTo(2);
        assertThat(vc.sent()).containsExactly("-80: SELECT cache FROM user_seq WHERE id = 0",
                "-80: UPDATE user_seq SET next_id = LAST_INSERT_ID(next_id + 3) WHERE id = 0");
        assertThat(s.reserve(vc, SEQ, 1).join()).isEqualTo(4);
        assertThat(vc.sent()).hasSize(4);
    }

    @Test
    void aRequestLargerThanTheCacheReservesItsOwnBlockOfConsecutiveIds() {
        AtomicLong next = new AtomicLong(1);
        ScriptedVcursor vc = table(2, next);
        Sequences s = new Sequences();
        assertThat(s.reserve(vc, SEQ, 1).join()).isEqualTo(1);
        assertThat(s.reserve(vc, SEQ, 5).join()).isEqualTo(3); // 2 is dropped: the 5 ids are consecutive
        assertThat(vc.sent()).last().isEqualTo("-80: UPDATE user_seq SET next_id = LAST_INSERT_ID(next_id + 5) WHERE id = 0");
        assertThat(s.reserve(vc, SEQ, 1).join()).isEqualTo(8);
    }

    @Test
    void concurrentRequestsNeverShareAnId() throws InterruptedException {
        AtomicLong next = new AtomicLong(1);
        ScriptedVcursor vc = table(7, next);
        Sequences s = new Sequences();
        record Asked(int count, CompletableFuture<Long> first) {}
        List<Asked> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    Asked a = new Asked(1 + i % 3, s.reserve(vc, SEQ, 1 + i % 3));
                    synchronized (all) {
                        all.add(a);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Set<Long> ids = new HashSet<>();
        int given = 0;
        for (Asked a : all) {
            long first = a.first().join();
            for (long id = first; id < first + a.count(); id++) {
                assertThat(ids.add(id)).as("id %d handed out twice", id).isTrue();
            }
            given += a.count();
        }
        assertThat(ids).hasSize(given);
        assertThat(next.get()).as("the table's next_id is past every id").isGreaterThan(ids.stream().max(Long::compare).orElseThrow());
    }

    @Test
    void aSequenceTableWithoutItsRowIsAnError() {
        ScriptedVcursor vc = new ScriptedVcursor((shard, sql) -> ScriptedVcursor.longs(List.of("cache")));
        assertThatThrownBy(() -> new Sequences().reserve(vc, SEQ, 1).join()).hasMessageContaining("has no row with id 0");
    }
}
