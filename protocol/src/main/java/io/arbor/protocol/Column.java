package io.arbor.protocol;

import static java.util.Objects.requireNonNull;

/**
 * One column of a decoded result: everything a MySQL column definition carries, grouped as where the
 * value comes from ({@link Origin}) and what it is ({@link Type}).
 *
 * @param name   the column's name as the statement labels it ({@code AS} alias or expression text)
 * @param origin the catalog, schema, table and column it was read from (empty for an expression)
 * @param type   its protocol type, flags, character set, display length and decimals
 */
public record Column(String name, Origin origin, Type type) {
    /** Validates. */
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(type, "type is null");
    }

    /** A column computed by Arbor itself (a merge's aggregate, say): no table behind it. */
    public static Column of(String name, Type type) {
        return new Column(name, Origin.NONE, type);
    }

    /**
     * Where a column's values come from, as the definition names it.
     *
     * @param catalog  always {@code def} on MySQL and MariaDB
     * @param schema   the database
     * @param table    the table as the statement names it (alias)
     * @param orgTable the table's real name
     * @param orgName  the column's real name
     */
    public record Origin(String catalog, String schema, String table, String orgTable, String orgName) {
        /** An expression's origin: catalog {@code def}, the rest empty. */
        public static final Origin NONE = new Origin("def", "", "", "", "");

        /** Validates: no null (the protocol has empty strings, not NULLs, here). */
        public Origin {
            requireNonNull(catalog, "catalog is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(table, "table is null");
            requireNonNull(orgTable, "orgTable is null");
            requireNonNull(orgName, "orgName is null");
        }
    }

    /**
     * What a column's values are.
     *
     * @param code     the protocol type ({@link FieldType}), as the server sent it: MariaDB sends JSON as
     *                 {@code BLOB} (252) and says JSON only in its extended metadata
     * @param flags    column flags ({@code UNSIGNED_FLAG} 32, {@code ZEROFILL_FLAG} 64, {@code BINARY_FLAG} 128...)
     * @param charset  the collation id of the values ({@code 63}: binary)
     * @param length   the display length
     * @param decimals digits after the point (DECIMAL, FLOAT, DOUBLE) or of the fraction of seconds (DATETIME,
     *                 TIMESTAMP, TIME); 31 (MySQL) or 39 (MariaDB) for "not fixed"
     * @param json     MariaDB's extended metadata gives the column the format {@code json}
     */
    public record Type(int code, int flags, int charset, long length, int decimals, boolean json) {
        /** Validates the ranges the definition's fixed fields have. */
        public Type {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("type code out of range: " + code);
            }
            if (flags < 0 || flags > 0xFFFF) {
                throw new IllegalArgumentException("flags out of range: " + flags);
            }
            if (charset < 0 || charset > 0xFFFF) {
                throw new IllegalArgumentException("charset out of range: " + charset);
            }
            if (length < 0 || length > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("length out of range: " + length);
            }
            if (decimals < 0 || decimals > 255) {
                throw new IllegalArgumentException("decimals out of range: " + decimals);
            }
        }

        /** A type with the given code and character set, no flags, length or decimals. */
        public static Type of(int code, int charset) {
            return new Type(code, 0, charset, 0, 0, false);
        }

        /** The type a MySQL 8 server would send: {@code JSON} (245) for a column MariaDB marks JSON. */
        public int mysqlCode() {
            return json ? FieldType.JSON : code;
        }

        /** Whether the {@code UNSIGNED} flag is set. */
        public boolean unsigned() {
            return (flags & FieldType.UNSIGNED_FLAG) != 0;
        }

        /** Whether the {@code ZEROFILL} flag is set (text values are padded with zeros to the display length). */
        public boolean zerofill() {
            return (flags & FieldType.ZEROFILL_FLAG) != 0;
        }
    }
}
