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

    /** The statement {@code sql} is; its literals with a character set introducer as written ({@link Introducers}). */
    static Statement statement(String sql) throws JSQLParserException {
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
