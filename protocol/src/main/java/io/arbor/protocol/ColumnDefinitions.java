package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Column definitions as a MySQL 8 client expects them, from a MariaDB backend that sends its extended
 * metadata ({@code MARIADB_CLIENT_EXTENDED_METADATA}).
 *
 * <p>MariaDB stores JSON as {@code LONGTEXT} and says so in its column definitions; only the extended
 * metadata's format ("json") tells a JSON column apart. A MySQL 8 server sends such a column as type
 * {@code JSON} (245), and drivers act on the type (mysql2 parses the value, Connector/J reports
 * {@code MysqlType.JSON}). So the gateway asks MariaDB for the extended metadata and rewrites each
 * definition in place: the extended field is dropped (MySQL clients do not know it), and a JSON column
 * gets type 245.
 *
 * <p>MySQL also labels JSON columns with the binary character set (63); Arbor keeps MariaDB's text
 * character set instead. MySQL's drivers decode JSON as UTF-8 whatever the label, and MariaDB
 * Connector/J would read a binary-labelled column as bytes, where it reads MariaDB's JSON as text.
 */
public final class ColumnDefinitions {
    public static final int MYSQL_TYPE_JSON = 245;
    private static final int FORMAT = 1;

    private ColumnDefinitions() {}

    /** Reads the column definition {@code p} whole; {@code extended}: it carries MariaDB's extended metadata. */
    public static Column read(ByteBuf p, boolean extended) {
        String catalog = Wire.readLenencString(p);
        String schema = Wire.readLenencString(p);
        String table = Wire.readLenencString(p);
        String orgTable = Wire.readLenencString(p);
        String name = Wire.readLenencString(p);
        String orgName = Wire.readLenencString(p);
        boolean json = false;
        if (extended) { // (kind, value) pairs; kind 1 is the format, "json" for JSON columns
            long len = Wire.readLenenc(p);
            int end = p.readerIndex() + (int) len;
            while (p.readerIndex() < end) {
                int kind = p.readUnsignedByte();
                String value = Wire.readLenencString(p);
                json |= kind == FORMAT && "json".equals(value);
            }
        }
        Wire.readLenenc(p); // length of the fixed fields
        int charset = p.readUnsignedShortLE();
        long length = p.readUnsignedIntLE();
        int type = p.readUnsignedByte();
        int flags = p.readUnsignedShortLE();
        int decimals = p.readUnsignedByte();
        return new Column(name, new Column.Origin(catalog, schema, table, orgTable, orgName),
                new Column.Type(type, flags, charset, length, decimals, json));
    }

    /**
     * Writes {@code column}'s definition in MySQL's form, as a MySQL 8 server would send it: no extended field, and
     * a column MariaDB marks JSON typed {@code JSON} (245).
     */
    public static void write(ByteBuf out, Column column) {
        Column.Origin o = column.origin();
        Column.Type t = column.type();
        Wire.writeLenencString(out, o.catalog());
        Wire.writeLenencString(out, o.schema());
        Wire.writeLenencString(out, o.table());
        Wire.writeLenencString(out, o.orgTable());
        Wire.writeLenencString(out, column.name());
        Wire.writeLenencString(out, o.orgName());
        out.writeByte(0x0c).writeShortLE(t.charset()).writeIntLE((int) t.length()).writeByte(t.mysqlCode())
                .writeShortLE(t.flags()).writeByte(t.decimals()).writeShortLE(0);
    }

    /**
     * Rewrites the column definition {@code p} (readable bytes: one definition with MariaDB's extended
     * field) into MySQL's form, in place: the bytes before the extended field move forward over it and the
     * reader index follows them. Allocates nothing.
     */
    public static void toMySql(ByteBuf p) {
        int start = p.readerIndex();
        int at = start;
        for (int i = 0; i < 6; i++) { // catalog, schema, table, org_table, name, org_name
            at = skipLenenc(p, at);
        }
        int extStart = at;
        long extLength = lenenc(p, at);
        int extValue = at + lenencSize(p, at);
        int extEnd = extValue + (int) extLength;
        boolean json = false;
        for (int i = extValue; i < extEnd; ) {
            int kind = p.getUnsignedByte(i);
            int valueAt = i + 1;
            long len = lenenc(p, valueAt);
            int dataAt = valueAt + lenencSize(p, valueAt);
            json |= kind == FORMAT && len == 4 && isJson(p, dataAt);
            i = dataAt + (int) len;
        }
        int fixed = extEnd; // 0x0c, charset(2), length(4), type(1), flags(2), decimals(1), filler(2)
        if (json) {
            p.setByte(fixed + 7, MYSQL_TYPE_JSON);
        }
        int shift = extEnd - extStart;
        for (int i = extStart - 1; i >= start; i--) {
            p.setByte(i + shift, p.getByte(i));
        }
        p.readerIndex(start + shift);
    }

    private static boolean isJson(ByteBuf p, int at) {
        return (p.getByte(at) | 0x20) == 'j' && (p.getByte(at + 1) | 0x20) == 's'
                && (p.getByte(at + 2) | 0x20) == 'o' && (p.getByte(at + 3) | 0x20) == 'n';
    }

    private static int skipLenenc(ByteBuf p, int at) {
        return at + lenencSize(p, at) + (int) lenenc(p, at);
    }

    /** The size of the length-encoded integer at {@code at}. */
    private static int lenencSize(ByteBuf p, int at) {
        int first = p.getUnsignedByte(at);
        return first < 0xFB ? 1 : first == 0xFC ? 3 : first == 0xFD ? 4 : first == 0xFE ? 9 : 1;
    }

    /** The length-encoded integer at {@code at} (0xFB, NULL, reads as 0). */
    private static long lenenc(ByteBuf p, int at) {
        int first = p.getUnsignedByte(at);
        return switch (first) {
            case 0xFB -> 0;
            case 0xFC -> p.getUnsignedShortLE(at + 1);
            case 0xFD -> p.getUnsignedMediumLE(at + 1);
            case 0xFE -> p.getLongLE(at + 1);
            default -> first;
        };
    }
}
