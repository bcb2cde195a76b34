package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.GuardRailViolation;
import io.arbor.sql.GuardRails;
import io.arbor.sql.QueryRewriter;
import io.arbor.sql.StatementClassifier;
import io.arbor.sql.StatementKind;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at a COM_QUERY or COM_STMT_PREPARE before it goes to a tablet: refuses what Arbor does not
 * support (guard rails, LOAD DATA LOCAL), maps KILL ids, and adapts MySQL 8 spellings MariaDB lacks.
 * The text is read as ISO-8859-1, which maps bytes 1:1, so a rewrite never changes the client's
 * characters whatever its charset; keywords are ASCII in every charset MySQL clients use.
 */
final class QueryInspector {
    /** Statements longer than this are bulk data (big INSERTs): only their head is classified. */
    private static final int FULL_SCAN_LIMIT = 1 << 20;
    private static final int HEAD = 4096;
    private static final Pattern LOAD_LOCAL = Pattern.compile(
            "^\\s*LOAD\\s+(?:DATA|XML)\\s+(?:LOW_PRIORITY\\s+|CONCURRENT\\s+)?LOCAL\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern KILL = Pattern.compile(
            "^\\s*KILL\\s+(QUERY\\s+|CONNECTION\\s+)?(\\d+)\\s*;?\\s*$", Pattern.CASE_INSENSITIVE);

    private final GatewayConfig config;

    QueryInspector(GatewayConfig config) {
        this.config = config;
    }

    /** Returns the payload to send (the same buffer, or a rewritten one), or throws after releasing it. */
    ByteBuf inspectQuery(ByteBuf payload, IntUnaryOperator killTarget) {
        int len = payload.readableBytes() - 1;
        boolean whole = len <= FULL_SCAN_LIMIT;
        String sql = payload.toString(payload.readerIndex() + 1, whole ? len : HEAD, StandardCharsets.ISO_8859_1);
        StatementKind kind = StatementClassifier.classify(sql);
        try {
            if (kind == StatementKind.LOAD_DATA && LOAD_LOCAL.matcher(sql).find()) {
                throw MySqlError.ER_NOT_ALLOWED_COMMAND.exception("LOAD DATA LOCAL INFILE is disabled in Arbor: "
                        + "the gateway does not read files from clients. Insert the rows with batched INSERT "
                        + "statements, or load the file on the server side.");
            }
            if (!whole) {
                if (kind == StatementKind.CREATE_TABLE || kind == StatementKind.ALTER_TABLE
                        || kind == StatementKind.CREATE_OTHER) {
                    sql = payload.toString(payload.readerIndex() + 1, len, StandardCharsets.ISO_8859_1);
                } else {
                    return payload;
                }
            }
            checkGuardRails(sql);
            String rewritten = QueryRewriter.rewriteForMariaDb(sql);
            if (kind == StatementKind.OTHER && (sql.startsWith("K") || sql.startsWith("k") || sql.startsWith(" "))) {
                rewritten = mapKill(rewritten, killTarget);
            }
            if (rewritten == sql) {
                return payload;
            }
            payload.release();
            byte[] bytes = rewritten.getBytes(StandardCharsets.ISO_8859_1);
            return io.netty.buffer.Unpooled.buffer(bytes.length + 1).writeByte(io.arbor.protocol.Command.QUERY).writeBytes(bytes);
        } catch (MySqlException e) {
            payload.release();
            throw e;
        }
    }

    ByteBuf inspectPrepare(ByteBuf payload) {
        String sql = payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, StandardCharsets.ISO_8859_1);
        try {
            checkGuardRails(sql);
        } catch (MySqlException e) {
            payload.release();
            throw e;
        }
        String rewritten = QueryRewriter.rewriteForMariaDb(sql);
        if (rewritten == sql) {
            return payload;
        }
        payload.release();
        byte[] bytes = rewritten.getBytes(StandardCharsets.ISO_8859_1);
        return io.netty.buffer.Unpooled.buffer(bytes.length + 1).writeByte(io.arbor.protocol.Command.STMT_PREPARE).writeBytes(bytes);
    }

    private static void checkGuardRails(String sql) {
        Optional<GuardRailViolation> violation = GuardRails.check(sql);
        if (violation.isPresent()) {
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception(violation.get().message());
        }
    }

    private static String mapKill(String sql, IntUnaryOperator killTarget) {
        Matcher m = KILL.matcher(sql);
        if (!m.matches()) {
            return sql;
        }
        int backendId = killTarget.applyAsInt(Integer.parseInt(m.group(2)));
        return "KILL " + (m.group(1) == null ? "" : m.group(1)) + backendId;
    }
}
