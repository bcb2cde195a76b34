package io.arbor.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The SELECT statements of {@link DifferentialQueryIT}: the hand-written hard cases of
 * {@code differential/select.sql} and {@code differential/session.sql} (statements that read what the previous one
 * left in the session), and statements generated from a seed that combine filters, joins, grouping,
 * ordering and limits over {@link DifferentialDataset}.
 *
 * <p>The file holds statements ended by {@code ;} at the end of a line; a {@code -- ====} line opens a section (what
 * its statements probe), the {@code --} comment lines right above a statement add what it probes in particular, and
 * {@code -- @error N} declares that MariaDB itself answers it with error N (so that a statement the oracle refuses is
 * a deliberate case, never a typo that passes because both sides fail); {@code -- @gateway-bug(text,binary) WHAT}
 * marks a statement the gateway is known to answer differently under those protocols (all three without any:
 * an open defect, named): it is reported, not failed, and the test fails once it matches, so that the line goes
 * with the fix. The list may also name targets ({@code -- @gateway-bug(sharded4) WHAT}: a sharded planner's wrong
 * answer); without a target's name the marker holds on every target ({@link DifferentialKnownBug}).
 *
 * <p>Generated statements keep the answer determined: every ORDER BY before a LIMIT ends with a unique key, an
 * ORDER BY without one sorts on output columns (see {@link DifferentialComparison}), and GROUP BY and DISTINCT use
 * columns whose equal values are also equal text (a _bin column, a number, the ENUM), or an UPPER() of a _ci one.
 */
final class DifferentialCorpus {
    static final String RESOURCE = "/differential/select.sql";
    static final String SESSION_RESOURCE = "/differential/session.sql";
    /** Known gateway bugs of generated statements: each a {@code -- @gateway-bug} line over the statement's exact text. */
    static final String GENERATED_BUGS = "/differential/generated-bugs.sql";
    static final long SEED = Long.getLong("arbor.it.differentialCorpusSeed", 20261211L);
    static final int GENERATED = Integer.getInteger("arbor.it.differentialGenerated", 300);

    /**
     * One statement of the corpus: where it comes from (file:line or generator number), what it probes, and an error
     * it must give.
     *
     * @param knownBug what a {@code -- @gateway-bug ...} line above it says, or null
     */
    record Entry(String source, String probe, String sql, Integer expectedError, DifferentialKnownBug knownBug) {
        Entry(String source, String probe, String sql, Integer expectedError) {
            this(source, probe, sql, expectedError, null);
        }

        /** The known bug as it shows on {@code target} under {@code protocol}, or null when none is declared for it. */
        String knownBug(String target, DifferentialAnswer.Protocol protocol) {
            return knownBug != null && knownBug.holds(target, protocol) ? knownBug.what() : null;
        }
    }

    private DifferentialCorpus() {}

    /** The statements of both files: {@value #RESOURCE}, then {@value #SESSION_RESOURCE}. */
    static List<Entry> handWritten() {
        List<Entry> out = new ArrayList<>(read(RESOURCE));
        out.addAll(read(SESSION_RESOURCE));
        return out;
    }

    /**
     * Everything in the order it runs: {@value #RESOURCE}, the generated statements, and {@value #SESSION_RESOURCE}
     * last, since one of its statements makes the gateway reserve the session's backend connection.
     */
    static List<Entry> all() {
        List<Entry> out = new ArrayList<>(read(RESOURCE));
        out.addAll(generated(SEED, GENERATED));
        out.addAll(read(SESSION_RESOURCE));
        return out;
    }

