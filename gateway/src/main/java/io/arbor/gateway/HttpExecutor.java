package io.arbor.gateway;

import io.arbor.gateway.http.HttpBackend;
import io.arbor.gateway.http.SessionToken;
import io.arbor.protocol.Capabilities;
import io.arbor.protocol.EdgeGuards;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseHandler;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseSource;
import io.arbor.protocol.ResponseStream;
import io.arbor.protocol.Result;
import io.arbor.protocol.ResultCollector;
import io.arbor.protocol.RowFormat;
import io.arbor.protocol.ServerStatus;
import io.arbor.sql.QueryRewriter;
import io.arbor.tablet.Execution;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.SessionSettings;
import io.arbor.tablet.SinkFactory;
import io.arbor.tablet.TabletHealth;
import io.arbor.topo.Credential;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP API's front door to the {@link Executor}: the session lives in the client's signed token, not here. Each
 * request turns the token into the gateway's {@link Session}, runs the statement as a MySQL client's would run
 * (same analysis, tablet, reservations), collects the result for the API, and returns the new token.
 */
public final class HttpExecutor implements HttpBackend {
    private final Gateway gateway;
    private final long maxBytes;

    HttpExecutor(Gateway gateway, long maxBytes) {
        this.gateway = gateway;
        this.maxBytes = maxBytes;
    }

    @Override
    public Credential authenticate(String user, String password) {
        return gateway.authenticate(user, password);
    }

    @Override
    public SortedMap<String, TabletHealth> unhealthyTablets() {
        return gateway.unhealthyTablets();
    }

    @Override
    public EdgeGuards guards() {
        return gateway.guards();
    }

    @Override
    public Duration requestTimeout() {
        return gateway.edge().httpRequestTimeout();
    }

    @Override
    public Duration idleTimeout() {
        return gateway.edge().httpIdleTimeout();
    }

    @Override
    public int maxBodyBytes() {
        return gateway.maxHttpBodyBytes();
    }

    @Override
    public SessionToken newSession(Credential user) {
        return new SessionToken(user.user(), user.database(), Map.of(), 0, null, 0, false);
    }

    @Override
    public CompletableFuture<Outcome> execute(Credential user, SessionToken token, String sql, EventLoop loop) {
        QueryService tablet = gateway.queryService(user);
        if (tablet == null) {
            return CompletableFuture.failedFuture(MySqlError.ER_NO_SERVING_TABLET.exception(gateway.sessionTarget(user),
                    "no tablet of it is running"));
        }
        Session session = session(tablet, token);
        Door door = new Door(user.user(), Access.of(user), loop, new BackendErrors(user.user(), "%", tablet.database()));
        // The API carries SQL as JSON text and sends it as UTF-8: the analysis reads those bytes, as MariaDB will.
        Executor executor = new Executor(gateway, tablet, new Commands(gateway, tablet.database()));
        return executor.query(session, QueryInspector.query(QueryInspector.bytesOf(sql)), door).thenApply(c -> {
            Result r = c.result() != null ? c.result() : c.outcome() != null ? door.result() : c.error() != null ? error(c.error())
                    : Result.ok(Result.Completion.of(ServerStatus.AUTOCOMMIT, c.session().diagnostics().warningCount()));
            if (r.isError() && c.outcome() != null) {
                r = Result.error(door.errors().translate(r.error(), false)); // as the relay words it for MySQL clients
            }
            return new Outcome(r, token(tablet, c.session()));
        });
    }

    /**
     * The gateway's session from a token: the pool's baseline, what the session set beyond it, and what it holds on
     * its own target ({@code tablet}) and on the other shards of a sharded keyspace, with its transaction there.
     */
    private static Session session(QueryService tablet, SessionToken token) {
        Map<String, String> vars = new HashMap<>(tablet.baseline());
        vars.putAll(token.variables());
        Session s = Session.of(token.user(), Capabilities.EXTENDED_METADATA_KEY, new SessionSettings(token.database(), vars), true)
                .withLastInsertId(token.lastInsertId()).withNextTransaction(token.nextTransaction());
        if (token.ddlStrategy() != null) {
            try {
                s = s.withDdlStrategy(io.arbor.sql.DdlStrategy.parse(token.ddlStrategy()));
            } catch (IllegalArgumentException e) {
                // a token signed by a gateway that knew a strategy this one does not: the default
            }
        }
        Session.Shard own = new Session.Shard(tablet.target(), token.tablet(), token.reservation(), token.inTransaction());
        SessionToken.Sharded sharded = token.sharded();
        if (sharded == null) {
            return token.reservation() == 0 ? s : s.withShard(own);
        }
        // in the token's order (least recently used first: the order COMMIT goes in), its own target's part in its place
        for (int i = 0; i <= sharded.shards().size(); i++) {
            if (i == sharded.own() && token.reservation() != 0) {
                s = s.withShard(own);
            }
            Target target = i < sharded.shards().size() ? target(sharded.shards().get(i)) : null;
            if (target != null) {
                SessionToken.Held h = sharded.shards().get(i);
                s = s.withShard(new Session.Shard(target, h.tablet(), h.reservation(), h.inTransaction()));
            }
        }
        return s.withSharded(new ShardedTransaction(mode(sharded.mode()), sharded.begin(), sharded.dtid()));
    }

