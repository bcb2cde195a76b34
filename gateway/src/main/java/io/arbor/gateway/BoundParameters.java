package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import io.arbor.tablet.PreparedText;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A COM_STMT_EXECUTE's parameters as SQL literals in the statement's text, for a sharded keyspace: there the
 * statement is planned (its vindex values read) and run as text on the shards it routes to, so its bound values
 * become literals that MariaDB reads as it reads the bound values themselves, as its own binlog writes them
 * ({@code Item_param::query_val_str}): integers in decimal, signed or not as the type's flag says; DOUBLE and FLOAT
 * (widened, as MariaDB does) as their shortest exact text ({@code 5}, {@code 0.1}, {@code 1.0E20}); DECIMAL as sent;
 * DATE / DATETIME / TIMESTAMP / TIME as typed literals ({@code TIMESTAMP'2024-01-02 03:04:05.000006'}); strings
 * quoted in the client's character set, {@code '} doubled and {@code \} escaped unless {@code NO_BACKSLASH_ESCAPES};
 * BLOB, BIT and GEOMETRY parameters as {@code CAST(X'..' AS BINARY)}, as MariaDB takes them: bytes, no character
 * set, read as a number in a numeric context (a bare {@code X'31'} would be 49 there); NULL.
 * A parameter sent as long data is the data; the types the client bound once are kept for later EXECUTEs.
 *
 * <p>A string parameter whose bytes are no valid UTF-8 under a UTF-8 client is bytes too (MySQL Connector/J binds
 * {@code byte[]} with a string type): hex, as above, which the planner's parser reads where it reads no raw bytes.
 *
 * <p>Texts here are bytes as chars (ISO-8859-1), as the gateway holds every statement. Under a client character
 * set whose multibyte characters may end in a {@code \} byte (big5, gbk, sjis) a string is written in hex instead,
 * as MariaDB does for those charsets.
 */
final class BoundParameters {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private BoundParameters() {}

    /** The text of {@code s} with the parameters of {@code payload} (an EXECUTE of it) in it; takes no ownership. */
    static String substitute(PreparedText s, ByteBuf payload, LexMode mode, boolean utf8) {
        try {
            return into(s.sql(), literals(s, payload, mode, utf8), mode);
        } catch (IndexOutOfBoundsException e) {
            throw MySqlError.ER_WRONG_ARGUMENTS.exception(e, "mysqld_stmt_execute", "the packet is shorter than its parameters");
        }
    }

    /** Each parameter of an EXECUTE payload (command byte first) as a literal, in order. */
    static List<String> literals(PreparedText s, ByteBuf payload, LexMode mode, boolean utf8) {
        int params = s.params();
        List<String> out = new ArrayList<>(params);
        if (params == 0) {
            return out;
        }
        int base = payload.readerIndex();
        int nullBitmap = base + 10;
        int at = nullBitmap + (params + 7) / 8;
        if (within(payload, at, 1).getByte(at++) == 1) {
            byte[] types = new byte[2 * params];
            within(payload, at, types.length);
            payload.getBytes(at, types);
            s.types(types);
            at += types.length;
        }
        byte[] types = s.types();
        if (types == null) {
            throw MySqlError.ER_WRONG_ARGUMENTS.exception("mysqld_stmt_execute", "parameter types were never sent");
        }
        for (int i = 0; i < params; i++) {
            int type = types[2 * i] & 0xFF;
            boolean unsigned = (types[2 * i + 1] & 0x80) != 0;
            ByteBuf longData = s.longData().get(i);
            if (longData != null) {
                out.add(bytes(type, longData, 0, longData.readableBytes(), mode, utf8));
            } else if ((payload.getByte(nullBitmap + i / 8) & (1 << (i % 8))) != 0 || type == 0x06) {
                out.add("NULL");
            } else {
                at = value(payload, at, type, unsigned, mode, utf8, out);
            }
        }
        return out;
    }

    /** Reads the value at {@code at}, adds its literal, returns where the next value starts. */
    private static int value(ByteBuf p, int at, int type, boolean unsigned, LexMode mode, boolean utf8, List<String> out) {
        int size = switch (type) {
            case 0x01 -> 1;
            case 0x02, 0x0D -> 2;
            case 0x03, 0x09, 0x04 -> 4;
            case 0x08, 0x05 -> 8;
            case 0x07, 0x0A, 0x0C, 0x0B -> 1 + within(p, at, 1).getUnsignedByte(at); // its length byte, then that many
            default -> lenencSize(within(p, at, 1), at) + (int) lenenc(within(p, at, lenencSize(p, at)), at);
        };
        within(p, at, size);
        switch (type) {
            case 0x01 -> out.add(Long.toString(unsigned ? p.getUnsignedByte(at) : p.getByte(at)));
            case 0x02, 0x0D -> out.add(Long.toString(unsigned || type == 0x0D ? p.getUnsignedShortLE(at) : p.getShortLE(at)));
            case 0x03, 0x09 -> out.add(Long.toString(unsigned ? p.getUnsignedIntLE(at) : p.getIntLE(at)));
            case 0x08 -> out.add(unsigned ? Long.toUnsignedString(p.getLongLE(at)) : Long.toString(p.getLongLE(at)));
            case 0x04 -> out.add(real(p.getFloatLE(at)));
            case 0x05 -> out.add(real(p.getDoubleLE(at)));
            case 0x07, 0x0A, 0x0C -> out.add(dateTime(p, at + 1, p.getUnsignedByte(at), type == 0x0A));
            case 0x0B -> out.add(time(p, at + 1, p.getUnsignedByte(at)));
            default -> out.add(bytes(type, p, at + lenencSize(p, at), (int) lenenc(p, at), mode, utf8));
        }
        return at + size;
    }

