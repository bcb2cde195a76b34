package io.arbor.it;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The dataset of {@link DifferentialQueryIT}: four tables shaped like a sharded app's, generated from a fixed seed so
 * that both sides (the oracle and the target) get byte-identical rows.
 *
 * <ul>
 *   <li>{@code customer} (would-be vindex column {@code id}): names with mixed case, accents and trailing spaces in a
 *       {@code utf8mb4_general_ci} column, emails in a {@code utf8mb4_bin} column, duplicate names and emails,
 *       NULLs, negative scores.
 *   <li>{@code corder} (sharded by {@code customer_id}): orders of existing and of missing customers (orphans), SKUs
 *       that do and do not exist, negative prices and quantities, an ENUM status, DATETIMEs with ties.
 *   <li>{@code product} (a would-be reference table): SKUs that differ only in case ({@code _bin}), NULL categories.
 *   <li>{@code event} (sharded by {@code customer_id}, which may be NULL): a JSON payload and a kind.
 * </ul>
 *
 * <p>{@code corder.discount} is a DOUBLE holding only binary fractions (0.125 steps), so that sums of it are exact
 * whatever order a scatter adds them in: a sharded planner must not be failed for float rounding it cannot avoid.
 */
final class DifferentialDataset {
    static final long SEED = Long.getLong("arbor.it.differentialSeed", 20261211L);
    static final int CUSTOMERS = 300;
    static final int PRODUCTS = 60;
    static final int ORDERS = 1500;
    static final int EVENTS = 800;
    private static final int ROWS_PER_INSERT = 250;

    static final List<String> TABLES = List.of("customer", "product", "corder", "event");

    /** The CREATE TABLE statements, in load order. */
    static final List<String> DDL = List.of(
            "CREATE TABLE customer (id INT NOT NULL PRIMARY KEY, name VARCHAR(64) COLLATE utf8mb4_general_ci NULL,"
                    + " email VARCHAR(128) COLLATE utf8mb4_bin NULL, region VARCHAR(16) NULL, score INT NULL,"
                    + " created DATE NULL, KEY region (region)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
            "CREATE TABLE product (sku VARCHAR(16) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, title VARCHAR(100) NULL,"
                    + " category VARCHAR(32) NULL, list_price DECIMAL(10,2) NULL) DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE corder (id BIGINT NOT NULL PRIMARY KEY, customer_id INT NOT NULL,"
                    + " sku VARCHAR(16) COLLATE utf8mb4_bin NULL, price DECIMAL(10,2) NULL, qty INT NOT NULL,"
                    + " discount DOUBLE NULL, status ENUM('new','paid','shipped','cancelled','returned') NOT NULL,"
                    + " created DATETIME NULL, KEY customer_id (customer_id), KEY sku (sku)) DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE event (id BIGINT NOT NULL PRIMARY KEY, customer_id INT NULL, kind VARCHAR(16) NOT NULL,"
                    + " payload JSON NULL, KEY customer_id (customer_id)) DEFAULT CHARSET=utf8mb4");

    private static final String[] NAMES = {"José", "jose", "JOSE", "Jose", "Zoë", "zoe", "Émile", "emile", "Ana", "ana ",
        "ANA", "Müller", "MULLER", "Muller", "O'Brien", "Ølaf", "Straße", "strasse", "Chloé", "chloe", "Bob", "bob",
        "Alice", "alice", "Ærin", "Ümit", "Ñandú", "nandu", "Li Wei", "李伟", "Back\\slash", "Percent%", "Under_score",
        "Zed", "zed", "Yusuf", "Çağla", "cagla"};
    private static final String[] REGIONS = {"eu", "us", "apac", "EU", "latam", "us"};
    private static final String[] DOMAINS = {"example.com", "Example.COM", "mail.test", "shop.io"};
    private static final String[] CATEGORIES = {"books", "Books", "toys", "garden", "électronique", "Electronique", "food"};
    private static final String[] ADJECTIVES = {"Red", "blue", "Große", "tiny", "Ökologisch", "smart", "Smart"};
    private static final String[] NOUNS = {"Lamp", "chair", "Buch", "Café set", "robot", "Robot", "kite", "tea"};
    private static final String[] STATUSES = {"new", "paid", "shipped", "cancelled", "returned", "paid", "shipped"};
    private static final String[] KINDS = {"login", "click", "purchase", "Click", "logout", "search"};
    private static final String[] PAGES = {"/home", "/cart", "/p/1", "/Home", "/search?q=é"};

    private DifferentialDataset() {}

    /** Every statement that makes the dataset: the DDL, then multi-row INSERTs. */
    static List<String> statements() {
        List<String> out = new ArrayList<>(DDL);
        out.addAll(inserts());
        return out;
    }

