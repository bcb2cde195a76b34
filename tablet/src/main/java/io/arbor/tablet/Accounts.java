package io.arbor.tablet;

import io.arbor.topo.MysqldAccount;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The only accounts a tablet's mariadbd has, and the SQL that makes them so: the admin account (Arbor's
 * own work: bootstrap, grants, kills, probes; all privileges), the branch's tenant account (client traffic:
 * rows and schema of the branch's database only), and MariaDB's locked {@code mariadb.sys}. Every other
 * account (root, anonymous, older Arbor versions' {@code arbor_client}) is dropped.
 *
 * <p>The tenant has no database-level DROP, which would let dynamic SQL the gateway cannot read run
 * {@code DROP DATABASE}; it gets DROP on each table and view instead ({@link #grantDrop}), which allows
 * DROP / TRUNCATE / RENAME TABLE and CREATE OR REPLACE of that object but not dropping the database.
 */
final class Accounts {
    /** Socket connections arrive as localhost, TCP ones (transports without Unix sockets) as 127.0.0.1. */
    static final List<String> HOSTS = List.of("localhost", "127.0.0.1");
    /** What the tenant may do on its database: no DROP (see above), no routines, triggers or events. */
    static final String TENANT_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, CREATE TEMPORARY TABLES,"
            + " LOCK TABLES, CREATE VIEW, SHOW VIEW, DELETE HISTORY";
    private static final int MAX_USER = 32;

    private final MysqldAccount admin;
    private final MysqldAccount tenant;
    private final String database;

    Accounts(MysqldAccount admin, String database, String branch) {
        this.admin = requireNonNull(admin, "admin is null");
        this.database = requireNonNull(database, "database is null");
        this.tenant = tenant(admin, database, requireNonNull(branch, "branch is null"));
    }

    MysqldAccount admin() {
        return admin;
    }

    MysqldAccount tenant() {
        return tenant;
    }

    /**
     * The tenant account of a branch: {@code b_<database>_<branch>} when that is plain {@code [a-z0-9_]} of at
     * most 32 characters; otherwise a readable prefix and a hash of both names, so it stays short and unique.
     * Its password is derived from the admin password (HMAC-SHA256), so the topology keeps one secret per tablet.
     */
    static MysqldAccount tenant(MysqldAccount admin, String database, String branch) {
        String user = tenantUser(database, branch);
        byte[] digest = hmac(admin.password(), "arbor tenant account\0" + database + "\0" + branch);
        return new MysqldAccount(user, HexFormat.of().formatHex(digest, 0, 16));
    }

    static String tenantUser(String database, String branch) {
        String plain = "b_" + database + "_" + branch;
        if (plain.length() <= MAX_USER && plain.matches("[a-z0-9_]+")) {
            return plain;
        }
        String hash = HexFormat.of().formatHex(sha256(database + "\0" + branch), 0, 5);
        String readable = plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return readable.substring(0, Math.min(readable.length(), MAX_USER - hash.length() - 1)) + "_" + hash;
    }

    /**
     * The idempotent bootstrap script: the admin and tenant accounts with their passwords and grants, the
     * database, {@code mariadb.sys} locked, and every other account dropped (their names printed, one
     * line, {@code NULL} when none). Runs as root on a fresh data dir, as the admin account afterwards.
     */
    String script() {
        List<String> sql = new ArrayList<>();
        for (String host : HOSTS) {
            String a = account(admin.user(), host);
            sql.add("CREATE USER IF NOT EXISTS " + a + " IDENTIFIED BY " + literal(admin.password()));
            sql.add("ALTER USER " + a + " IDENTIFIED BY " + literal(admin.password()) + " ACCOUNT UNLOCK");
            sql.add("GRANT ALL PRIVILEGES ON *.* TO " + a + " WITH GRANT OPTION");
        }
        sql.add("CREATE DATABASE IF NOT EXISTS " + identifier(database));
        for (String host : HOSTS) {
            String t = account(tenant.user(), host);
            sql.add("CREATE USER IF NOT EXISTS " + t + " IDENTIFIED BY " + literal(tenant.password()));
            sql.add("ALTER USER " + t + " IDENTIFIED BY " + literal(tenant.password()) + " ACCOUNT UNLOCK");
            // Whatever it held before (older versions granted PROCESS and database-level DROP) goes, table-level
            // DROP grants included: the tablet grants those again right after (Tablet.syncDropGrants).
            sql.add("REVOKE ALL PRIVILEGES, GRANT OPTION FROM " + t);
            sql.add("GRANT " + TENANT_PRIVILEGES + " ON " + identifier(database) + ".* TO " + t);
        }
        // mariadb.sys owns the mysql.user view; it only needs to exist, never to log in.
        sql.add("ALTER USER IF EXISTS 'mariadb.sys'@'localhost' ACCOUNT LOCK");
        String foreign = "FROM mysql.global_priv WHERE NOT (" + ours(admin.user()) + " OR " + ours(tenant.user())
                + " OR (User = 'mariadb.sys' AND Host = 'localhost'))";
        // JSON_EXTRACT gives the JSON text ('true'), JSON_VALUE would give 1; absent on users.
        String role = "IFNULL(JSON_EXTRACT(Priv, '$.is_role'), 'false') = 'true'";
        sql.add("SET @arbor_users = (SELECT GROUP_CONCAT(QUOTE(User), '@', QUOTE(Host)) " + foreign + " AND NOT " + role + ")");
        sql.add("SET @arbor_roles = (SELECT GROUP_CONCAT(QUOTE(User)) " + foreign + " AND " + role + ")");
        sql.add("EXECUTE IMMEDIATE IF(@arbor_users IS NULL, 'DO 0', CONCAT('DROP USER ', @arbor_users))");
        sql.add("EXECUTE IMMEDIATE IF(@arbor_roles IS NULL, 'DO 0', CONCAT('DROP ROLE ', @arbor_roles))");
        sql.add("SELECT CONCAT_WS(', ', @arbor_users, @arbor_roles)");
        return String.join(";\n", sql) + ";\n";
    }

    private static String ours(String user) {
        return "(User = " + literal(user) + " AND Host IN (" + String.join(", ", HOSTS.stream().map(Accounts::literal).toList()) + "))";
    }

    /** The tables and views of the database on which the tenant lacks DROP (on some host): one query. */
    String missingDropGrants() {
        return "SELECT t.TABLE_NAME FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = " + literal(database)
                + " AND (SELECT COUNT(*) FROM mysql.tables_priv p WHERE p.Db = t.TABLE_SCHEMA AND p.Table_name = t.TABLE_NAME"
                + " AND p.User = " + literal(tenant.user()) + " AND p.Host IN ("
                + String.join(", ", HOSTS.stream().map(Accounts::literal).toList())
                + ") AND FIND_IN_SET('Drop', p.Table_priv)) < " + HOSTS.size();
    }

    /** DROP on an existing table or view of the database, for the tenant on every host. */
    List<String> grantDrop(String table) {
        return grant("DROP", table);
    }

    /**
     * CREATE and DROP on a table name that may not exist yet (MariaDB takes a table-level grant on a missing
     * table only with CREATE in it): for a statement about to create it, CREATE OR REPLACE included.
     */
    List<String> grantCreateDrop(String table) {
        return grant("CREATE, DROP", table);
    }

    private List<String> grant(String privileges, String table) {
        if (table.isEmpty() || table.length() > 64) {
            throw new IllegalArgumentException("not a table name: '" + table + "'");
        }
        List<String> sql = new ArrayList<>(HOSTS.size());
        for (String host : HOSTS) {
            sql.add("GRANT " + privileges + " ON " + identifier(database) + "." + identifier(table) + " TO "
                    + account(tenant.user(), host));
        }
        return sql;
    }

    /** Every statement of {@link #grantDrop} for {@code tables}. */
    List<String> grantDrop(Collection<String> tables) {
        return tables.stream().flatMap(t -> grantDrop(t).stream()).toList();
    }

    static String account(String user, String host) {
        return literal(user) + "@" + literal(host);
    }

    /** A string literal for the default sql_mode (backslash escapes on; the tablet's my.cnf keeps it so). */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0") + "'";
    }

    static String identifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static byte[] hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
