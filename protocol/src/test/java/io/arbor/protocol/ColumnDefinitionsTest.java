package io.arbor.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ColumnDefinitionsTest {

    /** A column definition; {@code ext} is MariaDB's extended field (its raw content), or null for MySQL's form. */
    private static ByteBuf definition(String name, byte[] ext, int charset, int type, int flags) {
        ByteBuf b = Unpooled.buffer();
        for (String s : new String[] {"def", "app", "t", "t", name, name}) {
            Wire.writeLenencString(b, s);
        }
        if (ext != null) {
            Wire.writeLenencBytes(b, ext);
        }
        b.writeByte(0x0c).writeShortLE(charset).writeIntLE(-1).writeByte(type).writeShortLE(flags).writeByte(0).writeShortLE(0);
        return b;
    }

    private static byte[] ext(int kind, String value) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(kind);
        Wire.writeLenencString(b, value);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    @Test
    void aJsonColumnBecomesMySqlsJsonType() {
        ByteBuf mariadb = definition("doc", ext(1, "json"), 224, 252, 0x10 | 0x01);
        ColumnDefinitions.toMySql(mariadb);
        assertThat(bytes(mariadb)).isEqualTo(bytes(definition("doc", null, 224, 245, 0x10 | 0x01)));
    }

    @Test
    void otherColumnsOnlyLoseTheExtendedField() {
        ByteBuf empty = definition("name", new byte[0], 224, 253, 0);
        ColumnDefinitions.toMySql(empty);
        assertThat(bytes(empty)).isEqualTo(bytes(definition("name", null, 224, 253, 0)));

        byte[] typeName = ext(0, "inet6"); // kind 0: a data type name, as for INET6 or UUID
        ByteBuf inet = definition("addr", typeName, 8, 254, 0);
        ColumnDefinitions.toMySql(inet);
        assertThat(bytes(inet)).isEqualTo(bytes(definition("addr", null, 8, 254, 0)));
    }

    @Test
    void longNamesAndBothKindsOfExtendedInformation() {
        String name = "c".repeat(300); // a two-byte length prefix
        ByteBuf ext = Unpooled.buffer().writeBytes(ext(0, "geometry")).writeBytes(ext(1, "json"));
        byte[] both = new byte[ext.readableBytes()];
        ext.readBytes(both);
        ByteBuf mariadb = definition(name, both, 45, 252, 0);
        ColumnDefinitions.toMySql(mariadb);
        ByteBuf expected = definition(name, null, 45, 245, 0);
        assertThat(bytes(mariadb)).isEqualTo(bytes(expected));
        assertThat(new String(bytes(mariadb), StandardCharsets.ISO_8859_1)).contains(name);
    }

    @Test
    void readsADefinitionWithOrWithoutTheExtendedField() {
        Column json = ColumnDefinitions.read(definition("doc", ext(1, "json"), 224, 252, 0x10), true);
        assertThat(json).isEqualTo(new Column("doc", new Column.Origin("def", "app", "t", "t", "doc"),
                new Column.Type(252, 0x10, 224, 0xFFFFFFFFL, 0, true)));
        assertThat(json.type().mysqlCode()).isEqualTo(245);
        Column plain = ColumnDefinitions.read(definition("n", null, 63, 8, 0x20), false);
        assertThat(plain.name()).isEqualTo("n");
        assertThat(plain.type().json()).isFalse();
        assertThat(plain.type().code()).isEqualTo(8);
        assertThat(plain.type().flags()).isEqualTo(0x20);
        assertThat(plain.type().unsigned()).isTrue();
    }

    @Test
    void writesMySqlsFormOfADefinition() {
        Column json = ColumnDefinitions.read(definition("doc", ext(1, "json"), 224, 252, 0x10 | 0x01), true);
        ByteBuf written = Unpooled.buffer();
        ColumnDefinitions.write(written, json);
        assertThat(bytes(written)).isEqualTo(bytes(definition("doc", null, 224, 245, 0x10 | 0x01)));
        assertThat(ColumnDefinitions.read(written, false).type().code()).isEqualTo(245);
    }
}
