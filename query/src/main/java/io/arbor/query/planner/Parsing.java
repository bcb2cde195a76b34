package io.arbor.query.planner;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * How the planner reads SQL with JSqlParser: strings with MariaDB's default backslash escapes ({@code 'o\'brien'},
 * which JSqlParser does not read by default), literals with a character set introducer ({@link Introducers}), and on
 * the calling thread: {@code CCJSqlParserUtil.parse(String)}
 * hands each statement to a new executor thread to bound its time, which costs more than the parse of a short
 * statement (and the plan cache makes parses rare; a statement's length is bounded by the gateway's packet limit).
 */
final class Parsing {
    private Parsing() {}

    /** A SELECT's MariaDB shared lock at its end, which JSqlParser does not read (it reads {@code FOR SHARE}). */
    private static final java.util.regex.Pattern LOCK_IN_SHARE_MODE = java.util.regex.Pattern.compile(
            "(?is)^(.*\\S)\\s+LOCK\\s+IN\\s+SHARE\\s+MODE(\\s+(?:NOWAIT|SKIP\\s+LOCKED|WAIT\\s+[0-9]+))?\\s*;?\\s*$");
    /** {@code FOR SHARE} as JSqlParser writes it at a statement's end, with what may follow it. */
    private static final java.util.regex.Pattern FOR_SHARE = java.util.regex.Pattern.compile(
            "(?is) FOR SHARE((?: NOWAIT| SKIP LOCKED| WAIT [0-9]+)?)$");

    /**
     * The statement {@code sql} is; its literals with a character set introducer as written ({@link Introducers}).
     * MariaDB's {@code LOCK IN SHARE MODE} is read as {@code FOR SHARE} (which MariaDB 10.11 does not take): a
     * statement sent as written keeps the client's words, and one the planner rewrites gets them back ({@link #text}).
     */
    static Statement statement(String sql) throws JSQLParserException {
        if (containsIgnoreCase(sql, " SHARE MODE")) {
            java.util.regex.Matcher m = LOCK_IN_SHARE_MODE.matcher(sql);
            if (m.matches()) {
                sql = m.group(1) + " FOR SHARE" + (m.group(2) == null ? "" : " " + m.group(2).strip().replaceAll("\\s+", " "));
            }
        }
        Introducers.Marked marked = Introducers.mark(sql);
        CCJSqlParser parser = CCJSqlParserUtil.newParser(marked == null ? sql : marked.text())
                .withBackslashEscapeCharacter(true);
        try {
            Statement statement = parser.Statement();
            return marked == null ? statement : Introducers.restore(statement, marked);
        } catch (net.sf.jsqlparser.parser.ParseException | net.sf.jsqlparser.parser.TokenMgrException e) {
            throw new JSQLParserException(e.getMessage(), e);
        }
    }

    /** The text a shard runs for a statement the planner rewrote: as JSqlParser writes it, with MariaDB's shared lock. */
    static String text(Statement statement) {
        String out = statement.toString();
        if (!out.contains(" FOR SHARE")) {
            return out;
        }
        java.util.regex.Matcher m = FOR_SHARE.matcher(out);
        return m.find() ? out.substring(0, m.start()) + " LOCK IN SHARE MODE" + m.group(1) : out;
    }

    private static boolean containsIgnoreCase(String text, String part) {
        int from = Math.max(0, text.length() - 200); // the lock clause ends the statement
        for (int i = from; i + part.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }

    /** The condition {@code sql} is (a WHERE clause's text). */
    static Expression condition(String sql) throws JSQLParserException {
        if (Introducers.mark(sql) != null) {
            // the walk that gives the literals back starts at a statement
            Statement s = statement("SELECT 1 FROM DUAL WHERE " + sql);
            return ((net.sf.jsqlparser.statement.select.PlainSelect) s).getWhere();
        }
        return CCJSqlParserUtil.parseCondExpression(sql, true, p -> p.withBackslashEscapeCharacter(true));
    }
}
