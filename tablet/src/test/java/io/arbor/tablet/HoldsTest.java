package io.arbor.tablet;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class HoldsTest {
    private static TabletCommand query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[text.length + 1];
        payload[0] = 0x03; // COM_QUERY
        System.arraycopy(text, 0, payload, 1, text.length);
        return new TabletCommand.Send(Unpooled.wrappedBuffer(payload));
    }

    @Test
    void statementsNamingAHeldTableWaitUntilTheHoldEnds() throws Exception {
        Holds holds = new Holds();
        assertThat(holds.before(query("INSERT INTO orders VALUES (1)"))).isDone();
        AutoCloseable hold = holds.hold("orders");
        CompletableFuture<Void> insert = holds.before(query("INSERT INTO `Orders` VALUES (1)"));
        CompletableFuture<Void> select = holds.before(query("select * from app.orders where id = 1"));
        assertThat(insert).as("any case, quoted or qualified").isNotDone();
        assertThat(select).isNotDone();
        assertThat(holds.before(query("SELECT * FROM orders_archive"))).as("another name that starts alike").isDone();
        assertThat(holds.before(query("SELECT * FROM customers"))).isDone();
        hold.close();
        assertThat(insert).isDone();
        assertThat(select).isDone();
        assertThat(holds.before(query("INSERT INTO orders VALUES (2)"))).as("after the hold").isDone();
    }
}
