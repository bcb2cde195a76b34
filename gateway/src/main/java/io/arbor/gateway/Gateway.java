package io.arbor.gateway;

import io.arbor.protocol.Auth;
import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.ClientConnection;
import io.arbor.protocol.CommandHandler;
import io.arbor.protocol.HandshakeResponse;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlServer;
import io.arbor.protocol.ServerConfig;
import io.arbor.protocol.SessionFactory;
import io.arbor.protocol.UserCredentials;
import io.arbor.tablet.Tablet;
import io.arbor.topo.Credential;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The front door: the MySQL listener and the HTTP listener, the users who may log in, and the
 * tablets their sessions run on. Stateless apart from live sessions.
 */
public final class Gateway implements SessionFactory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Map<String, Credential> credentials;
    private final Map<String, UserCredentials> hashes;
    private final Function<Credential, Tablet> tablets;
    private final Map<Integer, GatewaySession> sessions = new ConcurrentHashMap<>();
    private final Map<Tablet, Collations> collations = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private MySqlServer mysql;
    private HealthServer http;

    /**
     * @param credentials who may log in, and on which database branch
     * @param tablets     the primary tablet serving a credential's branch
     */
    public Gateway(GatewayConfig config, List<Credential> credentials, Function<Credential, Tablet> tablets) {
        this.config = config;
        this.credentials = credentials.stream().collect(Collectors.toMap(Credential::user, c -> c, (a, b) -> a));
        this.hashes = credentials.stream().collect(Collectors.toMap(Credential::user,
                c -> UserCredentials.of(c.user(), c.password()), (a, b) -> a));
        this.tablets = tablets;
        this.group = io.arbor.protocol.Transports.group(Integer.getInteger("arbor.gateway.threads", Runtime.getRuntime().availableProcessors()));
    }

    /** Starts both listeners; TLS material lives under {@code tlsDir}. */
    public void start(Path tlsDir) throws Exception {
        SslContext ssl = Tls.serverContext(tlsDir);
        ServerConfig serverConfig = new ServerConfig(GatewayConfig.SERVER_VERSION, ssl, Auth.generateRsaKeys(),
                config.maxPacketSize(), config.sha2FastPath());
        mysql = MySqlServer.start(group, config.host(), config.mysqlPort(), serverConfig, this);
        http = HealthServer.start(group, config.host(), config.httpPort());
        log.info("gateway listening: mysql={}:{} http={}:{} transport={}", config.host(), mysql.port(), config.host(), http.port(), io.arbor.protocol.Transports.name());
    }

    public int mysqlPort() {
        return mysql.port();
    }

    public int httpPort() {
        return http.port();
    }

    GatewayConfig config() {
        return config;
    }

    GatewaySession session(int connectionId) {
        return sessions.get(connectionId);
    }

    void unregister(int connectionId) {
        sessions.remove(connectionId);
    }

    @Override
    public UserCredentials credentials(String user) {
        return hashes.get(user);
    }

    @Override
    public CompletionStage<CommandHandler> open(ClientConnection client, HandshakeResponse login) {
        Credential credential = credentials.get(login.user());
        Tablet tablet = tablets.apply(credential);
        if (tablet == null) {
            return CompletableFuture.failedFuture(MySqlError.ER_UNKNOWN.exception(
                    "branch " + credential.database() + "/" + credential.branch() + " has no serving tablet"));
        }
        String database = login.database() != null ? login.database() : credential.database();
        return tablet.pool().acquire(client.channel().eventLoop(), login.capabilities())
                .thenCompose(backend -> prepare(tablet, backend, database, login.collation())
                        .handle((ok, err) -> {
                            if (err != null) {
                                backend.close();
                                throw err instanceof java.util.concurrent.CompletionException c ? c
                                        : new java.util.concurrent.CompletionException(err);
                            }
                            GatewaySession s = new GatewaySession(this, client, tablet.pool(), backend);
                            sessions.put(client.connectionId(), s);
                            return s;
                        }));
    }

    /** Aligns a fresh or reset backend connection with the client: database and character set. */
    private CompletableFuture<Void> prepare(Tablet tablet, BackendConnection backend, String database, int collation) {
        CompletableFuture<Collations> known = collations.containsKey(tablet)
                ? CompletableFuture.completedFuture(collations.get(tablet))
                : Collations.load(backend).thenApply(c -> {
                    collations.put(tablet, c);
                    return c;
                });
        return known.thenCompose(c -> {
            String setNames = c.setNames(collation);
            CompletableFuture<?> use = backend.query("USE `" + database.replace("`", "``") + "`");
            CompletableFuture<?> names = setNames == null ? CompletableFuture.completedFuture(null) : backend.query(setNames);
            return CompletableFuture.allOf(use, names);
        });
    }

    @Override
    public void close() {
        if (mysql != null) {
            mysql.close();
        }
        if (http != null) {
            http.close();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
