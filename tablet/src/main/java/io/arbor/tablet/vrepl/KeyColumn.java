package io.arbor.tablet.vrepl;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One column of the key a row stream copies and applies by. A key value travels as canonical text (what
 * {@code information_schema} would print; hex for binary strings), so a value read from a row with JDBC, one decoded
 * from a binlog row image and one persisted as the stream's last copied key compare and bind alike.
 *
 * @param name     the column's name
 * @param ordinal  its position in the table, from 0 (its place in a binlog row image)
 * @param kind     how its values are carried
 * @param unsigned an unsigned integer (the binlog gives it signed)
 * @param bytes    an integer's width in bytes
 * @param charset  a character string's charset
 */
public record KeyColumn(String name, int ordinal, Kind kind, boolean unsigned, int bytes, Charset charset) {
    /** The key column types the row stream carries. */
    public enum Kind { INTEGER, DECIMAL, STRING, BINARY }

    /** Checks. */
    public KeyColumn {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
    }

    /**
     * The column as {@code information_schema.COLUMNS} describes it; throws {@link IllegalArgumentException} naming
     * the type when the row stream cannot key by it (temporal and floating-point keys).
     */
    public static KeyColumn of(String name, int ordinal, String dataType, String columnType, String charset) {
        String t = dataType.toLowerCase(Locale.ROOT);
        boolean unsigned = columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        return switch (t) {
            case "tinyint" -> new KeyColumn(name, ordinal, Kind.INTEGER, unsigned, 1, null);
            case "smallint" -> new KeyColumn(name, ordinal, Kind.INTEGER, unsigned, 2, null);
            case "mediumint" -> new KeyColumn(name, ordinal, Kind.INTEGER, unsigned, 3, null);
            case "int", "integer" -> new KeyColumn(name, ordinal, Kind.INTEGER, unsigned, 4, null);
            case "bigint" -> new KeyColumn(name, ordinal, Kind.INTEGER, unsigned, 8, null);
            case "decimal" -> new KeyColumn(name, ordinal, Kind.DECIMAL, false, 0, null);
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" ->
                    new KeyColumn(name, ordinal, Kind.STRING, false, 0, javaCharset(charset));
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    new KeyColumn(name, ordinal, Kind.BINARY, false, 0, null);
            default -> throw new IllegalArgumentException("key column `" + name + "` is of type " + columnType
                    + ", which the row stream cannot key by yet (integer, decimal and string keys can)");
        };
    }

    private static Charset javaCharset(String mysql) {
        if (mysql == null) {
            return StandardCharsets.UTF_8;
        }
        return switch (mysql.toLowerCase(Locale.ROOT)) {
            case "latin1" -> Charset.forName("windows-1252");
            case "ascii" -> StandardCharsets.US_ASCII;
            case "ucs2", "utf16" -> StandardCharsets.UTF_16BE;
            case "utf16le" -> StandardCharsets.UTF_16LE;
            case "utf32" -> Charset.forName("UTF-32BE");
            default -> StandardCharsets.UTF_8;
        };
    }

    /** A value from a binlog row image, as canonical text (null for SQL NULL). */
    public String fromBinlog(Serializable v) {
        if (v == null) {
            return null;
        }
        return switch (kind) {
            case INTEGER -> {
                long n = ((Number) v).longValue();
                if (unsigned && n < 0) {
                    yield bytes == 8 ? new BigInteger(Long.toUnsignedString(n)).toString()
                            : Long.toString(n + (1L << (8 * bytes)));
                }
                yield Long.toString(n);
            }
            case DECIMAL -> ((BigDecimal) v).toPlainString();
            case STRING -> v instanceof byte[] b ? new String(b, charset) : v.toString();
            case BINARY -> HexFormat.of().formatHex(v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.ISO_8859_1));
        };
    }

    /** A value read with JDBC ({@code getObject}), as canonical text. */
    public String fromJdbc(java.sql.ResultSet rs, int column) throws SQLException {
        if (kind == Kind.BINARY) {
            byte[] b = rs.getBytes(column);
            return b == null ? null : HexFormat.of().formatHex(b);
        }
        if (kind == Kind.DECIMAL) {
            BigDecimal d = rs.getBigDecimal(column);
            return d == null ? null : d.toPlainString();
        }
        return rs.getString(column);
    }

    /** Binds a canonical value as a parameter that compares with the column exactly (and can use its index). */
    public void bind(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.NULL);
            return;
        }
        switch (kind) {
            case INTEGER -> ps.setBigDecimal(index, new BigDecimal(value));
            case DECIMAL -> ps.setBigDecimal(index, new BigDecimal(value));
            case STRING -> ps.setString(index, value);
            case BINARY -> ps.setBytes(index, HexFormat.of().parseHex(value));
        }
    }
}
