package io.arbor.gateway;

import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.PacketText;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.Diagnostics;
import io.arbor.sql.Feature;
import io.arbor.sql.GuardRailViolation;
import io.arbor.sql.LexMode;
import io.arbor.sql.ProcessList;
import io.arbor.sql.QueryRewriter;
import io.arbor.sql.StatementAnalyzer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Looks at a COM_QUERY or COM_STMT_PREPARE (or an HTTP API statement) before it goes to a tablet: reads the whole
 * text once with the session's {@link LexMode} ({@link StatementAnalyzer}), refuses what Arbor does not run
 * (guard rails, LOAD DATA LOCAL, a statement time over the cap, SET GLOBAL), and adapts the text (MySQL 8
 * spellings MariaDB lacks, the client's own identity, hidden server paths, the client's own process list). The
 * text is the statement's bytes read as ISO-8859-1, which maps bytes 1:1, so a rewrite never changes the
 * client's characters whatever its charset, and multibyte characters are seen byte by byte as the server sees them.
 */
final class QueryInspector {
    private QueryInspector() {}

    /** The text of a COM_QUERY or COM_STMT_PREPARE payload (after its command byte); a view when large. */
    static CharSequence text(ByteBuf payload) {
        return PacketText.of(payload, payload.readerIndex() + 1, payload.readableBytes() - 1);
    }

    /** A text that arrived as Java chars (the HTTP API), as the bytes it is sent as: UTF-8. */
    static String bytesOf(String sql) {
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) >= 0x80) {
                return new String(sql.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return sql;
    }

    /**
     * Analyzes a text and refuses what must not run; throws a {@link MySqlException} with MySQL's error number.
     *
     * @param localInfile  LOAD DATA LOCAL is relayed (else refused with 1148)
     * @param queryTimeout the gateway's cap on statement time (zero: none): a SET STATEMENT may lower it, not lift it
     */
    static AnalyzedStatement inspect(CharSequence sql, LexMode mode, boolean localInfile, Duration queryTimeout) {
        AnalyzedStatement a = StatementAnalyzer.analyze(sql, mode);
        if (a.violation() != null) {
            throw refusal(a.violation());
        }
        if (a.limits().loadDataLocal() && !localInfile) {
            throw refusal(GuardRailViolation.of(Feature.LOCAL_INFILE));
        }
        Double seconds = a.limits().statementTimeout();
        if (seconds != null && !queryTimeout.isZero()) {
            double cap = queryTimeout.toMillis() / 1000.0;
            if (seconds.isNaN() || seconds <= 0 || seconds > cap) {
                throw MySqlError.ER_STATEMENT_TIME_ABOVE_CAP.exception(seconds.isNaN() ? "(an expression)" : seconds, cap);
            }
        }
        if (a.effects().global()) {
            throw MySqlError.ER_GLOBAL_VARIABLE_REFUSED.exception();
        }
        return a;
    }

    /** The error a refused text gets: MySQL's number for its feature ({@link Feature#errorCode()}), SQLSTATE 42000. */
    static MySqlException refusal(GuardRailViolation v) {
        MySqlError error = switch (v.feature().errorCode()) {
            case 1227 -> MySqlError.ER_SPECIFIC_ACCESS_DENIED;
            case 1148 -> MySqlError.ER_NOT_ALLOWED_COMMAND;
            default -> MySqlError.ER_NOT_SUPPORTED_YET;
        };
        return error.exception(v.message());
    }

    /**
     * The text to send for an analyzed one: adapted for MariaDB and for this client ({@code identity}; the gateway's
     * {@code port} for hidden server variables), with the process list from {@code processList} where the text
     * reads it, and the session's own {@code diagnostics} and {@code status} counters where it asks for them (null:
     * left to the server); {@code sql} itself (same instance) when nothing changes.
     */
    static CharSequence adapt(CharSequence sql, AnalyzedStatement a, QueryRewriter.Identity identity, LexMode mode, int port,
                              Supplier<String> processList, Diagnostics diagnostics, Supplier<Map<String, Long>> status) {
        if (!(sql instanceof String) && !a.processList() && QueryRewriter.scan(sql) == 0) {
            return sql; // a text of megabytes (bulk data) with nothing to rewrite: not copied
        }
        String whole = sql.toString();
        String out = QueryRewriter.adapt(whole, identity, mode, port, a.statements() == 1 ? diagnostics : null, status);
        out = a.processList() ? ProcessList.rewrite(out, mode, processList.get()) : out;
        return out == whole ? sql : out;
    }

    static ByteBuf packet(int command, CharSequence sql) {
        byte[] bytes = sql.toString().getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.buffer(bytes.length + 1).writeByte(command).writeBytes(bytes);
    }

    static ByteBuf query(CharSequence sql) {
        return packet(Command.QUERY, sql);
    }
}
