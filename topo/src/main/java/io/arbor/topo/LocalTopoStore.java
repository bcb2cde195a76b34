package io.arbor.topo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;

/**
 * The embedded default's topology: one JSON file under the data dir, rewritten atomically (write a temp
 * file, then rename) so a crash leaves either the old or the new shape, never half of one. Readable only
 * by its owner, since it holds passwords.
 */
public final class LocalTopoStore implements TopoStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private Topology current;

    public LocalTopoStore(Path file) {
        this.file = file;
        this.current = load(file);
    }

    @Override
    public synchronized Topology read() {
        return current;
    }

    @Override
    public synchronized Topology update(UnaryOperator<Topology> change) {
        Topology next = change.apply(current);
        write(next);
        current = next;
        return next;
    }

    private static Topology load(Path file) {
        if (!Files.exists(file)) {
            return Topology.empty();
        }
        try {
            return JSON.readValue(file.toFile(), Topology.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topology " + file, e);
        }
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
}
