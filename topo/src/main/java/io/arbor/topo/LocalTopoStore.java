package io.arbor.topo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * The embedded default's topology: one JSON file under the data dir, rewritten atomically (write a temp file, then
 * rename) so a crash leaves either the old or the new shape, never half of one. Readable only by its owner: it holds
 * the cluster's secrets and the users' password hashes.
 *
 * <p><b>Watching.</b> A version made by {@link #update} in this process reaches the watchers before {@code update}
 * returns. A version another process wrote is found by polling the file's stat (inode, modification time, size)
 * every {@link #POLL_INTERVAL} on one daemon thread, started by the first {@link #watch} and stopped by
 * {@link #close}; {@link #read} and {@link #update} look too, so they never work from a stale copy. Polling rather
 * than a {@code WatchService}: inotify misses changes made on another machine of a network filesystem, reports a
 * rename-over on the directory rather than the file, and queues events that can overflow; a stat costs microseconds,
 * and another writer is rare (an operator's tool), so half a second is soon enough. Every write replaces the file,
 * so its inode changes even when the clock is coarse. Two processes writing in the same instant could still lose one
 * change: the embedded default has one writer, the control plane of {@code arbor up}, and a multi-node cluster uses
 * etcd's transactions.
 *
 * <p><b>Older files.</b> Topologies written before credentials were hashed hold each password in the clear
 * ({@code "password"}): loading one hashes them and rewrites the file at once, without them. Whoever must keep a
 * password (the local cluster keeps its {@code root}'s) reads it first with {@link #plaintextPasswords}.
 */
public final class LocalTopoStore implements TopoStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalTopoStore.class);
    /** How often a watched store looks for changes made by another process. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What identifies one version of the file on disk: every write makes a new file (new inode). */
    private record Stamp(Object fileKey, FileTime modified, long size) {}

    private final Path file;
    private final Duration pollInterval;
    private final Watchers watchers;
    private Topology current; // guarded by this
    private long version; // guarded by this
    /** The file as this store last read or wrote it; null while there is none. Guarded by this. */
    private Stamp stamp;
    private ScheduledExecutorService poller; // guarded by this
    private boolean closed; // guarded by this

    public LocalTopoStore(Path file) {
        this(file, POLL_INTERVAL);
    }

    /** A store polling for other processes' changes every {@code pollInterval} while watched. */
    public LocalTopoStore(Path file, Duration pollInterval) {
        this.file = requireNonNull(file, "file is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.watchers = new Watchers(file.toString());
        synchronized (this) {
            current = Files.exists(file) ? load(file) : Topology.empty();
            stamp = stamp(file); // after a migration's rewrite, the new file
        }
    }

    @Override
    public Topology read() {
        Topology t;
        boolean changed;
        synchronized (this) {
            changed = refresh();
            t = current;
        }
        if (changed) {
            watchers.deliver();
        }
        return t;
    }

    @Override
    public Topology update(UnaryOperator<Topology> change) {
        boolean changed = false;
        try {
            synchronized (this) {
                changed = refresh();
                Topology next = requireNonNull(change.apply(current), "the change returned null");
                if (!next.equals(current)) {
                    write(next);
                    stamp = stamp(file);
                    publish(next);
                    changed = true;
                }
                return next;
            }
        } finally {
            if (changed) {
                watchers.deliver(); // a version another process wrote reaches the watchers even if the change threw
            }
        }
    }

    @Override
    public Subscription watch(Consumer<Topology> listener) {
        Subscription s = watchers.watch(listener, () -> {
            synchronized (this) {
                refresh();
                startPolling();
                return new Watchers.Version(version, current);
            }
        });
        watchers.deliver(); // a version the refresh found, for the other watchers
        return s;
    }

    /** Stops looking for other processes' changes; reads and updates still work. */
    @Override
    public synchronized void close() {
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    /**
     * The passwords an older topology file still holds in the clear, by user; empty for a current file or none. For
     * a caller that must keep one before opening the store, which drops them.
     */
    public static Map<String, String> plaintextPasswords(Path file) {
        Map<String, String> passwords = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return passwords;
        }
        try {
            for (JsonNode c : JSON.readTree(file.toFile()).path("credentials")) {
                if (c.path("password").isTextual() && c.path("user").isTextual()) {
                    passwords.put(c.get("user").asText(), c.get("password").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topology " + file, e);
        }
        return passwords;
    }

    private void startPolling() {
        if (poller != null || closed) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "arbor-topo-watch");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, pollInterval.toNanos(), pollInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void poll() {
        try {
            boolean changed;
            synchronized (this) {
                changed = refresh();
            }
            if (changed) {
                watchers.deliver();
            }
        } catch (RuntimeException e) {
            log.warn("topology {}: could not look for changes", file, e); // and look again next time
        }
    }

    /**
     * Takes up a version another process wrote, if the file changed since this store last read or wrote it; returns
     * whether that made a new version.
     */
    private boolean refresh() {
        Stamp now = stamp(file);
        if (Objects.equals(now, stamp)) {
            return false;
        }
        if (now == null) {
            log.warn("topology {}: the file is gone; keeping the last version read, which the next change writes back", file);
            stamp = null;
            return false;
        }
        Topology loaded;
        try {
            loaded = load(file);
        } catch (RuntimeException e) {
            log.warn("topology {}: another process wrote a file that cannot be read; keeping the last version read", file, e);
            stamp = now; // not again until it changes
            return false;
        }
        stamp = stamp(file);
        if (loaded.equals(current)) {
            return false;
        }
        log.info("topology {}: changed by another process", file);
        publish(loaded);
        return true;
    }

    private void publish(Topology next) {
        current = next;
        watchers.publish(new Watchers.Version(++version, next));
    }

    private Topology load(Path path) {
        try {
            JsonNode tree = JSON.readTree(path.toFile());
            int hashed = hashPlaintextPasswords(tree);
            Topology t = JSON.treeToValue(tree, Topology.class);
            if (hashed > 0) {
                write(t);
                log.info("topology {}: {} password(s) kept in the clear by an older version replaced by their hashes",
                        path, hashed);
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topology " + path, e);
        }
    }

    /** Older versions kept each credential's password itself: hash it and drop it. Returns how many there were. */
    private static int hashPlaintextPasswords(JsonNode tree) {
        int n = 0;
        for (JsonNode c : tree.path("credentials")) {
            if (c instanceof ObjectNode o && o.has("password")) {
                if (!o.has("hashes")) {
                    o.set("hashes", JSON.valueToTree(PasswordHashes.of(o.get("password").asText())));
                }
                o.remove("password");
                n++;
            }
        }
        return n;
    }

    private void write(Topology topology) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(tmp.toFile(), topology);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write topology " + file, e);
        }
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat topology " + file, e);
        }
    }
}
