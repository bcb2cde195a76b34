package io.arbor.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The leak check itself: a buffer dropped unreleased is reported with where it was used, and only once. */
class LeakCheckTest {
    @Test
    void aBufferDroppedUnreleasedIsReportedWithItsAccessRecords() throws InterruptedException {
        assertThat(LeakCheck.enabled()).as("the root pom runs tests with the recording leak detector").isTrue();
        assertThat(LeakCheck.detect()).as("nothing leaked before").isEmpty();
        leak();
        List<String> reports = LeakCheck.detect();
        assertThat(reports).hasSize(1);
        assertThat(reports.getFirst()).startsWith("LEAK: ByteBuf.release() was not called").contains("LeakCheckTest.leak");
        assertThat(LeakCheck.detect()).as("taken once: the class's own check finds nothing more").isEmpty();
    }

    private static void leak() {
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.directBuffer(8); // unpooled heap buffers are not tracked
        b.writeLong(42);
    }
}
