package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.VitessCode;
import io.arbor.sql.Feature;
import io.arbor.sql.GuardRailViolation;
import io.arbor.sql.LexMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The errors the gateway's inspection answers with: MySQL's numbers, Arbor's entries, the guard rails' messages. */
class QueryInspectorErrorsTest {

    @Test
    void aRefusalHasItsFeaturesNumberAndTheGuardRailsMessage() {
        for (Feature f : Feature.values()) {
            GuardRailViolation v = GuardRailViolation.of(f);
            MySqlException e = QueryInspector.refusal(v);
            assertThat(e.code()).as("errno for %s", f).isEqualTo(f.errorCode());
            assertThat(e.sqlState()).as("SQLSTATE for %s", f).isEqualTo(f.sqlState());
            assertThat(e.getMessage()).as("message for %s", f).isEqualTo(v.message());
            assertThat(e.category()).as("category for %s", f).isEqualTo(MySqlError.Category.USER);
        }
        assertThat(QueryInspector.refusal(GuardRailViolation.of(Feature.FOREIGN_KEY)).vitessCode())
                .isEqualTo(VitessCode.UNIMPLEMENTED);
        assertThat(QueryInspector.refusal(GuardRailViolation.of(Feature.ACCOUNT_MANAGEMENT)).vitessCode())
                .isEqualTo(VitessCode.PERMISSION_DENIED);
    }

    @Test
    void setGlobalAndAStatementTimeOverTheCapAreRefusedWithTheirOwnEntries() {
        assertThatThrownBy(() -> QueryInspector.inspect("SET GLOBAL max_connections = 10", LexMode.DEFAULT, false,
                Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(MySqlException.class, e -> {
                    assertThat(e.error()).isEqualTo(MySqlError.ER_GLOBAL_VARIABLE_REFUSED);
                    assertThat(e.code()).isEqualTo(1227);
                });
        assertThatThrownBy(() -> QueryInspector.inspect("SET STATEMENT max_statement_time = 99 FOR SELECT 1",
                LexMode.DEFAULT, false, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(MySqlException.class, e -> {
                    assertThat(e.error()).isEqualTo(MySqlError.ER_STATEMENT_TIME_ABOVE_CAP);
                    assertThat(e.code()).isEqualTo(1231);
                    assertThat(e.getMessage()).contains("'99.0'").contains("30.000 s");
                });
    }
}