    private static List<Entry> read(String resource) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        String text;
        try (InputStream in = DifferentialCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the test class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> out = new ArrayList<>();
        String section = "";
        StringBuilder comment = new StringBuilder();
        StringBuilder sql = new StringBuilder();
        Integer error = null;
        DifferentialKnownBug bug = null;
        int startLine = 0;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (sql.isEmpty() && line.startsWith("--")) {
                String c = line.substring(2).strip();
                if (c.startsWith("@error ")) {
                    error = Integer.parseInt(c.substring("@error ".length()).strip());
                } else if (c.startsWith("@gateway-bug")) {
                    bug = DifferentialKnownBug.parse(c.substring("@gateway-bug".length()));
                } else if (c.startsWith("====")) {
                    section = c.substring(4).strip();
                    comment.setLength(0);
                } else if (!c.isEmpty()) {
                    comment.append(comment.isEmpty() ? "" : " ").append(c);
                }
                continue;
            }
            if (line.isEmpty() && sql.isEmpty()) {
                continue;
            }
            if (sql.isEmpty()) {
                startLine = n + 1;
            }
            sql.append(sql.isEmpty() ? "" : "\n").append(lines[n]);
            if (line.endsWith(";")) {
                String statement = sql.toString().strip();
                String probe = comment.isEmpty() ? section : section + ": " + comment;
                out.add(new Entry(file + ":" + startLine, probe, statement.substring(0, statement.length() - 1).strip(), error,
                        bug));
                sql.setLength(0);
                comment.setLength(0);
                error = null;
                bug = null;
            }
        }
        if (!sql.isEmpty()) {
            throw new IllegalStateException(resource + ":" + startLine + ": statement not ended by ;");
        }
        return out;
    }

    /**
     * {@code count} statements from {@code seed}, each carrying the {@code -- @gateway-bug} marker that
     * {@value #GENERATED_BUGS} gives its text, if any.
     *
     * @throws IllegalStateException when, with the default seed and count, a statement of {@value #GENERATED_BUGS} is
     *         not generated (a stale marker, left after the generator changed)
     */
    static List<Entry> generated(long seed, int count) {
        Generator g = new Generator(new Random(seed));
        java.util.Map<String, Entry> bugs = new java.util.LinkedHashMap<>();
        read(GENERATED_BUGS).forEach(e -> bugs.put(e.sql(), e));
        Set<String> unused = new java.util.LinkedHashSet<>(bugs.keySet());
        List<Entry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Shape shape = g.next();
            Entry bug = bugs.get(shape.sql());
            unused.remove(shape.sql());
            out.add(bug == null ? new Entry("generated #" + i + " (seed " + seed + ")", shape.kind(), shape.sql(), null)
                    : new Entry("generated #" + i + " (seed " + seed + ")", shape.kind(), shape.sql(), null, bug.knownBug()));
        }
        if (!unused.isEmpty() && seed == 20261211L && count == 300) {
            throw new IllegalStateException(GENERATED_BUGS + " marks statements the generator no longer makes: " + unused);
        }
        return out;
    }

    /** A generated statement and the kind of shape it has. */
    private record Shape(String kind, String sql) {}

    /** Makes one statement at a time: a shape, filled with random predicates and clauses. */
    private static final class Generator {
        private final Random r;

        Generator(Random r) {
            this.r = r;
        }

        Shape next() {
            int shape = r.nextInt(100);
            if (shape < 22) {
                return new Shape("projection, ORDER BY + LIMIT", orderedProjection());
            } else if (shape < 32) {
                return new Shape("projection, no order", unorderedProjection());
            } else if (shape < 55) {
                return new Shape("GROUP BY", grouped());
            } else if (shape < 63) {
                return new Shape("aggregates without GROUP BY", aggregates());
            } else if (shape < 83) {
                return new Shape("join", join());
            } else if (shape < 88) {
                return new Shape("DISTINCT", distinct());
            } else if (shape < 93) {
                return new Shape("IN subquery / EXISTS / derived table", subquery());
            } else if (shape < 97) {
                return new Shape("top N groups", topGroups());
            } else {
                return new Shape("UNION", union());
            }
        }

        private String orderedProjection() {
            boolean orders = r.nextBoolean();
            String cols = orders ? "id, customer_id, sku, price, qty, status, created" : "id, name, email, region, score, created";
            String table = orders ? "corder" : "customer";
            String[] sortable = orders ? new String[] {"customer_id", "price", "qty", "status", "created", "sku"}
                    : new String[] {"score", "created", "email", "region"};
            String order = r.nextInt(3) == 0 ? "" : pick(sortable) + dir() + ", ";
            return "SELECT " + cols + " FROM " + table + where(orders ? this::orderPredicate : this::customerPredicate, "")
                    + " ORDER BY " + order + "id" + dir() + limit();
        }

        private String unorderedProjection() {
            return switch (r.nextInt(3)) {
                case 0 -> "SELECT id, status, price * qty AS total FROM corder" + where(this::orderPredicate, "");
                case 1 -> "SELECT id, kind, JSON_VALUE(payload, '$.page') AS page FROM event" + where(this::eventPredicate, "");
                default -> "SELECT sku, title, category, list_price FROM product" + where(this::productPredicate, "");
            };
        }

        private String grouped() {
            boolean orders = r.nextInt(3) != 0;
            String group = orders ? pick("status", "customer_id", "sku", "qty", "YEAR(created)", "DATE(created)")
                    : pick("UPPER(region)", "score", "YEAR(created)", "id % 7");
            String aggs = orders ? pick("COUNT(*), SUM(price), MIN(price), MAX(price)",
                    "COUNT(*), AVG(price), SUM(qty), COUNT(DISTINCT customer_id)",
                    "COUNT(price), SUM(discount), MAX(created), MIN(sku)",
                    "SUM(price * qty), AVG(qty), COUNT(DISTINCT sku)")
                    : pick("COUNT(*), MIN(score), MAX(score), AVG(score)", "COUNT(email), COUNT(DISTINCT email), MAX(created)");
            String having = r.nextInt(3) == 0 ? " HAVING COUNT(*) > " + r.nextInt(6) : "";
            String order = switch (r.nextInt(4)) {
                case 0 -> "";
                case 1 -> " ORDER BY g" + dir();
                case 2 -> " ORDER BY 2 DESC, g";
                default -> " ORDER BY g" + dir() + limit();
            };
            return "SELECT " + group + " AS g, " + aggs + " FROM " + (orders ? "corder" : "customer")
                    + where(orders ? this::orderPredicate : this::customerPredicate, "") + " GROUP BY " + group + having + order;
        }

        private String aggregates() {
            return switch (r.nextInt(3)) {
                case 0 -> "SELECT COUNT(*), SUM(price), AVG(price), MIN(created), MAX(created), COUNT(DISTINCT status) FROM corder"
                        + where(this::orderPredicate, "");
                case 1 -> "SELECT COUNT(*), SUM(score), MIN(id), MAX(email), COUNT(DISTINCT region) FROM customer"
                        + where(this::customerPredicate, "");
                default -> "SELECT COUNT(*), COUNT(payload), SUM(JSON_VALUE(payload, '$.ms')) FROM event"
                        + where(this::eventPredicate, "");
            };
        }

        private String join() {
            return switch (r.nextInt(5)) {
                case 0 -> "SELECT o.id AS order_id, c.id AS cid, c.name, o.price FROM corder o JOIN customer c ON c.id = o.customer_id"
                        + where(this::orderPredicate, "o.") + " ORDER BY order_id" + dir() + limit();
                case 1 -> "SELECT o.id AS order_id, c.name, c.region FROM corder o LEFT JOIN customer c ON c.id = o.customer_id"
                        + where(this::orderPredicate, "o.") + " ORDER BY order_id" + limit();
                case 2 -> "SELECT c.id, COUNT(o.id) AS orders, SUM(o.price) AS spent, MAX(o.created) AS last"
                        + " FROM customer c LEFT JOIN corder o ON o.customer_id = c.id" + where(this::customerPredicate, "c.")
                        + " GROUP BY c.id" + (r.nextBoolean() ? " HAVING COUNT(o.id) " + pick("= 0", "> 3", ">= 1") : "")
                        + " ORDER BY " + pick("c.id", "orders DESC, c.id", "spent, c.id") + limit();
                case 3 -> "SELECT o.id AS order_id, p.title, p.category, o.qty FROM corder o JOIN product p ON p.sku = o.sku"
                        + where(this::orderPredicate, "o.") + (r.nextBoolean() ? " AND p.category " + pick("= 'books'", "IS NULL", "LIKE 'e%'") : "")
                        + " ORDER BY order_id" + dir() + limit();
                default -> "SELECT UPPER(e.kind) AS kind, COUNT(*) AS n, COUNT(DISTINCT c.id) AS customers FROM event e"
                        + " JOIN customer c ON c.id = e.customer_id" + where(this::customerPredicate, "c.")
                        + " GROUP BY UPPER(e.kind) ORDER BY n DESC, kind";
            };
        }

        private String distinct() {
            return switch (r.nextInt(4)) {
                case 0 -> "SELECT DISTINCT status FROM corder" + where(this::orderPredicate, "") + " ORDER BY status";
                case 1 -> "SELECT DISTINCT customer_id FROM corder" + where(this::orderPredicate, "") + " ORDER BY customer_id" + limit();
                case 2 -> "SELECT DISTINCT qty, status FROM corder" + where(this::orderPredicate, "");
                default -> "SELECT DISTINCT score FROM customer" + where(this::customerPredicate, "") + " ORDER BY score DESC" + limit();
            };
        }

        private String subquery() {
            return switch (r.nextInt(3)) {
                case 0 -> "SELECT id, name FROM customer WHERE id IN (SELECT customer_id FROM corder" + where(this::orderPredicate, "")
                        + ") ORDER BY id" + limit();
                case 1 -> "SELECT c.id, c.email FROM customer c WHERE " + (r.nextBoolean() ? "" : "NOT ")
                        + "EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = c.id AND " + orderPredicate("o.") + ") ORDER BY c.id" + limit();
                default -> "SELECT t.status, COUNT(*) AS n FROM (SELECT status, price FROM corder" + where(this::orderPredicate, "")
                        + ") t GROUP BY t.status ORDER BY t.status";
            };
        }

        private String topGroups() {
            String measure = pick("SUM(price)", "COUNT(*)", "MAX(price)", "SUM(qty)", "AVG(price)", "COUNT(DISTINCT sku)");
            return "SELECT customer_id, " + measure + " AS m FROM corder" + where(this::orderPredicate, "")
                    + " GROUP BY customer_id ORDER BY m" + dir() + ", customer_id" + dir() + " LIMIT " + (1 + r.nextInt(10))
                    + (r.nextBoolean() ? " OFFSET " + r.nextInt(10) : "");
        }

        private String union() {
            String all = r.nextBoolean() ? " UNION ALL " : " UNION ";
            String order = r.nextBoolean() ? "" : " ORDER BY customer_id" + dir() + (all.equals(" UNION ") ? limit() : "");
            return "SELECT customer_id FROM corder" + where(this::orderPredicate, "") + all + "SELECT customer_id FROM event"
                    + where(this::eventPredicate, "") + order;
        }

        /** " WHERE p1 AND|OR p2 ..." of 0 to 3 predicates, or "". */
        private String where(Function<String, String> predicate, String prefix) {
            int n = r.nextInt(4);
            if (n == 0) {
                return prefix.isEmpty() ? "" : " WHERE 1 = 1";
            }
            StringBuilder sb = new StringBuilder(" WHERE ");
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(r.nextInt(4) == 0 ? " OR " : " AND ");
                }
                sb.append(predicate.apply(prefix));
            }
            return sb.toString();
        }

        private String orderPredicate(String p) {
            return switch (r.nextInt(12)) {
                case 0 -> p + "status = '" + pick("new", "paid", "shipped", "cancelled", "returned") + "'";
                case 1 -> p + "status IN ('" + pick("new", "paid") + "', '" + pick("shipped", "returned", "cancelled") + "')";
                case 2 -> p + "price > " + (r.nextInt(550) - 50);
                case 3 -> p + "price BETWEEN " + (r.nextInt(300) - 50) + " AND " + (250 + r.nextInt(250));
                case 4 -> p + "price IS " + pick("NULL", "NOT NULL");
                case 5 -> p + "qty " + pick(">= ", "< ", "= ") + (r.nextInt(12) - 2);
                case 6 -> p + "customer_id = " + (1 + r.nextInt(330));
                case 7 -> p + "customer_id IN (" + (1 + r.nextInt(330)) + ", " + (1 + r.nextInt(330)) + ", " + (1 + r.nextInt(330)) + ")";
                case 8 -> p + "sku " + pick("LIKE 'SKU-0%'", "LIKE 'sku%'", "= 'SKU-999'", "IS NULL", "> 'SKU-030'");
                case 9 -> p + "created " + pick(">= ", "< ") + "'2024-" + String.format("%02d", 1 + r.nextInt(12)) + "-01'";
                case 10 -> p + "discount " + pick("= 0.25", "IS NULL", "> 0.1", "= 0");
                default -> p + "customer_id BETWEEN " + (1 + r.nextInt(200)) + " AND " + (150 + r.nextInt(180));
            };
        }

        private String customerPredicate(String p) {
            return switch (r.nextInt(9)) {
                case 0 -> p + "region = '" + pick("eu", "EU", "us", "apac", "latam") + "'";
                case 1 -> p + "region " + pick("IN ('eu', 'us')", "IS NULL", "NOT IN ('apac')", "<> 'eu'");
                case 2 -> p + "name " + pick("= 'jose'", "= 'José'", "LIKE 'j%'", "LIKE '%e'", "= 'ana'", "IS NULL", "< 'M'");
                case 3 -> p + "email " + pick("LIKE '%@example.com'", "LIKE 'JOSE%'", "IS NULL", "LIKE '%1_@%'");
                case 4 -> p + "score " + pick("< ", ">= ", "= ") + (r.nextInt(201) - 100);
                case 5 -> p + "score BETWEEN " + (r.nextInt(100) - 100) + " AND " + r.nextInt(100);
                case 6 -> p + "created " + pick(">= ", "< ") + "'" + (2023 + r.nextInt(3)) + "-06-01'";
                case 7 -> p + "id " + pick("<= ", "> ") + (1 + r.nextInt(300));
                default -> p + "id IN (" + (1 + r.nextInt(300)) + ", " + (1 + r.nextInt(300)) + ")";
            };
        }

        private String eventPredicate(String p) {
            return switch (r.nextInt(6)) {
                case 0 -> p + "kind = '" + pick("click", "login", "purchase", "search") + "'";
                case 1 -> "JSON_VALUE(" + p + "payload, '$.page') = '" + pick("/home", "/cart", "/p/1") + "'";
                case 2 -> p + "customer_id IS NULL";
                case 3 -> p + "customer_id IN (" + (1 + r.nextInt(310)) + ", " + (1 + r.nextInt(310)) + ")";
                case 4 -> "JSON_EXTRACT(" + p + "payload, '$.ok') = " + pick("true", "false");
                default -> "JSON_VALUE(" + p + "payload, '$.ms') > " + r.nextInt(1500);
            };
        }

        private String productPredicate(String p) {
            return switch (r.nextInt(4)) {
                case 0 -> p + "category = '" + pick("books", "toys", "electronique", "garden") + "'";
                case 1 -> p + "list_price " + pick("> ", "< ") + r.nextInt(300);
                case 2 -> p + "sku LIKE '" + pick("SKU-00%", "sku-%", "%-01_") + "'";
                default -> p + "title LIKE '%" + pick("robot", "tea", "e") + "%'";
            };
        }

        private String dir() {
            return r.nextBoolean() ? "" : " DESC";
        }

        private String limit() {
            return switch (r.nextInt(4)) {
                case 0 -> "";
                case 1 -> " LIMIT " + (1 + r.nextInt(20));
                case 2 -> " LIMIT " + (1 + r.nextInt(20)) + " OFFSET " + r.nextInt(30);
                default -> " LIMIT " + r.nextInt(10) + ", " + (1 + r.nextInt(15));
            };
        }

        private String pick(String... values) {
            return values[r.nextInt(values.length)];
        }
    }
}
