package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.arbor.protocol.ResultPackets.column;
import static io.arbor.protocol.ResultPackets.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinaryRowsTest {
    private static final int U = FieldType.UNSIGNED_FLAG;
    private static final int Z = FieldType.ZEROFILL_FLAG;

    /** One value: its column type, its text form, and its binary form as MySQL's server writes it (hex). */
    private record Case(int type, int flags, long length, int decimals, String text, String binary) {}

    private static final List<Case> CASES = List.of(
            new Case(FieldType.TINY, 0, 4, 0, "-1", "ff"),
            new Case(FieldType.TINY, U, 3, 0, "255", "ff"),
            new Case(FieldType.SHORT, 0, 6, 0, "-2", "feff"),
            new Case(FieldType.SHORT, U, 5, 0, "65535", "ffff"),
            new Case(FieldType.YEAR, U | Z, 4, 0, "2024", "e807"),
            new Case(FieldType.YEAR, U | Z, 4, 0, "0000", "0000"),
            new Case(FieldType.INT24, 0, 9, 0, "-8388608", "000080ff"),
            new Case(FieldType.LONG, 0, 11, 0, "2147483647", "ffffff7f"),
            new Case(FieldType.LONG, U, 10, 0, "4294967295", "ffffffff"),
            new Case(FieldType.LONG, U | Z, 5, 0, "00042", "2a000000"),
            new Case(FieldType.LONGLONG, 0, 20, 0, "-9223372036854775808", "0000000000000080"),
            new Case(FieldType.LONGLONG, U, 20, 0, "18446744073709551615", "ffffffffffffffff"),
            new Case(FieldType.FLOAT, 0, 12, 31, "1.5", "0000c03f"),
            new Case(FieldType.FLOAT, 0, 7, 4, "3.1416", "f90f4940"),
            new Case(FieldType.DOUBLE, 0, 22, 31, "0.1", "9a9999999999b93f"),
            new Case(FieldType.DOUBLE, 0, 22, 31, "1e20", "408cb5781daf1544"),
            new Case(FieldType.DOUBLE, 0, 22, 31, "-2.5e-7", "8dedb5a0f7c690be"),
            new Case(FieldType.DOUBLE, 0, 22, 31, "-0", "0000000000000080"),
            new Case(FieldType.NEWDECIMAL, 0, 6, 2, "-12.50", "062d31322e3530"),
            new Case(FieldType.DATE, 0, 10, 0, "2024-01-31", "04e807011f"),
            new Case(FieldType.DATE, 0, 10, 0, "0000-00-00", "00"),
            new Case(FieldType.DATETIME, 0, 19, 0, "2024-01-31 12:30:05", "07e807011f0c1e05"),
            new Case(FieldType.DATETIME, 0, 26, 6, "2024-01-31 12:30:05.250000", "0be807011f0c1e0590d00300"),
            new Case(FieldType.DATETIME, 0, 23, 3, "2024-01-31 00:00:00.000", "04e807011f"),
            new Case(FieldType.DATETIME, 0, 19, 0, "0000-00-00 00:00:00", "00"),
            new Case(FieldType.TIMESTAMP, 0, 19, 0, "1970-01-01 00:00:01", "07b2070101000001"),
            new Case(FieldType.TIME, 0, 10, 0, "-838:59:59", "080122000000163b3b"),
            new Case(FieldType.TIME, 0, 10, 0, "00:00:00", "00"),
            new Case(FieldType.TIME, 0, 17, 6, "01:02:03.000004", "0c000000000001020304000000"),
            new Case(FieldType.VAR_STRING, 0, 40, 0, "héllo", "0668c3a96c6c6f"),
            new Case(FieldType.STRING, 0, 4, 0, "", "00"),
            new Case(FieldType.BLOB, FieldType.BINARY_FLAG, 65535, 0, "\u0001", "0101"),
            new Case(FieldType.JSON, 0, 0xFFFFFFFFL, 0, "{\"a\":1}", "077b2261223a317d"),
            new Case(FieldType.BIT, U, 8, 0, "\u0005", "0105"),
            new Case(FieldType.ENUM, 0, 1, 0, "a", "0161"),
            new Case(FieldType.SET, 0, 3, 0, "a,b", "03612c62"),
            new Case(FieldType.GEOMETRY, FieldType.BINARY_FLAG, 0, 0, "\u0000\u0000", "020000"));

    @Test
    void everyTypeIsWrittenAsMySqlsServerWritesItAndReadBack() {
        for (Case c : CASES) {
            List<Column> columns = List.of(column("v", c.type(), c.flags(), 63, c.length(), c.decimals()));
            ByteBuf out = Unpooled.buffer();
            BinaryRows.encode(columns, Row.ofText(c.text()), out);
            assertThat(hex(out)).as("%s", c).isEqualTo("0000" + c.binary());
            assertThat(BinaryRows.decode(out, columns)).as("%s read back", c).isEqualTo(Row.ofText(c.text()));
            assertThat(out.isReadable()).isFalse();
        }
    }

    @Test
    void allTypesInOneRowRoundTrip() {
        List<Column> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Case c : CASES) {
            columns.add(column("c" + columns.size(), c.type(), c.flags(), 63, c.length(), c.decimals()));
            values.add(columns.size() % 3 == 0 ? null : c.text());
        }
        Row row = Row.ofText(values.toArray(String[]::new));
        ByteBuf out = Unpooled.buffer();
        BinaryRows.encode(columns, row, out);
        ByteBuf again = Unpooled.buffer();
        Row read = BinaryRows.decode(out.duplicate(), columns);
        assertThat(read).isEqualTo(row);
        BinaryRows.encode(columns, read, again);
        assertThat(hex(again)).isEqualTo(hex(out));
    }

    @Test
    void theNullBitmapStartsAtBitTwo() {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            columns.add(column("c" + i, FieldType.TINY, 0, 63, 4, 0));
        }
        Row row = Row.ofText(null, "1", "2", "3", "4", null, "6", "7", "8", null);
        ByteBuf out = Unpooled.buffer();
        BinaryRows.encode(columns, row, out);
        // columns 0, 5, 9 are bits 2, 7 and 11: 0x84, 0x08; then the seven values, one byte each
        assertThat(hex(out)).isEqualTo("00" + "8408" + "01020304060708");
        assertThat(BinaryRows.bitmapLength(6)).isEqualTo(1);
        assertThat(BinaryRows.bitmapLength(7)).isEqualTo(2);
        assertThat(BinaryRows.decode(out, columns)).isEqualTo(row);
    }

    @Test
    void binaryValuesReadAsTheTextProtocolShowsThem() {
        // DATETIME(3) with microseconds from the server: three digits, as the text protocol prints them
        ByteBuf p = Unpooled.buffer().writeByte(0).writeByte(0).writeByte(11).writeShortLE(2024).writeByte(2)
                .writeByte(29).writeByte(23).writeByte(59).writeByte(58).writeIntLE(123000);
        assertThat(BinaryRows.decode(p, List.of(column("d", FieldType.DATETIME, 0, 63, 23, 3))))
                .isEqualTo(Row.ofText("2024-02-29 23:59:58.123"));
        // a TIME of more than a day, and a zero TIME(2)
        ByteBuf t = Unpooled.buffer().writeByte(0).writeByte(0).writeByte(8).writeByte(0).writeIntLE(1).writeByte(1)
                .writeByte(2).writeByte(3).writeByte(0);
        assertThat(BinaryRows.decode(t, List.of(column("t", FieldType.TIME, 0, 63, 10, 0), column("z", FieldType.TIME, 0, 63, 11, 2))))
                .isEqualTo(Row.ofText("25:02:03", "00:00:00.00"));
        assertThat(BinaryRows.real(3.14159265f, true, 31)).isEqualTo("3.1415927");
        assertThat(BinaryRows.real(123456789012345.0, false, 31)).isEqualTo("123456789012345");
        assertThat(BinaryRows.real(1e15, false, 31)).isEqualTo("1e15");
        assertThat(BinaryRows.real(0.00001, false, 31)).isEqualTo("0.00001");
        assertThat(BinaryRows.real(2.5, false, 3)).isEqualTo("2.500");
    }

    @Test
    void aValueThatIsNotOfItsTypeIsRefusedByName() {
        List<Column> columns = List.of(column("n", FieldType.LONG, 0, 63, 11, 0));
        assertThatThrownBy(() -> BinaryRows.encode(columns, Row.ofText("abc"), Unpooled.buffer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column n").hasMessageContaining("'abc'");
    }
}
