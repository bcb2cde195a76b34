package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

/**
 * DATE, DATETIME, TIMESTAMP and TIME between the binary protocol's forms and the text protocol's
 * ({@code 2024-01-31}, {@code 2024-01-31 12:30:00.250}, {@code -838:59:59}).
 *
 * <p>Binary: a length byte, then for dates year (2 bytes), month, day, [hour, minute, second, [microseconds (4)]]
 * with length 0, 4, 7 or 11; for times a sign byte, days (4), hour, minute, second, [microseconds (4)] with
 * length 0, 8 or 12. Writing picks the shortest length that holds the value, as MySQL's server does. Text: the
 * fraction has the column's {@code decimals} digits (1-6), as the text protocol prints it.
 */
final class TemporalValues {
    private TemporalValues() {}

    static String readDateTime(ByteBuf p, Column.Type t) {
        int length = p.readUnsignedByte();
        if (length != 0 && length != 4 && length != 7 && length != 11) {
            throw new IllegalArgumentException("a binary date of length " + length);
        }
        int year = 0;
        int month = 0;
        int day = 0;
        int hour = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        if (length >= 4) {
            year = p.readUnsignedShortLE();
            month = p.readUnsignedByte();
            day = p.readUnsignedByte();
        }
        if (length >= 7) {
            hour = p.readUnsignedByte();
            minute = p.readUnsignedByte();
            second = p.readUnsignedByte();
        }
        if (length == 11) {
            micros = p.readUnsignedIntLE();
        }
        StringBuilder s = new StringBuilder(26);
        pad(s, year, 4).append('-');
        pad(s, month, 2).append('-');
        pad(s, day, 2);
        if (!isDate(t.code())) {
            s.append(' ');
            pad(s, hour, 2).append(':');
            pad(s, minute, 2).append(':');
            pad(s, second, 2);
            fraction(s, micros, t.decimals());
        }
        return s.toString();
    }

    static String readTime(ByteBuf p, Column.Type t) {
        int length = p.readUnsignedByte();
        if (length != 0 && length != 8 && length != 12) {
            throw new IllegalArgumentException("a binary time of length " + length);
        }
        boolean negative = false;
        long hours = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        if (length >= 8) {
            negative = p.readUnsignedByte() == 1;
            long days = p.readUnsignedIntLE();
            hours = days * 24 + p.readUnsignedByte();
            minute = p.readUnsignedByte();
            second = p.readUnsignedByte();
        }
        if (length == 12) {
            micros = p.readUnsignedIntLE();
        }
        StringBuilder s = new StringBuilder(20);
        if (negative) {
            s.append('-');
        }
        pad(s, hours, 2).append(':');
        pad(s, minute, 2).append(':');
        pad(s, second, 2);
        fraction(s, micros, t.decimals());
        return s.toString();
    }

    /** Writes the text {@code 2024-01-31[ 12:30:00[.250]]} in binary form. */
    static void writeDateTime(String text, Column.Type t, ByteBuf out) {
        String s = text.trim();
        int split = indexOfAny(s, ' ', 'T');
        String[] date = (split < 0 ? s : s.substring(0, split)).split("-", -1);
        if (date.length != 3) {
            throw new IllegalArgumentException("not a date: " + text);
        }
        int year = Integer.parseInt(date[0]);
        int month = Integer.parseInt(date[1]);
        int day = Integer.parseInt(date[2]);
        int hour = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        if (split >= 0 && !isDate(t.code())) {
            Clock c = clock(s.substring(split + 1).trim(), text);
            hour = (int) c.hours;
            minute = c.minute;
            second = c.second;
            micros = c.micros;
        }
        int length = micros != 0 ? 11 : hour != 0 || minute != 0 || second != 0 ? 7 : year != 0 || month != 0 || day != 0 ? 4 : 0;
        out.writeByte(length);
        if (length >= 4) {
            out.writeShortLE(year).writeByte(month).writeByte(day);
        }
        if (length >= 7) {
            out.writeByte(hour).writeByte(minute).writeByte(second);
        }
        if (length == 11) {
            out.writeIntLE((int) micros);
        }
    }

    /** Writes the text {@code [-]838:59:59[.5]} in binary form. */
    static void writeTime(String text, ByteBuf out) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        Clock c = clock(negative ? s.substring(1) : s, text);
        long days = c.hours / 24;
        int hour = (int) (c.hours % 24);
        int length = c.micros != 0 ? 12 : days != 0 || hour != 0 || c.minute != 0 || c.second != 0 ? 8 : 0;
        out.writeByte(length);
        if (length >= 8) {
            out.writeByte(negative ? 1 : 0).writeIntLE((int) days).writeByte(hour).writeByte(c.minute).writeByte(c.second);
        }
        if (length == 12) {
            out.writeIntLE((int) c.micros);
        }
    }

    /** The time of day (or a TIME's hours) of {@code HH:MM:SS[.ffffff]}. */
    private record Clock(long hours, int minute, int second, long micros) {}

    private static Clock clock(String s, String text) {
        int dot = s.indexOf('.');
        String[] hms = (dot < 0 ? s : s.substring(0, dot)).split(":", -1);
        if (hms.length != 3) {
            throw new IllegalArgumentException("not a time: " + text);
        }
        long micros = 0;
        if (dot >= 0) {
            String digits = s.substring(dot + 1);
            String six = digits.length() >= 6 ? digits.substring(0, 6) : digits + "0".repeat(6 - digits.length());
            micros = Long.parseLong(six);
        }
        return new Clock(Long.parseLong(hms[0]), Integer.parseInt(hms[1]), Integer.parseInt(hms[2]), micros);
    }

    private static boolean isDate(int code) {
        return code == FieldType.DATE || code == FieldType.NEWDATE;
    }

    private static void fraction(StringBuilder s, long micros, int decimals) {
        int digits = decimals >= 1 && decimals <= 6 ? decimals : micros != 0 ? 6 : 0;
        if (digits > 0) {
            StringBuilder six = new StringBuilder(6);
            pad(six, micros, 6);
            s.append('.').append(six, 0, digits);
        }
    }

    private static StringBuilder pad(StringBuilder s, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            s.append('0');
        }
        return s.append(digits);
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }
}
