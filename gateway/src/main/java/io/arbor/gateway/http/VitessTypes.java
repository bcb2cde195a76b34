package io.arbor.gateway.http;

/** MySQL column types and flags as Vitess type names (query.proto), which the PlanetScale drivers read. */
final class VitessTypes {
    static final int UNSIGNED = 32;
    static final int BINARY_COLLATION = 63;
    static final int ENUM_FLAG = 256;
    static final int SET_FLAG = 2048;

    private VitessTypes() {}

    static String name(int mysqlType, int flags, int charset) {
        boolean unsigned = (flags & UNSIGNED) != 0;
        boolean binary = charset == BINARY_COLLATION;
        return switch (mysqlType) {
            case 1 -> unsigned ? "UINT8" : "INT8";
            case 2 -> unsigned ? "UINT16" : "INT16";
            case 9 -> unsigned ? "UINT24" : "INT24";
            case 3 -> unsigned ? "UINT32" : "INT32";
            case 8 -> unsigned ? "UINT64" : "INT64";
            case 4 -> "FLOAT32";
            case 5 -> "FLOAT64";
            case 6 -> "NULL_TYPE";
            case 7 -> "TIMESTAMP";
            case 10, 14 -> "DATE";
            case 11 -> "TIME";
            case 12 -> "DATETIME";
            case 13 -> "YEAR";
            case 0, 246 -> "DECIMAL";
            case 16 -> "BIT";
            case 245 -> "JSON";
            case 247 -> "ENUM";
            case 248 -> "SET";
            case 255 -> "GEOMETRY";
            case 249, 250, 251, 252 -> binary ? "BLOB" : "TEXT";
            case 15, 253 -> (flags & ENUM_FLAG) != 0 ? "ENUM" : (flags & SET_FLAG) != 0 ? "SET" : binary ? "VARBINARY" : "VARCHAR";
            case 254 -> (flags & ENUM_FLAG) != 0 ? "ENUM" : (flags & SET_FLAG) != 0 ? "SET" : binary ? "BINARY" : "CHAR";
            default -> "VARBINARY";
        };
    }
}
