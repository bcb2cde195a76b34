package io.arbor.tablet;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MariaDbServerTest {
    private final MariaDbServer server = new MariaDbServer(Path.of("/data/tablets/app-main-0-101"), 3307, 101);

    @Test
    void fileAccessIsConfinedToAnEmptyDirectoryOfTheTablet() {
        assertThat(server.config(MariaDbServer.Access.SOCKET_AND_TCP))
                .contains("\nsecure-file-priv=/data/tablets/app-main-0-101/files\n");
    }

    @Test
    void theSqlModeIsMariaDbsDefaultPlusNoDirInCreate() {
        assertThat(server.config(MariaDbServer.Access.SOCKET_AND_TCP)).contains("\nsql-mode=STRICT_TRANS_TABLES,"
                + "ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION,NO_DIR_IN_CREATE\n");
    }

    @Test
    void tablespacesStayInTheDataDirEvenForASessionWithoutNoDirInCreate() {
        assertThat(server.config(MariaDbServer.Access.SOCKET_AND_TCP)).containsPattern("(?m)^symbolic-links=OFF$");
    }

    @Test
    void socketOnlyTurnsNetworkingOff() {
        assertThat(server.config(MariaDbServer.Access.SOCKET_ONLY)).containsPattern("(?m)^skip-networking$")
                .contains("socket=/data/tablets/app-main-0-101/mysqld.sock");
        assertThat(server.config(MariaDbServer.Access.SOCKET_AND_TCP)).doesNotContainPattern("(?m)^skip-networking")
                .contains("\nport=3307\n", "\nbind-address=127.0.0.1\n");
    }

    @Test
    void aDeepDirectoryPutsTheSocketInAPrivateDirectoryOfItsOwn() {
        MariaDbServer deep = new MariaDbServer(Path.of("/" + "d".repeat(100)), 3307, 101);
        assertThat(deep.socket()).isEqualTo(Path.of("/tmp/arbor-101-3307/mysqld.sock"));
    }
}