    /** {@code p}, once it is known to hold {@code n} bytes at {@code at} (absolute reads would read past its end). */
    private static ByteBuf within(ByteBuf p, int at, int n) {
        if (n < 0 || at + n > p.writerIndex()) {
            throw new IndexOutOfBoundsException("a parameter past the packet's end");
        }
        return p;
    }

    /** A double as MariaDB prints one ({@code 5}, {@code 0.1}, {@code 1.0E20}): the shortest text of the same value. */
    static String real(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String dateTime(ByteBuf p, int at, int length, boolean date) {
        if (length == 0) {
            return date ? "'0000-00-00'" : "'0000-00-00 00:00:00'";
        }
        int year = p.getUnsignedShortLE(at);
        int month = p.getUnsignedByte(at + 2);
        int day = p.getUnsignedByte(at + 3);
        String ymd = String.format("%04d-%02d-%02d", year, month, day);
        boolean zero = year == 0 || month == 0 || day == 0; // a zero date is no valid typed literal: as a string
        if (date) {
            return zero ? "'" + ymd + "'" : "DATE'" + ymd + "'";
        }
        String hms = length >= 7 ? String.format("%02d:%02d:%02d", p.getUnsignedByte(at + 4), p.getUnsignedByte(at + 5),
                p.getUnsignedByte(at + 6)) : "00:00:00";
        long micros = length >= 11 ? p.getUnsignedIntLE(at + 7) : 0;
        String text = ymd + " " + hms + (micros != 0 ? String.format(".%06d", micros) : "");
        return zero ? "'" + text + "'" : "TIMESTAMP'" + text + "'";
    }

    private static String time(ByteBuf p, int at, int length) {
        if (length == 0) {
            return "TIME'00:00:00'";
        }
        boolean negative = p.getByte(at) != 0;
        long hours = p.getUnsignedIntLE(at + 1) * 24 + p.getUnsignedByte(at + 5);
        String text = String.format("%s%02d:%02d:%02d", negative ? "-" : "", hours, p.getUnsignedByte(at + 6), p.getUnsignedByte(at + 7));
        long micros = length >= 12 ? p.getUnsignedIntLE(at + 8) : 0;
        return "TIME'" + text + (micros != 0 ? String.format(".%06d", micros) : "") + "'";
    }

    /** A length-encoded or long-data value of {@code type}: a number, a string, or bytes. */
    private static String bytes(int type, ByteBuf p, int from, int length, LexMode mode, boolean utf8) {
        String text = p.toString(from, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        // bytes sent as a string that no UTF-8 client could mean as text (MySQL Connector/J binds byte[] so): bytes
        boolean binary = type >= 0xF9 && type <= 0xFC || type == 0xFF || type == 0x10 || utf8 && !validUtf8(p, from, length);
        if ((type == 0x00 || type == 0xF6) && DECIMAL.matcher(text).matches()) {
            return text;
        }
        return binary ? "CAST(" + hex(text) + " AS BINARY)" : quoted(text, mode);
    }

    private static boolean validUtf8(ByteBuf p, int from, int length) {
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        try {
            d.decode(p.nioBuffer(from, length));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** {@code X'..'}: any bytes, read by no character set (the planner's parser takes no {@code _binary'..'}). */
    private static String hex(String text) {
        StringBuilder hex = new StringBuilder(text.length() * 2 + 3).append("X'");
        for (int i = 0; i < text.length(); i++) {
            hex.append(Character.forDigit(text.charAt(i) >> 4 & 0xF, 16)).append(Character.forDigit(text.charAt(i) & 0xF, 16));
        }
        return hex.append('\'').toString();
    }

    /** {@code text} (bytes as chars) quoted as MariaDB reads it back byte for byte. */
    static String quoted(String text, LexMode mode) {
        if (mode.backslashEscapes() && mode.multibyte() != LexMode.Multibyte.NONE) {
            return hex(text);
        }
        StringBuilder b = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                b.append("''");
            } else if (c == '\\' && mode.backslashEscapes()) {
                b.append("\\\\");
            } else if (c == 0 && mode.backslashEscapes()) {
                b.append("\\0");
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /** {@code sql} with its {@code ?} placeholders replaced by {@code literals}, in order. */
    static String into(String sql, List<String> literals, LexMode mode) {
        StringBuilder out = new StringBuilder(sql.length() + 16 * literals.size());
        SqlLexer lexer = new SqlLexer(sql, mode);
        int copied = 0;
        int next = 0;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.PLACEHOLDER) {
                if (next == literals.size()) {
                    throw MySqlError.ER_WRONG_ARGUMENTS.exception("mysqld_stmt_execute", "more placeholders than parameters");
                }
                out.append(sql, copied, lexer.start()).append(literals.get(next++));
                copied = lexer.end();
            }
        }
        if (next != literals.size()) {
            throw MySqlError.ER_WRONG_ARGUMENTS.exception("mysqld_stmt_execute", "fewer placeholders than parameters");
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    private static long lenenc(ByteBuf p, int at) {
        int first = p.getUnsignedByte(at);
        return switch (first) {
            case 0xFC -> p.getUnsignedShortLE(at + 1);
            case 0xFD -> p.getUnsignedMediumLE(at + 1);
            case 0xFE -> p.getLongLE(at + 1);
            default -> first;
        };
    }

    private static int lenencSize(ByteBuf p, int at) {
        return switch (p.getUnsignedByte(at)) {
            case 0xFC -> 3;
            case 0xFD -> 4;
            case 0xFE -> 9;
            default -> 1;
        };
    }
}
