package io.arbor.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.arbor.protocol.Packet;
import io.arbor.protocol.Result;
import io.arbor.protocol.ResultCollector;
import io.arbor.protocol.RowFormat;
import io.arbor.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Execute response's JSON, byte for byte: the expected texts were written by the API's previous collector and
 * writer (before the one result model), so a change of the model cannot change what drivers read.
 */
class ResultWriterTest {
    static ByteBuf ok(long affected, long insertId, int status) {
        ByteBuf b = Unpooled.buffer().writeByte(0);
        Wire.writeLenenc(b, affected);
        Wire.writeLenenc(b, insertId);
        return b.writeShortLE(status).writeShortLE(0);
    }
    static ByteBuf terminator(int status) {
        return Unpooled.buffer().writeByte(0xFE).writeByte(0).writeByte(0).writeShortLE(status).writeShortLE(0);
    }
    static ByteBuf count(int n) {
        ByteBuf b = Unpooled.buffer();
        Wire.writeLenenc(b, n);
        return b;
    }
    static ByteBuf def(String name, String format, int charset, long length, int type, int flags, int decimals) {
        ByteBuf b = Unpooled.buffer();
        for (String s : new String[] {"def", "app", "t", "t_org", name, name + "_org"}) {
            Wire.writeLenencString(b, s);
        }
        ByteBuf ext = Unpooled.buffer();
        if (format != null) {
            ext.writeByte(1);
            Wire.writeLenencString(ext, format);
        }
        Wire.writeLenenc(b, ext.readableBytes());
        b.writeBytes(ext);
        b.writeByte(0x0c).writeShortLE(charset).writeIntLE((int) length).writeByte(type).writeShortLE(flags).writeByte(decimals).writeShortLE(0);
        return b;
    }
    static ByteBuf row(String... values) {
        ByteBuf b = Unpooled.buffer();
        for (String v : values) {
            if (v == null) {
                b.writeByte(0xFB);
            } else {
                Wire.writeLenencString(b, v);
            }
        }
        return b;
    }
    static ByteBuf err(int code, String state, String msg) {
        ByteBuf b = Unpooled.buffer().writeByte(0xFF).writeShortLE(code).writeByte('#');
        b.writeBytes(state.getBytes(StandardCharsets.US_ASCII));
        return b.writeBytes(msg.getBytes(StandardCharsets.UTF_8));
    }

    static List<ByteBuf> select(int status) {
        List<ByteBuf> p = new ArrayList<>();
        p.add(count(6));
        p.add(def("id", null, 63, 20, 8, 0x20 | 0x01 | 0x02, 0));
        p.add(def("name", null, 224, 400, 253, 0, 0));
        p.add(def("doc", "json", 224, 0xFFFFFFFFL, 252, 0x10, 0));
        p.add(def("data", null, 63, 65535, 252, 0x10 | 0x80, 0));
        p.add(def("price", null, 63, 12, 246, 0, 2));
        p.add(def("kind", null, 224, 4, 254, 0x100, 0));
        p.add(row("18446744073709551615", "héllo", "{\"a\": [1, 2]}", "\u0001\u0002", "12.50", "x"));
        p.add(row("2", "", null, null, "-0.01", null));
        p.add(row(null, null, null, null, null, null));
        p.add(terminator(0x22));
        return p;
    }