    /**
     * The token of a session: only what differs from the pool's baseline travels, and only the targets that hold
     * something; its own target's part in the token's first fields (see {@link SessionToken}).
     */
    private static SessionToken token(QueryService tablet, Session s) {
        Map<String, String> out = new HashMap<>();
        Map<String, String> base = tablet.baseline();
        s.settings().variables().forEach((k, v) -> {
            if (!v.equals(base.get(k))) {
                out.put(k, v);
            }
        });
        Session.Shard own = s.shard(tablet.target());
        List<SessionToken.Held> others = new ArrayList<>();
        int ownAt = 0;
        for (Session.Shard x : s.shards()) {
            if (x.target().equals(tablet.target())) {
                ownAt = others.size();
            } else if (!x.empty()) {
                others.add(new SessionToken.Held(x.target().keyspace(), x.target().shard(), x.target().tabletType().name(),
                        x.tablet(), x.reservation(), x.inTransaction()));
            }
        }
        ShardedTransaction tx = s.sharded();
        SessionToken.Sharded sharded = new SessionToken.Sharded(others, ownAt,
                tx.mode() == TransactionMode.DEFAULT ? null : tx.mode().name(), tx.begin(), tx.dtid());
        return new SessionToken(s.user(), s.settings().database(), out, s.lastInsertId(), own.tablet(), own.reservation(),
                own.inTransaction(), s.nextTransaction(), s.ddlStrategy().managed() ? s.ddlStrategy().text() : null, sharded);
    }

    /** The target a token's entry names, or null when this gateway cannot read it (then its reservation idles out). */
    private static Target target(SessionToken.Held h) {
        try {
            return new Target(h.keyspace(), h.shard(), TabletType.valueOf(h.type()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static TransactionMode mode(String name) {
        try {
            return name == null ? TransactionMode.DEFAULT : TransactionMode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return TransactionMode.DEFAULT; // a mode a newer gateway knows: this one's default
        }
    }

    /**
     * The client closes its session: every reservation the token holds is released, each on the tablet that holds
     * it (rolled back there, its temporary tables and locks dropped), as a MySQL client's disconnect releases them.
     */
    @Override
    public void close(Credential user, SessionToken token) {
        QueryService tablet = gateway.queryService(user);
        if (tablet != null && token.reservation() != 0 && tablet.alias().equals(token.tablet())) {
            tablet.release(token.reservation());
        }
        if (token.sharded() == null) {
            return;
        }
        for (SessionToken.Held h : token.sharded().shards()) {
            Target target = target(h);
            QueryService owner = target == null || h.reservation() == 0 ? null : gateway.queryService(target);
            // ids are the tablet's own: one another tablet of the target took over never held it
            if (owner != null && owner.alias().equals(h.tablet())) {
                owner.release(h.reservation());
            }
        }
    }

    private static Result error(MySqlException e) {
        return Result.error(e);
    }

    /** The HTTP API as the executor sees it: no connection of its own, results collected, not relayed. */
    private final class Door implements FrontDoor {
        private final String user;
        private final Access access;
        private final EventLoop loop;
        private final BackendErrors errors;
        private ResultCollector collector;

        Door(String user, Access access, EventLoop loop, BackendErrors errors) {
            this.user = user;
            this.access = access;
            this.loop = loop;
            this.errors = errors;
        }

        @Override
        public Access access() {
            return access; // the credential of this request, checked against the latest topology
        }

        Result result() {
            return collector.result().join();
        }

        @Override
        public QueryRewriter.Identity identity() {
            return QueryRewriter.Identity.of(-1, user, "%");
        }

        @Override
        public boolean localInfile() {
            return false; // the HTTP backend connections never carry CLIENT_LOCAL_FILES
        }

        @Override
        public SessionCounters counters() {
            return null; // an HTTP session is a token: no counters travel with it
        }

        @Override
        public BackendErrors errors() {
            return errors;
        }

        @Override
        public SinkFactory sinks(ResponseStream.Mode mode, int clientStatementId, boolean call) {
            return new SinkFactory() {
                @Override
                public ResponseHandler create(ResponseSource source, ResponseRelay.Listener listener) {
                    collector = new ResultCollector(RowFormat.TEXT,
                            ResultCollector.Framing.of(source),
                            new ResultCollector.Limits(gateway.config().maxRows(), maxBytes));
                    return new CollectingHandler(collector, listener);
                }

                @Override
                public EventLoop loop() {
                    return loop;
                }
            };
        }

        @Override
        public void running(Execution execution) {
            // an HTTP request cannot be killed by another session
        }

        @Override
        public void info(CharSequence text) {
            // HTTP sessions have no process-list row
        }

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        public long connectionId() {
            return -1;
        }

        @Override
        public GatewaySession self() {
            return null;
        }
    }
}
