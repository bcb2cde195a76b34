package io.arbor.protocol;

/**
 * Vitess's RPC error codes ({@code vtrpc.Code}, as vtgate's {@code vterrors} use them): what the HTTP API reports as an
 * error's {@code code} (upper case in an Execute answer, lower case in a Connect error body), with the HTTP status of
 * the canonical gRPC mapping. Arbor's own errors name theirs in {@link MySqlError}; an error a MySQL server sent is
 * mapped by its number ({@link #forMySql}), as vttablet does.
 */
public enum VitessCode {
    CANCELED(499),
    UNKNOWN(500),
    INVALID_ARGUMENT(400),
    DEADLINE_EXCEEDED(504),
    NOT_FOUND(404),
    ALREADY_EXISTS(409),
    PERMISSION_DENIED(403),
    RESOURCE_EXHAUSTED(429),
    FAILED_PRECONDITION(400),
    ABORTED(409),
    UNIMPLEMENTED(501),
    INTERNAL(500),
    UNAVAILABLE(503),
    UNAUTHENTICATED(401);

    private final int httpStatus;

    VitessCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status an API error of this code answers with (the gRPC-to-HTTP mapping Connect uses too). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The name in a Connect error body: {@code invalid_argument}. */
    public String connectName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The category of an error of this code whose source gave none (a server's error). */
    public MySqlError.Category category() {
        return switch (this) {
            case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, FAILED_PRECONDITION, UNIMPLEMENTED,
                 UNAUTHENTICATED, CANCELED -> MySqlError.Category.USER;
            case RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, ABORTED -> MySqlError.Category.RESOURCE;
            case UNKNOWN, INTERNAL, UNAVAILABLE -> MySqlError.Category.INTERNAL;
        };
    }

    /**
     * The code of an error a MySQL server answered with: vttablet's table ({@code tabletserver.convertErrorCode}) for
     * the numbers it lists, and where Arbor differs, the more telling code: an unknown database or table (1049, 1051)
     * is NOT_FOUND as much as a missing table is, table and column privileges (1142, 1143) are PERMISSION_DENIED, a
     * missing routine or trigger (1305, 1360) NOT_FOUND, a statement killed (1317) CANCELED and one past its time
     * limit (MySQL's 3024, MariaDB's 1969) DEADLINE_EXCEEDED; another constraint violation (SQLSTATE class 23) is
     * FAILED_PRECONDITION. Anything else is UNKNOWN, as in Vitess.
     */
    public static VitessCode forMySql(int errno, String sqlState) {
        return switch (errno) {
            case 1235, 1295 -> UNIMPLEMENTED;
            case 1021, 1037, 1038, 1040, 1041, 1114, 1129, 1135, 1151, 1153, 1203, 1206, 1226 -> RESOURCE_EXHAUSTED;
            case 1205, 1969, 3024 -> DEADLINE_EXCEEDED;
            case 1317 -> CANCELED;
            case 1053, 2006, 2013, 3168 -> UNAVAILABLE;
            case 1017, 1029, 1032, 1049, 1051, 1054, 1094, 1109, 1122, 1141, 1146, 1147, 1176, 1305, 1360 -> NOT_FOUND;
            case 1044, 1045, 1095, 1142, 1143, 1211, 1227 -> PERMISSION_DENIED;
            case 1046, 1082, 1091, 1099, 1100, 1104, 1148, 1162, 1165, 1169, 1173, 1179, 1207, 1215, 1216, 1217, 1223,
                 1230, 1241, 1242, 1288, 1289, 1290, 1291, 1451, 1452, 1792 -> FAILED_PRECONDITION;
            case 1007, 1022, 1050, 1062, 1086, 1125 -> ALREADY_EXISTS;
            case 1078, 1080, 1152, 1213 -> ABORTED;
            case 1047, 1048, 1052, 1055, 1056, 1057, 1058, 1059, 1060, 1061, 1063, 1064, 1065, 1066, 1067, 1068, 1069,
                 1070, 1071, 1072, 1073, 1074, 1075, 1083, 1084, 1085, 1089, 1090, 1093, 1096, 1097, 1101, 1102, 1103,
                 1106, 1107, 1108, 1110, 1111, 1113, 1115, 1116, 1117, 1118, 1120, 1121, 1128, 1136, 1138, 1139, 1140,
                 1144, 1149, 1166, 1167, 1170, 1171, 1172, 1193, 1204, 1210, 1221, 1222, 1225, 1228, 1229, 1231, 1232,
                 1233, 1234, 1238, 1239, 1240, 1245, 1247, 1248, 1250, 1253, 1264, 1267, 1270, 1271, 1272, 1273, 1280,
                 1281, 1283, 1292, 1293, 1294, 1298, 1300, 1364, 1366, 1406, 1690 -> INVALID_ARGUMENT;
            default -> sqlState != null && sqlState.startsWith("23") ? FAILED_PRECONDITION : UNKNOWN;
        };
    }
}
