package io.arbor.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Arbor's error model: every entry classified, Arbor's own 1105s distinct, causes kept, no internals in messages. */
class MySqlErrorTest {

    @Test
    void everyEntryHasACategoryAVitessCodeAndAMysqlNumber() {
        for (MySqlError e : MySqlError.values()) {
            assertThat(e.category()).as("category of %s", e).isNotNull();
            assertThat(e.vitessCode()).as("Vitess code of %s", e).isNotNull();
            assertThat(e.code()).as("errno of %s", e).isBetween(1000, 4999);
            assertThat(e.sqlState()).as("SQLSTATE of %s", e).matches("[0-9A-Z]{5}");
            assertThat(e.template()).as("template of %s", e).isNotBlank();
        }
    }

    @Test
    void arborsOwn1105sAreEachOneConditionWithAMessageThatSaysWhatToDo() {
        List<MySqlError> unknown = Arrays.stream(MySqlError.values()).filter(e -> e.code() == 1105).toList();
        assertThat(unknown).hasSizeGreaterThan(5);
        Map<String, MySqlError> byTemplate = new HashMap<>();
        for (MySqlError e : unknown) {
            assertThat(e.sqlState()).as("SQLSTATE of %s", e).isEqualTo("HY000");
            assertThat(e.template()).as("message of %s", e).startsWith("Arbor: ").isNotEqualTo("Arbor: %s");
            assertThat(e.template()).as("message of %s says what to do", e)
                    .containsAnyOf("retry", "Retry", "start it again", "start the transaction again", "send one",
                            "select fewer", "add a LIMIT");
            MySqlError same = byTemplate.put(e.template(), e);
            assertThat(same).as("%s and %s share a message", same, e).isNull();
        }
    }

    @Test
    void entriesNamedAfterTheirNumberAreTheOnlyOnesOfIt() {
        // No catch-all: 1105 has no "%s" entry through which any text could pass as Arbor's error.
        assertThat(Arrays.stream(MySqlError.values()).map(Enum::name)).doesNotContain("ER_UNKNOWN");
        assertThat(Arrays.stream(MySqlError.values()).filter(e -> e.code() == 1105).map(MySqlError::template))
                .noneMatch(t -> t.equals("%s"));
    }

    @Test
    void anEntrysExceptionCarriesItsNumberStateCodeAndCause() {
        IOException cause = new IOException("Connection reset by peer");
        MySqlException e = MySqlError.ER_BACKEND_UNAVAILABLE.exception(cause, MySqlException.reason(cause));
        assertThat(e.code()).isEqualTo(2013);
        assertThat(e.sqlState()).isEqualTo("HY000");
        assertThat(e.getMessage()).isEqualTo("Lost connection to the database server: Connection reset by peer");
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.error()).isEqualTo(MySqlError.ER_BACKEND_UNAVAILABLE);
        assertThat(e.category()).isEqualTo(MySqlError.Category.INTERNAL);
        assertThat(e.vitessCode()).isEqualTo(VitessCode.UNAVAILABLE);
        assertThat(MySqlError.ER_TOO_MANY_ROWS.exception(10).vitessCode()).isEqualTo(VitessCode.RESOURCE_EXHAUSTED);
    }

    @Test
    void messagesAreFormattedInTheRootLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(MySqlError.ER_STATEMENT_TIME_ABOVE_CAP.exception(3.5, 2.0).getMessage())
                    .contains("'3.5'").contains("2.000 s");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void aServersErrorIsRelayedAsItCameAndMappedByItsNumber() {
        MySqlException e = MySqlException.fromServer(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'");
        assertThat(e.error()).isNull();
        assertThat(e.vitessCode()).isEqualTo(VitessCode.ALREADY_EXISTS);
        assertThat(e.category()).isEqualTo(MySqlError.Category.USER);
        assertThat(e.toString()).isEqualTo("ERROR 1062 (23000): Duplicate entry '1' for key 'PRIMARY'");
    }

    @Test
    void aFailureThatIsNotAMySqlExceptionBecomesAnInternalErrorWithoutJavasWords() {
        NullPointerException npe = new NullPointerException("Cannot invoke \"io.arbor.tablet.PooledConnection.backend()\"");
        MySqlException e = MySqlException.of(new CompletionException(npe));
        assertThat(e.error()).isEqualTo(MySqlError.ER_INTERNAL);
        assertThat(e.code()).isEqualTo(1105);
        assertThat(e.getCause()).isSameAs(npe);
        assertThat(e.getMessage()).startsWith("Arbor: internal error (unexpected failure; reference ")
                .doesNotContain("NullPointer", "io.arbor", "null\"", "\tat ");
        assertThat(e.vitessCode()).isEqualTo(VitessCode.INTERNAL);

        MySqlException bare = MySqlException.of(new IllegalStateException());
        assertThat(bare.getMessage()).contains("unexpected failure").doesNotContain("IllegalState");
        MySqlException io = MySqlException.of(new ExecutionException(new IOException("disk full")));
        assertThat(io.getMessage()).contains("(disk full; reference ");
    }

    @Test
    void aMySqlExceptionIsReportedAsItIsWhereverItWasWrapped() {
        MySqlException e = MySqlError.ER_CON_COUNT.exception();
        assertThat(MySqlException.of(e)).isSameAs(e);
        assertThat(MySqlException.of(new CompletionException(new ExecutionException(e)))).isSameAs(e);
    }

    @Test
    void theReasonOfAFailureIsItsMessageUnlessTheJvmWroteIt() {
        assertThat(MySqlException.reason(new IOException("backend connection to x closed"))).isEqualTo("backend connection to x closed");
        assertThat(MySqlException.reason(new IOException())).isEqualTo("unexpected failure");
        assertThat(MySqlException.reason(new RuntimeException("null"))).isEqualTo("unexpected failure");
        assertThat(MySqlException.reason(new ClassCastException("class a.B cannot be cast to class c.D"))).isEqualTo("unexpected failure");
        assertThat(MySqlException.reason(new IOException("line\nforged"))).isEqualTo("line\\nforged");
        assertThat(MySqlException.reason(null)).isEqualTo("unexpected failure");
    }
}
