package io.arbor.tablet;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Statements the tablet holds back while a cut-over swaps a table (online DDL's buffering, as Vitess's query rules
 * during a cut-over): a command whose text names a held table waits before it reaches {@code mariadbd}, and runs,
 * on the new table, once the swap is done. Without it, statements queued in MariaDB behind the cut-over's lock
 * could be granted the original table before the RENAME is (MariaDB takes a RENAME's locks one name at a time, in
 * name order) and write to the old table after the last changes were drained. A hold ends by itself after
 * {@link #MAX_HOLD} whatever happens to its owner.
 *
 * <p>The match is by name in the text (any case, as a word), so a statement that only mentions the name waits
 * too, for a moment; the cut-over holds the names of the views that read the table as well.
 */
public final class Holds {
    static final long MAX_HOLD = TimeUnit.SECONDS.toMillis(15);
    private static final CompletableFuture<Void> NONE = CompletableFuture.completedFuture(null);

    private record Hold(Pattern name, CompletableFuture<Void> released) {}

    private final Map<Object, Hold> active = new ConcurrentHashMap<>();

    /** Holds the statements that name {@code table} until the returned handle is closed. */
    public AutoCloseable hold(String table) {
        Object key = new Object();
        CompletableFuture<Void> released = new CompletableFuture<Void>().completeOnTimeout(null, MAX_HOLD, TimeUnit.MILLISECONDS);
        Pattern p = Pattern.compile("(?<![A-Za-z0-9_$])" + Pattern.quote(table.toLowerCase(Locale.ROOT)) + "(?![A-Za-z0-9_$])");
        active.put(key, new Hold(p, released));
        return () -> {
            active.remove(key);
            released.complete(null);
        };
    }

    /** What a command waits for before it runs: done at once unless it names a held table. */
    CompletableFuture<Void> before(TabletCommand command) {
        if (active.isEmpty()) {
            return NONE;
        }
        String text = text(command);
        for (Hold h : active.values()) {
            if (h.name().matcher(text).find()) {
                return h.released();
            }
        }
        return NONE;
    }

    private static String text(TabletCommand command) {
        return switch (command) {
            case TabletCommand.Send s -> lower(s.payload());
            case TabletCommand.Prepare p -> lower(p.payload());
            case TabletCommand.Execute e -> e.statement().sql().toLowerCase(Locale.ROOT);
        };
    }

    /** The packet as text for a name match: bytes as Latin-1 (a UTF-8 name's bytes match alike). */
    private static String lower(ByteBuf payload) {
        return payload.toString(payload.readerIndex(), payload.readableBytes(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }
}
