package io.arbor.tablet;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What mariadbd's user may plant in its own directory (links) must not steer what root does there. */
class SafeFilesTest {
    @TempDir
    Path tmp;

    private Path outside() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        return victim;
    }

    @Test
    void writingReplacesALinkInsteadOfWritingThroughIt() throws Exception {
        Path victim = outside();
        Path dir = Files.createDirectory(tmp.resolve("tablet"));
        Files.createSymbolicLink(dir.resolve("my.cnf"), victim);
        Files.createSymbolicLink(dir.resolve("my.cnf.tmp"), victim);

        SafeFiles.write(dir.resolve("my.cnf"), "[mysqld]\n", "rw-r--r--");

        assertThat(Files.isSymbolicLink(dir.resolve("my.cnf"))).isFalse();
        assertThat(dir.resolve("my.cnf")).hasContent("[mysqld]");
        assertThat(victim).hasContent("precious");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("my.cnf")))).isEqualTo("rw-r--r--");
    }

    @Test
    void logsAndTailsRefuseLinks() throws Exception {
        Path victim = outside();
        Path link = Files.createSymbolicLink(tmp.resolve("mysqld.err"), victim);
        assertThatThrownBy(() -> SafeFiles.appendTo(link).close()).isInstanceOf(IOException.class);
        assertThat(SafeFiles.tail(link, 5)).doesNotContain("precious");
        assertThatThrownBy(() -> SafeFiles.read(link)).isInstanceOf(IOException.class);
        assertThat(victim).hasContent("precious");
    }

    @Test
    void deletingATreeRemovesLinksNotWhatTheyPointAt() throws Exception {
        Path keep = Files.createDirectory(tmp.resolve("keep"));
        Files.writeString(keep.resolve("file"), "x");
        Path data = Files.createDirectories(tmp.resolve("data/sub"));
        Files.createSymbolicLink(data.resolve("link"), keep);
        Files.writeString(data.resolve("f"), "y");

        SafeFiles.deleteTree(tmp.resolve("data"));

        assertThat(tmp.resolve("data")).doesNotExist();
        assertThat(keep.resolve("file")).hasContent("x");
    }

    @Test
    void chowningATreeLeavesLinksAndTheirTargetsAlone() throws Exception {
        Assumptions.assumeTrue(ServerUser.jvmIsRoot(), "giving files away needs root");
        UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Path victim = outside();
        Path dir = Files.createDirectories(tmp.resolve("tablet/data")).getParent();
        Files.createDirectories(dir.resolve("data/sub"));
        Files.createSymbolicLink(dir.resolve("link"), victim);
        Files.writeString(dir.resolve("data/sub/ibdata1"), "z");

        SafeFiles.chownTree(dir, nobody);

        assertThat(Files.getOwner(dir.resolve("data/sub/ibdata1"))).isEqualTo(nobody);
        assertThat(Files.getOwner(dir.resolve("data"))).isEqualTo(nobody);
        assertThat(Files.getOwner(dir.resolve("link"), LinkOption.NOFOLLOW_LINKS)).isNotEqualTo(nobody);
        assertThat(Files.getOwner(victim)).isNotEqualTo(nobody);
    }

    @Test
    void aDirectoryThatIsALinkIsRefused() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("files"), real);
        assertThatThrownBy(() -> SafeFiles.directory(link, null, "rwx------")).isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
    }
}
