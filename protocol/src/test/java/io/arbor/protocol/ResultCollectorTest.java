package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;

import static io.arbor.protocol.ResultPackets.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultCollectorTest {
    private static List<ByteBuf> select(int status) {
        List<ByteBuf> p = new ArrayList<>();
        p.add(count(3));
        p.add(mariadbDef("id", null, 63, 20, FieldType.LONGLONG, FieldType.UNSIGNED_FLAG, 0));
        p.add(mariadbDef("name", null, 224, 400, FieldType.VAR_STRING, 0, 0));
        p.add(mariadbDef("doc", "json", 224, 0xFFFFFFFFL, FieldType.BLOB, 0x10, 0));
        p.add(textRow("1", "a", "{}"));
        p.add(textRow("2", "", null));
        p.add(Responses.okTerminator(A, status, 1));
        return p;
    }

    @Test
    void anOkGivesItsCounts() {
        Result r = collect(List.of(ok(3, 7, ServerStatus.AUTOCOMMIT, 2)), RowFormat.TEXT, MARIADB, ResultCollector.Limits.NONE);
        assertThat(r.hasColumns()).isFalse();
        assertThat(r.completion()).isEqualTo(new Result.Completion(3, 7, ServerStatus.AUTOCOMMIT, 2));
    }

    @Test
    void anOksInfoTextIsKeptAsMariaDbWritesIt() {
        String info = "Rows matched: 3  Changed: 2  Warnings: 0";
        ByteBuf packet = Responses.ok(A, 3, 0, ServerStatus.AUTOCOMMIT, 0, info);
        assertThat(Responses.okInfo(packet)).isEqualTo(info);
        assertThat((int) packet.getUnsignedByte(packet.readerIndex() + 7)).as("length-encoded, as MariaDB's net_send_ok")
                .isEqualTo(info.length());
        Result r = collect(List.of(packet), RowFormat.TEXT, MARIADB, ResultCollector.Limits.NONE);
        assertThat(r.completion()).isEqualTo(new Result.Completion(3, 0, ServerStatus.AUTOCOMMIT, 0, info));
        ByteBuf plain = ok(3, 7, ServerStatus.AUTOCOMMIT, 2);
        assertThat(Responses.okInfo(plain)).isNull();
        plain.release();
    }

    @Test
    void aResultSetWithMariaDbsExtendedMetadata() {
        Result r = collect(select(ServerStatus.AUTOCOMMIT), RowFormat.TEXT, MARIADB, ResultCollector.Limits.NONE);
        assertThat(r.columns()).extracting(Column::name).containsExactly("id", "name", "doc");
        Column doc = r.columns().get(2);
        assertThat(doc.type().json()).isTrue();
        assertThat(doc.type().code()).isEqualTo(FieldType.BLOB);
        assertThat(doc.origin()).isEqualTo(new Column.Origin("def", "app", "t", "t_org", "doc_org"));
        assertThat(r.rows()).containsExactly(Row.ofText("1", "a", "{}"), Row.ofText("2", "", null));
        assertThat(r.rows().get(1).isNull(1)).isFalse();
        assertThat(r.rows().get(1).length(1)).isZero();
        assertThat(r.rows().get(1).isNull(2)).isTrue();
        assertThat(r.completion()).isEqualTo(new Result.Completion(0, 0, ServerStatus.AUTOCOMMIT, 1));
    }

    @Test
    void classicEofFraming() {
        List<ByteBuf> p = List.of(count(1), mariadbDef("x", null, 224, 10, FieldType.VAR_STRING, 0, 0), Responses.eof(A, 2, 0),
                textRow("a"), Responses.eof(A, 3, 4));
        Result r = collect(p, RowFormat.TEXT, new ResultCollector.Framing(false, true), ResultCollector.Limits.NONE);
        assertThat(r.rows()).containsExactly(Row.ofText("a"));
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.warnings()).isEqualTo(4);
    }

    @Test
    void severalResultsKeepTheFirstSetAndTheLastCounts() {
        int more = ServerStatus.MORE_RESULTS_EXISTS | ServerStatus.AUTOCOMMIT;
        List<ByteBuf> p = new ArrayList<>();
        p.add(ok(1, 5, more, 0));                 // INSERT ...;
        p.addAll(select(more));                   // SELECT ...;
        p.add(count(1));                          // SELECT 'other';
        p.add(mariadbDef("other", null, 224, 5, FieldType.VAR_STRING, 0, 0));
        p.add(textRow("zzz"));
        p.add(Responses.okTerminator(A, more, 0));
        p.add(ok(2, 0, ServerStatus.AUTOCOMMIT, 0)); // UPDATE ...
        Result r = collect(p, RowFormat.TEXT, MARIADB, ResultCollector.Limits.NONE);
        assertThat(r.columns()).extracting(Column::name).containsExactly("id", "name", "doc");
        assertThat(r.rows()).hasSize(2);
        assertThat(r.affectedRows()).isEqualTo(2);
        assertThat(r.insertId()).as("the last insert id that was set").isEqualTo(5);
        assertThat(r.status()).isEqualTo(ServerStatus.AUTOCOMMIT);
    }

    @Test
    void aServerErrorIsAnErrorResult() {
        Result r = collect(List.of(err(1146, "42S02", "Table 'app.nope' doesn't exist")), RowFormat.TEXT, MARIADB,
                ResultCollector.Limits.NONE);
        assertThat(r.isError()).isTrue();
        assertThat(r.error().code()).isEqualTo(1146);
        assertThat(r.error().sqlState()).isEqualTo("42S02");
        assertThat(r.columns()).isEmpty();

        List<ByteBuf> afterRows = new ArrayList<>(select(ServerStatus.MORE_RESULTS_EXISTS));
        afterRows.add(err(1064, "42000", "syntax"));
        assertThat(collect(afterRows, RowFormat.TEXT, MARIADB, ResultCollector.Limits.NONE).error().code()).isEqualTo(1064);
    }

    @Test
    void pastTheRowLimitTheRestIsDrainedAndTheResultIsAnError() {
        Result r = collect(select(2), RowFormat.TEXT, MARIADB, new ResultCollector.Limits(1, 0));
        assertThat(r.error().code()).isEqualTo(1105);
        assertThat(r.error().getMessage()).isEqualTo(
                "Arbor: the result has more than 1 rows (the gateway's row limit); add a LIMIT or a narrower WHERE, or raise the limit (--max-rows)");
        assertThat(collect(select(2), RowFormat.TEXT, MARIADB, new ResultCollector.Limits(2, 0)).isError()).isFalse();
    }

    @Test
    void pastTheByteLimitTheResultIsAnError() {
        // row 1 holds 4 bytes of values ("1", "a", "{}"), row 2 one ("2", "", NULL)
        assertThat(collect(select(2), RowFormat.TEXT, MARIADB, new ResultCollector.Limits(0, 5)).isError()).isFalse();
        Result r = collect(select(2), RowFormat.TEXT, MARIADB, new ResultCollector.Limits(0, 4));
        assertThat(r.error().getMessage()).isEqualTo(
                "Arbor: the result is larger than 4 bytes, the HTTP API's limit; select fewer rows or columns");
    }

    @Test
    void aBrokenConnectionFailsTheFutureWithItsCause() {
        ResultCollector c = new ResultCollector(RowFormat.TEXT, MARIADB, ResultCollector.Limits.NONE);
        assertThat(c.onPacket(new Packet(1, count(1)))).isFalse();
        IOException cause = new IOException("closed");
        c.onFailure(cause);
        assertThatThrownBy(() -> c.result().join()).isInstanceOf(CompletionException.class).hasCause(cause);
    }

    @Test
    void binaryRows() {
        List<ByteBuf> p = new ArrayList<>();
        p.add(count(2));
        p.add(mariadbDef("n", null, 63, 11, FieldType.LONG, 0, 0));
        p.add(mariadbDef("s", null, 224, 40, FieldType.VAR_STRING, 0, 0));
        ByteBuf row = A.buffer().writeByte(0).writeByte(0b1000); // bitmap: column 1 (bit 3) is NULL
        row.writeIntLE(-42);
        p.add(row);
        ByteBuf row2 = A.buffer().writeByte(0).writeByte(0);
        row2.writeIntLE(7);
        Wire.writeLenencString(row2, "héllo");
        p.add(row2);
        p.add(Responses.okTerminator(A, 2, 0));
        Result r = collect(p, RowFormat.BINARY, MARIADB, ResultCollector.Limits.NONE);
        assertThat(r.rows()).containsExactly(Row.ofText("-42", null), Row.ofText("7", "héllo"));
    }

    @Test
    void queryResultIsAViewOfTheModel() {
        Result r = collect(select(2), RowFormat.TEXT, MARIADB, ResultCollector.Limits.NONE);
        QueryResult q = new QueryResult(r);
        assertThat(q.columns()).containsExactly("id", "name", "doc");
        assertThat(q.types()).containsExactly(FieldType.LONGLONG, FieldType.VAR_STRING, FieldType.BLOB);
        assertThat(q.rows()).containsExactly(List.of("1", "a", "{}"), Arrays.asList("2", "", null));
        assertThat(q.result()).isSameAs(r);
    }
}
