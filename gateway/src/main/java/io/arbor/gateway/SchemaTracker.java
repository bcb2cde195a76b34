package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.query.planner.ShardedPlans;
import io.arbor.query.planner.ShardedTables;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import io.arbor.tablet.QueryService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * What the gateway knows of a sharded keyspace's tables' columns, for the planner's INSERTs without a column list
 * (Vitess's {@code vtgate/schema/Tracker}, narrowed to what the planner needs): a vschema table's columns in order,
 * learned from the keyspace's first shard ({@code information_schema.COLUMNS}, invisible columns left out as
 * MariaDB leaves them out of such an INSERT) through the tablet's query service, as the session's own query, and
 * cached by table. A vschema's own {@code columns} with {@code column_list_authoritative} come first and are never
 * asked for.
 *
 * <p>Planning is synchronous, so the columns are learned before it, and only when needed: an INSERT or REPLACE ...
 * VALUES with no column list on a vschema table whose columns are not cached ({@link #learnFirst}); the statement is
 * then run again from the start, planned with them. A table the first shard does not have gets MariaDB's 1146.
 *
 * <p>The cache is one per keyspace's {@link ShardedPlans} (the gateway makes new plans, so a new tracker, when the
 * vschema changes), and is emptied when a schema change runs through the sharded path ({@link #forget}, before it
 * starts and when it ends; a fetch that began before is not kept). A schema change that lands later (a managed
 * {@code @@ddl_strategy}'s migration, or one made on the shards directly) can leave it stale: a row whose width no
 * longer matches the cached columns makes the tracker learn them again and run the statement once more if they
 * changed ({@link #afterRefusal}); a row of the old width after a column was added still runs, with the old columns
 * named (the new column takes its default) where MariaDB would have answered 1136. INSERT plans are made per
 * statement (not cached in {@link ShardedPlans}), so no plan outlives the columns it was made with.
 */
final class SchemaTracker implements ShardedTables {
    private final ShardedTables vschema;
    /** The learned columns by table, as the statement names it. */
    private final Map<String, List<String>> columns = new ConcurrentHashMap<>();
    /** Counts {@link #forget}s: a fetch keeps what it learned only when none came while it ran. */
    private final AtomicLong epoch = new AtomicLong();

    /**
     * What learning needs of one statement.
     *
     * @param session    whose query it is (the fetch runs as the session's account, in autocommit)
     * @param sql        the statement
     * @param mode       how to read it
     * @param database   the session's database, for 1146's message
     * @param firstShard the query service of the keyspace's first shard (null when none serves)
     * @param maxRows    the gateway's row limit
     * @param rerun      runs the statement again from the start, once its columns are known
     */
    record Learning(Session session, CharSequence sql, LexMode mode, String database, Supplier<QueryService> firstShard,
                    long maxRows, Supplier<CompletableFuture<Executor.Completion>> rerun) {
        Learning {
            requireNonNull(session, "session is null");
            requireNonNull(sql, "sql is null");
            requireNonNull(mode, "mode is null");
            requireNonNull(firstShard, "firstShard is null");
            requireNonNull(rerun, "rerun is null");
        }
    }

    /** A tracker over the tables of a keyspace's vschema. */
    SchemaTracker(ShardedTables vschema) {
        this.vschema = requireNonNull(vschema, "vschema is null");
    }

    @Override
    public Optional<Table> table(String name) {
        return vschema.table(name);
    }

    @Override
    public List<String> columns(String table) {
        List<String> declared = vschema.columns(table);
        return declared != null ? declared : columns.get(table);
    }

    /**
     * The answer to a statement whose table's columns must be learned before it is planned, once they are (the
     * statement rerun), or the error learning met; null when the statement needs none learned.
     */
    static CompletableFuture<Executor.Completion> learnFirst(ShardedPlans plans, Learning l) {
        if (!(plans.tables() instanceof SchemaTracker tracker)) {
            return null;
        }
        Target target = Target.of(l.sql(), l.mode());
        if (target == null || tracker.vschema.table(target.table()).map(Table::reference).orElse(true)
                || tracker.columns(target.table()) != null || target.table().contains("\\")) {
            return null;
        }
        return tracker.learn(target, l).thenCompose(error -> error != null
                ? CompletableFuture.completedFuture(Executor.Completion.failed(l.session(), error)) : l.rerun().get());
    }

    /**
     * The answer after the planner refused a statement, when the first shard has more to say; null when it has not
     * (the client gets the refusal):
     * <ul>
     *   <li>1136 (a row's width is not the columns'): when the columns were learned (not declared), they are learned
     *       again and the statement reruns if they changed;</li>
     *   <li>a table the vschema lacks: MariaDB's 1146 when the first shard lacks it too (a misspelt table reads as on
     *       MySQL), else the refusal.</li>
     * </ul>
     */
    static CompletableFuture<Executor.Completion> afterRefusal(MySqlException refused, ShardedPlans plans, Learning l) {
        if (!(plans.tables() instanceof SchemaTracker tracker)) {
            return null;
        }
        if (refused.error() == MySqlError.ER_TABLE_NOT_IN_VSCHEMA) {
            return tracker.exists(refused, l);
        }
        if (refused.code() != MySqlError.ER_WRONG_VALUE_COUNT_ON_ROW.code()) {
            return null;
        }
        Target target = Target.of(l.sql(), l.mode());
        if (target == null || tracker.vschema.columns(target.table()) != null) {
            return null;
        }
        List<String> before = tracker.columns.remove(target.table());
        if (before == null) {
            return null;
        }
        return tracker.learn(target, l).thenCompose(error -> {
            if (error != null || Objects.equals(before, tracker.columns.get(target.table()))) {
                return CompletableFuture.completedFuture(Executor.Completion.failed(l.session(), error != null ? error : refused));
            }
            return l.rerun().get();
        });
    }

    /** Drops every learned column list of the keyspace of {@code plans}: a schema change runs there. */
    static void forget(ShardedPlans plans) {
        if (plans != null && plans.tables() instanceof SchemaTracker tracker) {
            tracker.epoch.incrementAndGet();
            tracker.columns.clear();
        }
    }

    /** 1146 when the first shard lacks the table {@code refused} names, else {@code refused}. */
    private CompletableFuture<Executor.Completion> exists(MySqlException refused, Learning l) {
        String message = refused.getMessage();
        int end = message.indexOf("' is not in the vschema");
        QueryService tablet = l.firstShard().get();
        if (!message.startsWith("table '") || end < 0 || tablet == null || message.indexOf('\\') >= 0) {
            return null;
        }
        String table = message.substring("table '".length(), end);
        if (table.equalsIgnoreCase("dual") || hasWith(l.sql(), l.mode())) {
            return null; // DUAL, or a common table expression's name: no table of the shards is meant, keep the refusal
        }
        String query = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(tablet.database())
                + " AND TABLE_NAME = " + literal(table);
        return new ShardSessions(l.session(), l.maxRows()).autocommit(tablet, query).handle((r, e) ->
                Executor.Completion.failed(l.session(), e == null && !r.isError() && r.rows().isEmpty()
                        ? MySqlError.ER_NO_SUCH_TABLE.exception(l.database() != null ? l.database() : tablet.database(), table)
                        : refused));
    }

    /** Whether the statement has a WITH clause, whose common table expressions the planner names as tables. */
    private static boolean hasWith(CharSequence sql, LexMode mode) {
        io.arbor.sql.SqlLexer lexer = new io.arbor.sql.SqlLexer(sql, mode);
        for (io.arbor.sql.SqlLexer.TokenType t = lexer.next(); t != io.arbor.sql.SqlLexer.TokenType.EOF; t = lexer.next()) {
            if (t == io.arbor.sql.SqlLexer.TokenType.IDENTIFIER && lexer.is("WITH")) {
                return true;
            }
        }
        return false;
    }

    /** Learns the columns of {@code target}'s table from the first shard: null when learned, else the error. */
    private CompletableFuture<MySqlException> learn(Target target, Learning l) {
        QueryService tablet = l.firstShard().get();
        if (tablet == null) {
            return CompletableFuture.completedFuture(MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor cannot learn the"
                    + " columns of table " + target.table() + ": no tablet serves the keyspace's first shard (name the"
                    + " columns)"));
        }
        long started = epoch.get();
        String query = "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + literal(tablet.database())
                + " AND TABLE_NAME = " + literal(target.table()) + " AND EXTRA NOT LIKE '%INVISIBLE%' ORDER BY ORDINAL_POSITION";
        return new ShardSessions(l.session(), l.maxRows()).autocommit(tablet, query).handle((r, e) -> {
            if (e != null) {
                return GatewaySession.unwrap(e);
            }
            if (r.isError()) {
                return r.error();
            }
            List<String> names = new ArrayList<>(r.rows().size());
            r.rows().forEach(row -> names.add(row.text(0)));
            if (names.isEmpty()) {
                return MySqlError.ER_NO_SUCH_TABLE.exception(target.schema() != null ? target.schema()
                        : l.database() != null ? l.database() : tablet.database(), target.table());
            }
            if (epoch.get() == started) {
                columns.put(target.table(), List.copyOf(names));
            }
            return null;
        });
    }

    /** A string literal of {@code text}, which has no backslash (so it reads the same in any sql_mode). */
    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * The table an {@code INSERT | REPLACE [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO] [db.]t
     * [PARTITION (...)] VALUES | VALUE ...} writes, without a column list: the statements whose columns the
     * planner needs to know.
     *
     * @param schema the qualifier as written, or null
     * @param table  the table, unquoted
     */
    private record Target(String schema, String table) {
        static Target of(CharSequence sql, LexMode mode) {
            SqlLexer lexer = new SqlLexer(sql, mode);
            if (lexer.next() != TokenType.IDENTIFIER || !lexer.is("INSERT") && !lexer.is("REPLACE")) {
                return null;
            }
            TokenType t = lexer.next();
            while (t == TokenType.IDENTIFIER && (lexer.is("LOW_PRIORITY") || lexer.is("DELAYED") || lexer.is("HIGH_PRIORITY")
                    || lexer.is("IGNORE") || lexer.is("INTO"))) {
                t = lexer.next();
            }
            String schema = null;
            String name = name(lexer, t);
            if (name == null) {
                return null;
            }
            t = lexer.next();
            if (t == TokenType.DOT) {
                schema = name;
                name = name(lexer, lexer.next());
                if (name == null) {
                    return null;
                }
                t = lexer.next();
            }
            if (t == TokenType.IDENTIFIER && lexer.is("PARTITION")) {
                for (t = lexer.next(); t != TokenType.EOF && t != TokenType.RIGHT_PAREN; t = lexer.next()) {
                    // the partition names
                }
                t = lexer.next();
            }
            return t == TokenType.IDENTIFIER && (lexer.is("VALUES") || lexer.is("VALUE")) ? new Target(schema, name) : null;
        }

        private static String name(SqlLexer lexer, TokenType t) {
            if (t == TokenType.QUOTED_IDENTIFIER) {
                String text = lexer.text();
                return text.substring(1, text.length() - 1).replace("``", "`");
            }
            return t == TokenType.IDENTIFIER ? lexer.text() : null;
        }
    }
}
