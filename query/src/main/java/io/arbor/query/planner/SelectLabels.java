package io.arbor.query.planner;

import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps the column labels a client sees when the planner rewrites a SELECT for the shards. MariaDB labels an
 * unaliased expression with its text as the client wrote it ({@code a+b}, {@code COUNT(*)}); JSqlParser renders the
 * rewritten statement in its own spacing ({@code a + b}), so each such select item gets its original text as an
 * explicit alias. Columns keep their names either way and literals are left alone (their label is their value).
 */
final class SelectLabels {
    private static final Set<String> MODIFIERS = Set.of("ALL", "DISTINCT", "DISTINCTROW", "HIGH_PRIORITY", "STRAIGHT_JOIN",
            "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_CACHE", "SQL_NO_CACHE", "SQL_CALC_FOUND_ROWS");
    private static final Set<String> ENDS = Set.of("FROM", "INTO", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "WINDOW",
            "FOR", "LOCK", "UNION", "EXCEPT", "INTERSECT");

    private SelectLabels() {}

    /** Gives each unaliased expression item of {@code select} the text it has in {@code sql} as its alias. */
    static void keep(PlainSelect select, String sql) {
        if (sql == null) {
            return;
        }
        List<String> texts = itemTexts(sql);
        List<SelectItem<?>> items = select.getSelectItems();
        if (texts == null || texts.size() != items.size()) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            Expression e = item.getExpression();
            String text = texts.get(i);
            if (item.getAlias() != null || e instanceof Column || e instanceof AllColumns || literal(e)
                    || text.contains(":__") || text.length() > 255) {
                continue;
            }
            item.setAlias(new Alias("`" + text.replace("`", "``") + "`", false));
        }
    }

    private static boolean literal(Expression e) {
        return e instanceof net.sf.jsqlparser.expression.StringValue || e instanceof net.sf.jsqlparser.expression.LongValue
                || e instanceof net.sf.jsqlparser.expression.DoubleValue || e instanceof net.sf.jsqlparser.expression.NullValue;
    }

    /** The texts of the top-level select list's items, or null when the text does not read as one SELECT. */
    static List<String> itemTexts(String sql) {
        SqlLexer lexer = new SqlLexer(sql, LexMode.DEFAULT);
        TokenType t = lexer.next();
        if (t != TokenType.IDENTIFIER || !lexer.is("SELECT")) {
            return null;
        }
        t = lexer.next();
        while (t == TokenType.IDENTIFIER && MODIFIERS.contains(lexer.text().toUpperCase(Locale.ROOT))) {
            t = lexer.next();
        }
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = -1;
        int end = -1;
        for (; ; t = lexer.next()) {
            boolean ends = t == TokenType.EOF || t == TokenType.SEMICOLON || depth == 0 && (t == TokenType.COMMA
                    || t == TokenType.IDENTIFIER && ENDS.contains(lexer.text().toUpperCase(Locale.ROOT)));
            if (ends) {
                if (start < 0) {
                    return null;
                }
                out.add(sql.substring(start, end));
                start = -1;
                if (t != TokenType.COMMA) {
                    return out;
                }
                continue;
            }
            if (t == TokenType.LEFT_PAREN) {
                depth++;
            } else if (t == TokenType.RIGHT_PAREN) {
                depth--;
            }
            if (start < 0) {
                start = lexer.start();
            }
            end = lexer.end();
        }
    }
}
