package io.arbor.gateway;

import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.GuardRailViolation;
import io.arbor.sql.GuardRails;
import io.arbor.sql.QueryRewriter;
import io.arbor.sql.StatementClassifier;
import io.arbor.sql.StatementKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Looks at a COM_QUERY or COM_STMT_PREPARE before it goes to a tablet: refuses what Arbor does not
 * support (guard rails, LOAD DATA LOCAL) and adapts MySQL 8 spellings MariaDB lacks. The text is read as
 * ISO-8859-1, which maps bytes 1:1, so a rewrite never changes the client's characters whatever its
 * charset; keywords are ASCII in every charset MySQL clients use.
 */
final class QueryInspector {
    /** Statements longer than this are bulk data (big INSERTs): only their head is classified. */
    private static final int FULL_SCAN_LIMIT = 1 << 20;
    private static final int HEAD = 4096;
    private static final Pattern LOAD_LOCAL = Pattern.compile(
            "^\\s*LOAD\\s+(?:DATA|XML)\\s+(?:LOW_PRIORITY\\s+|CONCURRENT\\s+)?LOCAL\\b", Pattern.CASE_INSENSITIVE);

    /** A statement ready to send: its text (whole, or the head of a huge one) and what kind it is. */
    record Inspected(String sql, boolean whole, StatementKind kind) {}

    private QueryInspector() {}

    static String text(ByteBuf payload) {
        return payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, StandardCharsets.ISO_8859_1);
    }

    /** Checks a COM_QUERY; throws a {@link MySqlException} for what must be refused. */
    static Inspected inspectQuery(ByteBuf payload) {
        return inspectQuery(payload, false);
    }

    /** As {@link #inspectQuery(ByteBuf)}; {@code localInfile}: LOAD DATA LOCAL is relayed, not refused. */
    static Inspected inspectQuery(ByteBuf payload, boolean localInfile) {
        int len = payload.readableBytes() - 1;
        boolean whole = len <= FULL_SCAN_LIMIT;
        String sql = payload.toString(payload.readerIndex() + 1, whole ? len : HEAD, StandardCharsets.ISO_8859_1);
        StatementKind kind = StatementClassifier.classify(sql);
        if (!whole && (kind == StatementKind.CREATE_TABLE || kind == StatementKind.ALTER_TABLE
                || kind == StatementKind.CREATE_OTHER)) {
            sql = text(payload);
            whole = true;
        }
        return check(sql, whole, kind, localInfile);
    }

    /** Checks a statement that arrived as text (the HTTP API): the same rules as {@link #inspectQuery}. */
    static Inspected inspect(String sql, boolean localInfile) {
        return check(sql, true, StatementClassifier.classify(sql), localInfile);
    }

    private static Inspected check(String sql, boolean whole, StatementKind kind, boolean localInfile) {
        if (!localInfile && kind == StatementKind.LOAD_DATA && LOAD_LOCAL.matcher(sql).find()) {
            throw MySqlError.ER_NOT_ALLOWED_COMMAND.exception("LOAD DATA LOCAL INFILE is disabled in Arbor: "
                    + "the gateway does not read files from clients. Insert the rows with batched INSERT "
                    + "statements, load the file on the server side, or start the gateway with --allow-local-infile.");
        }
        if (whole) {
            checkGuardRails(sql);
        }
        return new Inspected(sql, whole, kind);
    }

    static void checkGuardRails(String sql) {
        Optional<GuardRailViolation> violation = GuardRails.check(sql);
        if (violation.isPresent()) {
            if (violation.get().feature().privileged()) { // as MySQL answers a missing privilege
                throw new MySqlException(1227, "42000", violation.get().message());
            }
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception(violation.get().message());
        }
    }

    /** MySQL 8 names MariaDB lacks; the same instance when nothing changes. */
    static String adapt(String sql) {
        return QueryRewriter.adapt(sql, null);
    }

    /** As {@link #adapt(String)}, and the session functions ({@code CONNECTION_ID()}, {@code USER()}) answer for the client. */
    static String adapt(String sql, QueryRewriter.Identity identity) {
        return QueryRewriter.adapt(sql, identity);
    }

    static ByteBuf packet(int command, String sql) {
        byte[] bytes = sql.getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.buffer(bytes.length + 1).writeByte(command).writeBytes(bytes);
    }

    static ByteBuf query(String sql) {
        return packet(Command.QUERY, sql);
    }
}
