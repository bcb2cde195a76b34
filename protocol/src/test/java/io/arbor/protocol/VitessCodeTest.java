package io.arbor.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Vitess code of a MySQL server's error, as vttablet maps them, and the HTTP statuses of the codes. */
class VitessCodeTest {

    @Test
    void theCommonServerErrorsMapAsInVitess() {
        assertThat(VitessCode.forMySql(1062, "23000")).isEqualTo(VitessCode.ALREADY_EXISTS);
        assertThat(VitessCode.forMySql(1050, "42S01")).isEqualTo(VitessCode.ALREADY_EXISTS);
        assertThat(VitessCode.forMySql(1146, "42S02")).isEqualTo(VitessCode.NOT_FOUND);
        assertThat(VitessCode.forMySql(1049, "42000")).isEqualTo(VitessCode.NOT_FOUND);
        assertThat(VitessCode.forMySql(1054, "42S22")).isEqualTo(VitessCode.NOT_FOUND);
        assertThat(VitessCode.forMySql(1064, "42000")).isEqualTo(VitessCode.INVALID_ARGUMENT);
        assertThat(VitessCode.forMySql(1366, "22007")).isEqualTo(VitessCode.INVALID_ARGUMENT);
        assertThat(VitessCode.forMySql(1213, "40001")).isEqualTo(VitessCode.ABORTED);
        assertThat(VitessCode.forMySql(1205, "HY000")).isEqualTo(VitessCode.DEADLINE_EXCEEDED);
        assertThat(VitessCode.forMySql(1969, "70100")).isEqualTo(VitessCode.DEADLINE_EXCEEDED);
        assertThat(VitessCode.forMySql(3024, "HY000")).isEqualTo(VitessCode.DEADLINE_EXCEEDED);
        assertThat(VitessCode.forMySql(1317, "70100")).isEqualTo(VitessCode.CANCELED);
        assertThat(VitessCode.forMySql(1044, "42000")).isEqualTo(VitessCode.PERMISSION_DENIED);
        assertThat(VitessCode.forMySql(1045, "28000")).isEqualTo(VitessCode.PERMISSION_DENIED);
        assertThat(VitessCode.forMySql(1142, "42000")).isEqualTo(VitessCode.PERMISSION_DENIED);
        assertThat(VitessCode.forMySql(1040, "08004")).isEqualTo(VitessCode.RESOURCE_EXHAUSTED);
        assertThat(VitessCode.forMySql(1235, "42000")).isEqualTo(VitessCode.UNIMPLEMENTED);
        assertThat(VitessCode.forMySql(1451, "23000")).isEqualTo(VitessCode.FAILED_PRECONDITION);
        assertThat(VitessCode.forMySql(1452, "23000")).isEqualTo(VitessCode.FAILED_PRECONDITION);
        assertThat(VitessCode.forMySql(4025, "23000")).as("another constraint").isEqualTo(VitessCode.FAILED_PRECONDITION);
        assertThat(VitessCode.forMySql(1105, "HY000")).isEqualTo(VitessCode.UNKNOWN);
        assertThat(VitessCode.forMySql(1105, null)).isEqualTo(VitessCode.UNKNOWN);
    }

    @Test
    void eachCodeHasTheHttpStatusOfTheGrpcMappingAndAConnectName() {
        assertThat(VitessCode.INVALID_ARGUMENT.httpStatus()).isEqualTo(400);
        assertThat(VitessCode.UNAUTHENTICATED.httpStatus()).isEqualTo(401);
        assertThat(VitessCode.PERMISSION_DENIED.httpStatus()).isEqualTo(403);
        assertThat(VitessCode.NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(VitessCode.ALREADY_EXISTS.httpStatus()).isEqualTo(409);
        assertThat(VitessCode.RESOURCE_EXHAUSTED.httpStatus()).isEqualTo(429);
        assertThat(VitessCode.CANCELED.httpStatus()).isEqualTo(499);
        assertThat(VitessCode.INTERNAL.httpStatus()).isEqualTo(500);
        assertThat(VitessCode.UNIMPLEMENTED.httpStatus()).isEqualTo(501);
        assertThat(VitessCode.UNAVAILABLE.httpStatus()).isEqualTo(503);
        assertThat(VitessCode.DEADLINE_EXCEEDED.httpStatus()).isEqualTo(504);
        assertThat(VitessCode.RESOURCE_EXHAUSTED.connectName()).isEqualTo("resource_exhausted");
        for (VitessCode c : VitessCode.values()) {
            assertThat(c.category()).as("category of %s", c).isNotNull();
        }
    }
}