    /** Drops the tables if there, then creates and fills them through {@code c}. */
    static void load(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String table : TABLES.reversed()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
            for (String statement : statements()) {
                s.execute(statement);
            }
        }
    }

    /** The rows, as INSERTs of up to {@value #ROWS_PER_INSERT} rows each. */
    static List<String> inserts() {
        Random r = new Random(SEED);
        List<String> out = new ArrayList<>();
        batch(out, "customer (id, name, email, region, score, created)", CUSTOMERS, i -> customer(r, i + 1));
        batch(out, "product (sku, title, category, list_price)", PRODUCTS, i -> product(r, i));
        batch(out, "corder (id, customer_id, sku, price, qty, discount, status, created)", ORDERS, i -> order(r, i + 1));
        batch(out, "event (id, customer_id, kind, payload)", EVENTS, i -> event(r, i + 1));
        return out;
    }

    private static void batch(List<String> out, String into, int rows, Function<Integer, String> row) {
        StringBuilder sb = null;
        for (int i = 0; i < rows; i++) {
            if (i % ROWS_PER_INSERT == 0) {
                if (sb != null) {
                    out.add(sb.toString());
                }
                sb = new StringBuilder("INSERT INTO ").append(into).append(" VALUES ");
            } else {
                sb.append(", ");
            }
            sb.append(row.apply(i));
        }
        if (sb != null) {
            out.add(sb.toString());
        }
    }

    private static String customer(Random r, int id) {
        String name = r.nextInt(20) == 0 ? null : pick(r, NAMES);
        String email = null;
        if (r.nextInt(12) != 0) {
            String local = name == null ? "anon" : name.strip().toLowerCase().replaceAll("[^a-z]", "");
            // a pool of a few hundred addresses for 300 customers: duplicates, some differing only in case
            email = (r.nextInt(5) == 0 ? local.toUpperCase() : local) + (r.nextInt(40)) + "@" + pick(r, DOMAINS);
        }
        String region = r.nextInt(15) == 0 ? null : pick(r, REGIONS);
        String score = r.nextInt(10) == 0 ? null : Integer.toString(r.nextInt(201) - 100);
        String created = r.nextInt(20) == 0 ? null : date(r, 2023, 3);
        return "(" + id + ", " + str(name) + ", " + str(email) + ", " + str(region) + ", " + (score == null ? "NULL" : score)
                + ", " + str(created) + ")";
    }

    /** SKU-000 to SKU-049, and ten lower-case sku-000 to sku-009 that equal them only in a case-insensitive collation. */
    static String sku(int i) {
        return i < 50 ? String.format("SKU-%03d", i) : String.format("sku-%03d", i - 50);
    }

    private static String product(Random r, int i) {
        String title = r.nextInt(15) == 0 ? null : pick(r, ADJECTIVES) + " " + pick(r, NOUNS);
        String category = r.nextInt(10) == 0 ? null : pick(r, CATEGORIES);
        String price = r.nextInt(12) == 0 ? null : money(r, 1, 300);
        return "(" + str(sku(i)) + ", " + str(title) + ", " + str(category) + ", " + (price == null ? "NULL" : price) + ")";
    }

    private static String order(Random r, int id) {
        int customer = r.nextInt(10) == 0 ? CUSTOMERS + 1 + r.nextInt(30) : 1 + r.nextInt(CUSTOMERS); // 10% orphans
        int skuRoll = r.nextInt(30);
        String sku = skuRoll == 0 ? null : skuRoll == 1 ? "SKU-999" : sku(r.nextInt(PRODUCTS));
        String price = r.nextInt(25) == 0 ? "NULL" : r.nextInt(12) == 0 ? money(r, -50, 0) : money(r, 0, 500);
        int qty = r.nextInt(15) == 0 ? -1 - r.nextInt(3) : r.nextInt(11);
        String discount = r.nextInt(6) == 0 ? "NULL" : Double.toString(r.nextInt(5) * 0.125);
        String created = r.nextInt(30) == 0 ? null : r.nextInt(8) == 0
                ? "2024-06-01 12:00:00" // a block of exact ties
                : date(r, 2024, 2) + String.format(" %02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60));
        return "(" + id + ", " + customer + ", " + str(sku) + ", " + price + ", " + qty + ", " + discount + ", "
                + str(pick(r, STATUSES)) + ", " + str(created) + ")";
    }

    private static String event(Random r, int id) {
        String customer = r.nextInt(12) == 0 ? "NULL" : Integer.toString(1 + r.nextInt(CUSTOMERS + 10));
        String payload;
        int shape = r.nextInt(10);
        if (shape == 0) {
            payload = null;
        } else if (shape == 1) {
            payload = "{\"page\": \"" + pick(r, PAGES) + "\", \"nested\": {\"depth\": " + r.nextInt(4) + ", \"flag\": null}}";
        } else if (shape == 2) {
            payload = "[1, 2, " + r.nextInt(100) + "]";
        } else {
            payload = "{\"page\": \"" + pick(r, PAGES) + "\", \"ms\": " + (r.nextInt(2000) - 100) + ", \"tags\": ["
                    + (r.nextBoolean() ? "\"a\", " : "") + "\"" + (char) ('a' + r.nextInt(4)) + "\"], \"ok\": "
                    + r.nextBoolean() + (r.nextInt(4) == 0 ? ", \"amount\": " + money(r, -10, 100) : "") + "}";
        }
        return "(" + id + ", " + customer + ", " + str(pick(r, KINDS)) + ", " + str(payload) + ")";
    }

    private static String date(Random r, int fromYear, int years) {
        return String.format("%04d-%02d-%02d", fromYear + r.nextInt(years), 1 + r.nextInt(12), 1 + r.nextInt(28));
    }

    private static String money(Random r, int from, int to) {
        return BigDecimal.valueOf(from * 100L + r.nextInt((to - from) * 100 + 1), 2).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    /** A SQL string literal for MariaDB's default sql_mode (backslash escapes on), or NULL. */
    static String str(String value) {
        return value == null ? "NULL" : "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