    static String run(List<ByteBuf> packets, long maxRows, long maxBytes) throws Exception {
        ResultCollector c = new ResultCollector(RowFormat.TEXT, new ResultCollector.Framing(true, true),
                new ResultCollector.Limits(maxRows, maxBytes));
        int seq = 1;
        for (ByteBuf b : packets) {
            if (c.onPacket(new Packet(seq++, b))) {
                break;
            }
        }
        Result r = c.result().get();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            ResultWriter.write(g, r, 0.25, s -> {
                s.writeStartObject();
                s.writeStringField("arbor", "token");
                s.writeEndObject();
            });
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anOk() throws Exception {
        assertThat(run(List.of(ok(3, 7, 2)), 0, 1 << 20)).isEqualTo("{\"session\":{\"arbor\":\"token\"},\"result\":{\"rowsAffected\":\"3\",\"insertId\":\"7\"},\"timing\":0.25}");
    }

    @Test
    void aResultSetOfEveryKindOfField() throws Exception {
        assertThat(run(select(0x22), 0, 1 << 20)).isEqualTo("{\"session\":{\"arbor\":\"token\"},\"result\":{\"fields\":[{\"name\":\"id\",\"type\":\"UINT64\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"id_org\",\"columnLength\":20,\"charset\":63,\"flags\":35},{\"name\":\"name\",\"type\":\"VARCHAR\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"name_org\",\"columnLength\":400,\"charset\":224},{\"name\":\"doc\",\"type\":\"JSON\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"doc_org\",\"columnLength\":4294967295,\"charset\":224,\"flags\":16},{\"name\":\"data\",\"type\":\"BLOB\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"data_org\",\"columnLength\":65535,\"charset\":63,\"flags\":144},{\"name\":\"price\",\"type\":\"DECIMAL\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"price_org\",\"columnLength\":12,\"charset\":63,\"decimals\":2},{\"name\":\"kind\",\"type\":\"ENUM\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"kind_org\",\"columnLength\":4,\"charset\":224,\"flags\":256}],\"rows\":[{\"lengths\":[\"20\",\"6\",\"13\",\"2\",\"5\",\"1\"],\"values\":\"MTg0NDY3NDQwNzM3MDk1NTE2MTVow6lsbG97ImEiOiBbMSwgMl19AQIxMi41MHg=\"},{\"lengths\":[\"1\",\"0\",\"-1\",\"-1\",\"5\",\"-1\"],\"values\":\"Mi0wLjAx\"},{\"lengths\":[\"-1\",\"-1\",\"-1\",\"-1\",\"-1\",\"-1\"]}]},\"timing\":0.25}");
    }

    @Test
    void anError() throws Exception {
        assertThat(run(List.of(err(1146, "42S02", "Table 'app.nope' doesn't exist")), 0, 1 << 20)).isEqualTo("{\"session\":{\"arbor\":\"token\"},\"error\":{\"message\":\"Table 'app.nope' doesn't exist (errno 1146) (sqlstate 42S02)\",\"code\":\"NOT_FOUND\"},\"timing\":0.25}");
    }

    @Test
    void severalResultsKeepTheFirstSetWithTheCountsOfAll() throws Exception {
        List<ByteBuf> multi = new ArrayList<>();
        multi.add(ok(1, 5, 0x0A));
        multi.addAll(select(0x0A));
        multi.set(multi.size() - 1, terminator(0x0A));
        multi.add(ok(2, 0, 0x02));
        assertThat(run(multi, 0, 1 << 20)).isEqualTo("{\"session\":{\"arbor\":\"token\"},\"result\":{\"rowsAffected\":\"2\",\"insertId\":\"5\",\"fields\":[{\"name\":\"id\",\"type\":\"UINT64\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"id_org\",\"columnLength\":20,\"charset\":63,\"flags\":35},{\"name\":\"name\",\"type\":\"VARCHAR\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"name_org\",\"columnLength\":400,\"charset\":224},{\"name\":\"doc\",\"type\":\"JSON\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"doc_org\",\"columnLength\":4294967295,\"charset\":224,\"flags\":16},{\"name\":\"data\",\"type\":\"BLOB\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"data_org\",\"columnLength\":65535,\"charset\":63,\"flags\":144},{\"name\":\"price\",\"type\":\"DECIMAL\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"price_org\",\"columnLength\":12,\"charset\":63,\"decimals\":2},{\"name\":\"kind\",\"type\":\"ENUM\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"kind_org\",\"columnLength\":4,\"charset\":224,\"flags\":256}],\"rows\":[{\"lengths\":[\"20\",\"6\",\"13\",\"2\",\"5\",\"1\"],\"values\":\"MTg0NDY3NDQwNzM3MDk1NTE2MTVow6lsbG97ImEiOiBbMSwgMl19AQIxMi41MHg=\"},{\"lengths\":[\"1\",\"0\",\"-1\",\"-1\",\"5\",\"-1\"],\"values\":\"Mi0wLjAx\"},{\"lengths\":[\"-1\",\"-1\",\"-1\",\"-1\",\"-1\",\"-1\"]}]},\"timing\":0.25}");
    }

    @Test
    void theRowAndByteLimits() throws Exception {
        assertThat(run(select(2), 2, 1 << 20)).isEqualTo("{\"session\":{\"arbor\":\"token\"},\"error\":{\"message\":\"Arbor: the result has more than 2 rows (the gateway's row limit); add a LIMIT or a narrower WHERE, or raise the limit (--max-rows) (errno 1105) (sqlstate HY000)\",\"code\":\"RESOURCE_EXHAUSTED\"},\"timing\":0.25}");
        assertThat(run(select(2), 0, 20)).isEqualTo("{\"session\":{\"arbor\":\"token\"},\"error\":{\"message\":\"Arbor: the result is larger than 20 bytes, the HTTP API's limit; select fewer rows or columns (errno 1105) (sqlstate HY000)\",\"code\":\"RESOURCE_EXHAUSTED\"},\"timing\":0.25}");
    }

    @Test
    void anEmptyResultSet() throws Exception {
        assertThat(run(List.of(count(1), def("x", null, 224, 10, 253, 0, 0), terminator(2)), 0, 1 << 20)).isEqualTo("{\"session\":{\"arbor\":\"token\"},\"result\":{\"fields\":[{\"name\":\"x\",\"type\":\"VARCHAR\",\"table\":\"t\",\"orgTable\":\"t_org\",\"database\":\"app\",\"orgName\":\"x_org\",\"columnLength\":10,\"charset\":224}]},\"timing\":0.25}");
    }

    @Test
    void anErrorAfterAResultSet() throws Exception {
        List<ByteBuf> multiErr = new ArrayList<>(select(0x0A));
        multiErr.set(multiErr.size() - 1, terminator(0x0A));
        multiErr.add(err(1064, "42000", "You have an error"));
        assertThat(run(multiErr, 0, 1 << 20)).isEqualTo("{\"session\":{\"arbor\":\"token\"},\"error\":{\"message\":\"You have an error (errno 1064) (sqlstate 42000)\",\"code\":\"INVALID_ARGUMENT\"},\"timing\":0.25}");
    }
}
