package io.arbor.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFilesTest {
    @Test
    void maxConnectionsIsCappedBelowTheOpenFileLimit() {
        assertThat(OpenFiles.connectionCap(200_000, 20_000, 150)).isEqualTo(20_000 - 150 - OpenFiles.RESERVE);
        assertThat(OpenFiles.connectionCap(5_000, 20_000, 150)).as("enough room: unchanged").isEqualTo(5_000);
        assertThat(OpenFiles.connectionCap(5_000, -1, 0)).as("unknown limit").isEqualTo(5_000);
        assertThat(OpenFiles.connectionCap(5_000, 1_000, 900)).as("never zero").isEqualTo(1);
    }

    @Test
    void thisProcessReportsItsLimit() {
        assertThat(OpenFiles.limit()).isPositive();
        assertThat(OpenFiles.open()).isPositive().isLessThan(OpenFiles.limit());
    }
}
