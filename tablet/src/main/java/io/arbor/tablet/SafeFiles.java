package io.arbor.tablet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * File operations the JVM (often root) performs inside a tablet directory that mariadbd's unprivileged
 * user owns, and so may fill with symbolic links: none of them follows a link, so that user cannot make
 * root write, read, chown or delete a file elsewhere. Tree walks go through {@link SecureDirectoryStream}
 * (openat and friends), so swapping a directory for a link during the walk does not help either.
 */
final class SafeFiles {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private SafeFiles() {}

    /** Replaces {@code file} with {@code text}, created with {@code mode} from the start, atomically. */
    static void write(Path file, String text, String mode) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // does not follow a link: removes the link itself
        try (SeekableByteChannel ch = Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, NOFOLLOW), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)))) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
        }
        // The umask may have narrowed the mode given at creation; the temp file may be a link by now.
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class, NOFOLLOW).setPermissions(PosixFilePermissions.fromString(mode));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Opens {@code file} for appending (created when missing), refusing a symbolic link. */
    static FileChannel appendTo(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND, NOFOLLOW);
    }

    /** Copies a child process's output into {@code file} until it ends, on a virtual thread. */
    static Thread copyInBackground(InputStream from, Path file) {
        return Thread.ofVirtual().name("log-" + file.getFileName()).start(() -> {
            try (InputStream in = from; FileChannel out = appendTo(file)) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(ByteBuffer.wrap(buf, 0, n));
                }
            } catch (IOException e) {
                // The process ended or the file is a link: nothing worth more than losing a log line.
            }
        });
    }

    /** The last {@code lines} lines of a (small) text file, or a note that it cannot be read. */
    static String tail(Path file, int lines) {
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            long size = ch.size();
            int window = (int) Math.min(size, 64 * 1024);
            ch.position(size - window);
            ByteBuffer buf = ByteBuffer.allocate(window);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read the window
            }
            List<String> all = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ")";
        }
    }

    /** A small file's text, refusing a symbolic link. */
    static String read(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 20));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read it all
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Creates directory {@code dir} when missing (its parent must exist), or checks it is a directory and not
     * a link; then gives it {@code owner} (null: leave it) and {@code mode}.
     */
    static void directory(Path dir, UserPrincipal owner, String mode) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, NOFOLLOW)) {
                throw new IOException(dir + " exists and is not a directory (or is a symbolic link); move it away");
            }
        }
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, NOFOLLOW);
        if (owner != null && !view.readAttributes().owner().equals(owner)) {
            view.setOwner(owner);
        }
        view.setPermissions(PosixFilePermissions.fromString(mode));
    }

    /**
     * Gives every entry below {@code dir} to {@code owner}, through directory handles (fchownat without
     * following links). Symbolic links, and regular files with more than one hard link (one may be a file
     * elsewhere), are left alone.
     */
    static void chownTree(Path dir, UserPrincipal owner) throws IOException {
        try (DirectoryStream<Path> top = Files.newDirectoryStream(dir)) {
            if (!(top instanceof SecureDirectoryStream<Path> secure)) {
                throw new IOException("this platform has no secure directory streams; cannot give " + dir + " to " + owner.getName());
            }
            chownEntries(secure, owner);
        }
    }

    private static void chownEntries(SecureDirectoryStream<Path> dir, UserPrincipal owner) throws IOException {
        List<Path> subdirs = new ArrayList<>();
        for (Path entry : dir) {
            Path name = entry.getFileName();
            PosixFileAttributeView view = dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW);
            PosixFileAttributes attrs;
            try {
                attrs = view.readAttributes();
            } catch (NoSuchFileException e) {
                continue; // removed meanwhile (mariadbd is not running, but a leftover file may go)
            }
            if (attrs.isSymbolicLink() || (attrs.isRegularFile() && linkCount(entry) > 1)) {
                continue; // a link's own owner matters to no one, and its target must not change hands
            }
            if (!attrs.owner().equals(owner)) {
                view.setOwner(owner);
            }
            if (attrs.isDirectory()) {
                subdirs.add(name);
            }
        }
        for (Path name : subdirs) {
            try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
                chownEntries(sub, owner);
            } catch (NoSuchFileException e) {
                // gone meanwhile
            }
        }
    }

    /**
     * A secure stream's views offer no link count, so this one is read by path (entries carry their full
     * path); a race only changes which count is read, and the kernel's protected_hardlinks is the main guard.
     */
    private static int linkCount(Path entry) throws IOException {
        return Files.getAttribute(entry, "unix:nlink", NOFOLLOW) instanceof Integer n ? n : 1;
    }

    /** Deletes {@code dir} and everything below it, never following a link. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, NOFOLLOW)) {
            return;
        }
        if (!Files.isDirectory(dir, NOFOLLOW)) {
            Files.delete(dir);
            return;
        }
        try (DirectoryStream<Path> top = Files.newDirectoryStream(dir)) {
            if (!(top instanceof SecureDirectoryStream<Path> secure)) {
                throw new IOException("this platform has no secure directory streams; cannot delete " + dir);
            }
            deleteEntries(secure);
        }
        Files.delete(dir);
    }

    private static void deleteEntries(SecureDirectoryStream<Path> dir) throws IOException {
        for (Path entry : dir) {
            Path name = entry.getFileName();
            boolean isDir = dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW).readAttributes().isDirectory();
            if (isDir) {
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
                    deleteEntries(sub);
                }
                dir.deleteDirectory(name);
            } else {
                dir.deleteFile(name);
            }
        }
    }
}
