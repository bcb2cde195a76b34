package io.arbor.it;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.cli.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test fixture: one real local Arbor cluster (gateway + {@code mariadbd} child processes) per test class.
 *
 * <p>Register it as {@code @RegisterExtension static final TestingCluster CLUSTER = new TestingCluster();}:
 * it starts the cluster in a temp dir before the class's first test, reads {@code cluster.json}, and stops
 * the cluster and deletes the dir after the class. One cluster per class (not per test) keeps the suite fast;
 * tests isolate themselves with their own table names.
 *
 * <p>With {@code -Darbor.it.clusterFile=/path/to/cluster.json} it starts nothing and targets that already
 * running cluster instead (e.g. one from {@code ./arbor up --data-dir DIR}).
 */
public final class TestingCluster implements BeforeAllCallback, AfterAllCallback,
        org.junit.jupiter.api.extension.ExecutionCondition {

    /**
     * Runs the annotated test class (a suite's subclass, e.g. {@code ShardedJdbcBehaviourIT extends JdbcBehaviourIT})
     * against a sharded {@code app}: {@link #shards} shards, and the vschema the class's static method named
     * {@link #vschema} returns applied before its first test, so that the suite's own CREATE TABLEs go through the
     * gateway to every shard. The suite's {@code static TestingCluster} is shared with its subclass: JUnit runs the two
     * classes one after the other, each with a cluster of its own shape.
     */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    public @interface Sharded {
        int shards() default 2;

        /**
         * The name of a static no-argument method of the class returning the vschema's JSON. Its sequence tables are
         * created on the shards and seeded before it is applied ({@link ShardedSuites#apply}).
         */
        String vschema() default "vschema";

        /**
         * The name of an optional static no-argument method of the class returning a {@code Map<String, Long>}: the
         * first id of a sequence table (a suite's {@code AUTO_INCREMENT = 1000}); the others start at 1.
         */
        String firstIds() default "firstIds";

        /**
         * Tests of the suite the sharded path cannot pass yet, each {@code "method: why"} or {@code "method [display
         * name]: why"} (one invocation of a parameterized test): skipped with that reason, so that the rest of the
         * suite guards what works, and the list says what is left (issue 11's notes). Remove an entry once it passes;
         * {@code -Darbor.it.runBlocked=true} runs them all, to see which do.
         */
        String[] blocked() default {};
    }

    /** Skips the tests {@link Sharded#blocked} names, with their reasons; everything else runs. */
    @Override
    public org.junit.jupiter.api.extension.ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Sharded sharded = context.getTestClass().map(c -> c.getAnnotation(Sharded.class)).orElse(null);
        if (sharded == null || context.getTestMethod().isEmpty() || Boolean.getBoolean("arbor.it.runBlocked")) {
            return org.junit.jupiter.api.extension.ConditionEvaluationResult.enabled("not a blocked test");
        }
        String method = context.getTestMethod().get().getName();
        for (String entry : sharded.blocked()) {
            String what = entry.substring(0, entry.indexOf(':')).trim();
            String name = what.contains("[") ? what.substring(0, what.indexOf('[')).trim() : what;
            String display = what.contains("[") ? what.substring(what.indexOf('[') + 1, what.lastIndexOf(']')) : null;
            // JUnit quotes text arguments in display names ("x"), or not, by version: compared without quotes
            if (name.equals(method) && (display == null || context.getDisplayName().replace("\"", "").contains(display))) {
                return org.junit.jupiter.api.extension.ConditionEvaluationResult.disabled("blocked on the sharded path:"
                        + entry.substring(entry.indexOf(':') + 1));
            }
        }
        return org.junit.jupiter.api.extension.ConditionEvaluationResult.enabled("not a blocked test");
    }

    /** The two JDBC drivers users connect with. */
    public enum Driver {
        MYSQL("jdbc:mysql"),
        MARIADB("jdbc:mariadb");

        private final String scheme;

        Driver(String scheme) {
            this.scheme = scheme;
        }

        public String scheme() {
            return scheme;
        }
    }

    /** {@code cluster.json} as written by {@link LocalCluster}; unknown keys (added by later issues) are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ClusterInfo(
            Endpoint mysql, Endpoint http, String user, String password, String database, List<Tablet> tablets) {
        public ClusterInfo {
            requireNonNull(mysql, "mysql is null");
            requireNonNull(http, "http is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
            requireNonNull(database, "database is null");
            tablets = List.copyOf(requireNonNull(tablets, "tablets is null"));
        }
    }

    /** A listener address; {@code host} defaults to 127.0.0.1 where cluster.json omits it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Endpoint(String host, int port) {
        public Endpoint {
            host = host == null ? "127.0.0.1" : host;
        }
    }

    /** One tablet entry of cluster.json. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tablet(String database, String branch, String shard, String role, Mysqld mysqld) {}

    /** How to reach a tablet's MariaDB directly, bypassing the gateway. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mysqld(int port, String socket, String user, String password) {}

    /**
     * On every JDBC URL: timeouts, so that a hung gateway fails a test instead of hanging the build, and RSA key
     * retrieval, which a {@code caching_sha2_password} full authentication without TLS needs (both drivers).
     */
    private static final String DEFAULT_PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true";

    /**
     * MySQL Connector/J uses TLS whenever the server offers it ({@code sslMode=PREFERRED}); MariaDB Connector/J
     * only on request. Plain connections by default keep each test about one thing: the TLS tests ask for TLS.
     */
    private static final String MYSQL_DEFAULT_SSL = "sslMode=DISABLED";

    private final java.util.function.UnaryOperator<LocalCluster.Options> options;
    /** Users besides the cluster's own, on its database's main branch: name to password. */
    private final java.util.Map<String, String> users = new java.util.LinkedHashMap<>();
    private Path dataDir;
    private LocalCluster cluster;
    private ClusterInfo info;

    /** A cluster with the default options. */
    public TestingCluster() {
        this(o -> o);
    }

    /** A cluster whose options the test class adjusts (pool size, limits, features). */
    public TestingCluster(java.util.function.UnaryOperator<LocalCluster.Options> options) {
        this.options = options;
    }

    /**
     * Adds users (each with a random password, see {@link #password(String)}) to the cluster's database before it
     * starts, written into its topology as the control plane would: for tests of what one user may see of another's.
     */
    public TestingCluster withUsers(String... names) {
        for (String name : names) {
            users.put(name, io.arbor.control.ControlPlane.password(20));
        }
        return this;
    }

    /** The password of a user added with {@link #withUsers}. */
    public String password(String user) {
        return java.util.Objects.requireNonNull(users.get(user), "no such test user: " + user);
    }

    /** A MariaDB Connector/J connection through the gateway as {@code user} (one of {@link #withUsers}). */
    public Connection connectAs(String user, String extraParams) throws SQLException {
        return connect(gatewayJdbcUrl(Driver.MARIADB, extraParams), user, password(user));
    }

    /** The running cluster (null when the tests target an external one). */
    public LocalCluster cluster() {
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String external = System.getProperty("arbor.it.clusterFile");
        Path json;
        if (external != null && !external.isBlank()) {
            json = Path.of(external);
        } else {
            dataDir = Files.createTempDirectory("arbor-it-");
            if (!users.isEmpty()) {
                io.arbor.topo.LocalTopoStore topo = new io.arbor.topo.LocalTopoStore(dataDir.resolve("topo.json"));
                topo.update(t -> {
                    io.arbor.topo.Topology next = t;
                    for (var u : users.entrySet()) {
                        next = next.withCredential(io.arbor.topo.Credential.of(u.getKey(), u.getValue(), "app", "main"));
                    }
                    return next;
                });
            }
            Sharded sharded = context.getRequiredTestClass().getAnnotation(Sharded.class);
            try {
                LocalCluster.Options o = options.apply(new LocalCluster.Options(dataDir, 0, 0));
                cluster = LocalCluster.start(sharded == null ? o : o.withShards(sharded.shards()));
                if (sharded != null) {
                    ShardedSuites.apply(cluster, parse(cluster.clusterFile()), context.getRequiredTestClass(), sharded);
                }
            } catch (Exception | Error e) {
                if (cluster != null) {
                    cluster.close();
                    cluster = null;
                }
                deleteRecursively(dataDir);
                dataDir = null;
                throw e;
            }
            json = cluster.clusterFile();
        }
        if (!Files.isRegularFile(json)) {
            throw new IllegalStateException("cluster started but wrote no cluster file at " + json);
        }
        info = parse(json);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            cluster = null;
            if (dataDir != null && !Boolean.getBoolean("arbor.it.keepData")) {
                deleteRecursively(dataDir);
            }
        }
    }

    static ClusterInfo parse(Path json) throws IOException {
        return new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .readValue(json.toFile(), ClusterInfo.class);
    }

    public ClusterInfo info() {
        if (info == null) {
            throw new IllegalStateException("cluster not started: register TestingCluster with @RegisterExtension static");
        }
        return info;
    }

    public String host() {
        return info().mysql().host();
    }

    public int mysqlPort() {
        return info().mysql().port();
    }

    public int httpPort() {
        return info().http().port();
    }

    public String user() {
        return info().user();
    }

    public String password() {
        return info().password();
    }

    public String database() {
        return info().database();
    }

    /**
     * The primary tablet of {@code app/main/0}, i.e. the MariaDB the gateway routes the default database to; of a
     * sharded {@code app}, its first shard's.
     */
    public Tablet primary() {
        return info().tablets().stream()
                .filter(t -> "primary".equals(t.role()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no primary tablet in cluster.json: " + info()));
    }

    /**
     * The primary tablet of each shard of the cluster's database's main branch, in key range order: one for an unsharded
     * {@code app}. For checks of what landed in MariaDB that must see every shard's rows ({@link #direct(Tablet)}).
     */
    public List<Tablet> primaries() {
        return info().tablets().stream()
                .filter(t -> "primary".equals(t.role()) && database().equals(t.database())
                        && "main".equals(t.branch()))
                .toList();
    }

    /** A connection straight to {@code tablet}'s MariaDB (no gateway) as the tablet's user. */
    public Connection direct(Tablet tablet) throws SQLException {
        return connect(url(Driver.MARIADB, "127.0.0.1", tablet.mysqld().port(), tablet.database(), ""),
                tablet.mysqld().user(), tablet.mysqld().password());
    }

    public Mysqld mysqld() {
        return primary().mysqld();
    }

    /** JDBC URL of the Arbor gateway; {@code extraParams} like {@code "useServerPrepStmts=true&x=y"} or empty. */
    public String gatewayJdbcUrl(Driver driver, String extraParams) {
        return url(driver, host(), mysqlPort(), database(), extraParams);
    }

    /** JDBC URL of the primary tablet's MariaDB itself, for comparing what the gateway returns. */
    public String directJdbcUrl(Driver driver, String extraParams) {
        return url(driver, "127.0.0.1", mysqld().port(), primary().database(), extraParams);
    }

    /** A connection through the gateway as the cluster's user. */
    public Connection gateway(Driver driver, String extraParams) throws SQLException {
        return connect(gatewayJdbcUrl(driver, extraParams), user(), password());
    }

    /** A connection straight to MariaDB (no gateway) as the tablet's user. */
    public Connection direct(Driver driver, String extraParams) throws SQLException {
        return connect(directJdbcUrl(driver, extraParams), mysqld().user(), mysqld().password());
    }

    /** A connection straight to MariaDB with its own driver, for checking what really happened there. */
    public Connection direct() throws SQLException {
        return direct(Driver.MARIADB, "");
    }

    public static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(url, props);
    }

    private static String url(Driver driver, String host, int port, String database, String extraParams) {
        String extra = extraParams == null ? "" : extraParams;
        String params = DEFAULT_PARAMS;
        if (driver == Driver.MYSQL && !extra.contains("sslMode=")) {
            params += "&" + MYSQL_DEFAULT_SSL;
        }
        if (!extra.isEmpty()) {
            params += "&" + extra;
        }
        return driver.scheme() + "://" + host + ":" + port + "/" + database + "?" + params;
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    /**
     * An HTTP client of {@code version} that trusts any server certificate: for tests of the self-signed
     * gateway certificate, which check the channel and protocol, not the trust chain.
     */
    public static java.net.http.HttpClient trustingHttpClient(java.net.http.HttpClient.Version version) throws Exception {
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return java.net.http.HttpClient.newBuilder().version(version).sslContext(ssl).build();
    }
}
