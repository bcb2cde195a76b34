package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One authentication on the server side, for a login or a COM_CHANGE_USER: the client's response, auth switches,
 * caching_sha2's fast and full (RSA or TLS) paths and mysql_native_password, up to a verdict. Every verdict, on
 * every path, goes through the {@link AuthThrottle}: a throttled answer (OK or ERR alike) is sent later from a
 * timer, never by blocking the event loop, and an attempt the throttle blocks gets 3955 at once, right password
 * or not. Runs on the connection's event loop.
 */
final class LoginExchange {
    private static final Logger log = LoggerFactory.getLogger(LoginExchange.class);

    private enum Step { RESPONSE, SWITCHED, SHA2_FULL, DECIDED }

    private final ClientConnection conn;
    /** The scramble the client's password proof must match: the greeting's, or a fresh one per COM_CHANGE_USER. */
    private final byte[] nonce = Scrambles.nonce();
    private HandshakeResponse login;
    private Step step;

    private LoginExchange(ClientConnection conn, Step step) {
        this.conn = conn;
        this.step = step;
    }

    /** The exchange of a new connection, whose greeting carries {@link #nonce()}. */
    static LoginExchange first(ClientConnection conn) {
        return new LoginExchange(conn, Step.RESPONSE);
    }

    /**
     * A COM_CHANGE_USER: always an auth switch to {@code caching_sha2_password} with a fresh scramble, so that its
     * proof can never be one replayed from the first login.
     */
    static LoginExchange changeUser(ClientConnection conn, HandshakeResponse request, int seq) {
        LoginExchange x = new LoginExchange(conn, Step.SWITCHED);
        x.login = request;
        conn.writer().write(seq, Auth.switchRequest(conn.channel().alloc(), Auth.CACHING_SHA2, x.nonce));
        conn.writer().flush();
        return x;
    }

    byte[] nonce() {
        return nonce;
    }

    /** One client packet of the exchange (the caller releases it); a {@link MySqlException} refuses the login. */
    void onPacket(Packet packet) {
        int seq = packet.sequenceId() + 1;
        switch (step) {
            case RESPONSE -> response(packet, seq);
            case SWITCHED -> {
                byte[] response = new byte[packet.length()];
                packet.payload().getBytes(packet.payload().readerIndex(), response);
                sha2Scramble(seq, credentials(), response);
            }
            case SHA2_FULL -> sha2Full(packet, seq);
            case DECIDED -> throw MySqlError.ER_HANDSHAKE.exception("unexpected packet during login");
        }
    }

    private void response(Packet packet, int seq) {
        ByteBuf p = packet.payload();
        int caps = p.readableBytes() >= 4 ? p.getIntLE(p.readerIndex()) : 0;
        if (p.readableBytes() == 32 && Capabilities.has(caps, Capabilities.SSL)) {
            startTls();
            return;
        }
        login = HandshakeResponse.parse(p);
        String plugin = login.authPlugin() == null ? Auth.CACHING_SHA2 : login.authPlugin();
        UserCredentials creds = credentials();
        switch (plugin) {
            case Auth.CACHING_SHA2 -> sha2Scramble(seq, creds, login.authResponse());
            case Auth.NATIVE -> decide(creds != null && Scrambles.checkNative(login.authResponse(), nonce, creds.nativeStage2()),
                    login.authResponse(), seq, () -> conn.loggedIn(login, seq));
            default -> {
                step = Step.SWITCHED;
                conn.writer().write(seq, Auth.switchRequest(conn.channel().alloc(), Auth.CACHING_SHA2, nonce));
                conn.writer().flush();
            }
        }
    }

    private void sha2Scramble(int seq, UserCredentials creds, byte[] response) {
        if (creds == null || response.length == 0) {
            decide(false, response, seq, null);
            return;
        }
        if (conn.config().sha2FastPath() || conn.sha2Cache().contains(creds)) {
            decide(Scrambles.checkSha2(response, nonce, creds.sha2Stage2()), response, seq, () -> {
                conn.writer().write(seq, conn.channel().alloc().buffer(2).writeByte(0x01).writeByte(0x03));
                conn.loggedIn(login, seq + 1);
            });
            return;
        }
        step = Step.SHA2_FULL;
        conn.writer().write(seq, conn.channel().alloc().buffer(2).writeByte(0x01).writeByte(0x04));
        conn.writer().flush();
    }

    private void sha2Full(Packet packet, int seq) {
        ByteBuf p = packet.payload();
        if (p.readableBytes() == 1 && p.getByte(p.readerIndex()) == 0x02) {
            byte[] pem = Auth.publicKeyPem(conn.config().rsaKeys()).getBytes(StandardCharsets.US_ASCII);
            conn.writer().write(seq, conn.channel().alloc().buffer(pem.length + 1).writeByte(0x01).writeBytes(pem));
            conn.writer().flush();
            return;
        }
        byte[] data = new byte[p.readableBytes()];
        p.getBytes(p.readerIndex(), data);
        byte[] password = tlsActive() ? Auth.stripNul(data) : Auth.rsaDecryptPassword(conn.config().rsaKeys(), data, nonce);
        UserCredentials creds = credentials();
        boolean right = creds != null && password != null && Scrambles.checkSha2Cleartext(password, creds.sha2Stage2());
        decide(right, data, seq, () -> {
            conn.sha2Cache().add(creds);
            conn.loggedIn(login, seq);
        });
    }

    /**
     * The verdict on the client's {@code proof}: {@code success} or an access-denied ERR with {@code seq}, at once
     * for an unthrottled key, else at the key's turn (see {@link AuthThrottle}); a packet the client sends
     * meanwhile ends the login.
     */
    private void decide(boolean right, byte[] proof, int seq, Runnable success) {
        step = Step.DECIDED;
        long wait = conn.throttle().attempt(login.user(), clientAddress(), right);
        if (wait == AuthThrottle.BLOCKED) {
            conn.refuse(seq, MySqlError.ER_ACCOUNT_BLOCKED.exception(ClientText.of(login.user()), clientHost()));
            return;
        }
        Runnable answer;
        if (right) {
            answer = success;
        } else {
            MySqlException denied = denied(proof.length > 0);
            answer = () -> conn.refuse(seq, denied);
        }
        if (wait == 0) {
            answer.run();
        } else {
            conn.channel().eventLoop().schedule(() -> {
                if (conn.channel().isActive()) {
                    answer.run();
                }
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The client's SSLRequest: TLS goes in front of the decoder, and the start of the ClientHello, which may
     * have come in the same read as the SSLRequest (single-decode left it undecoded), goes to the TLS handler.
     */
    private void startTls() {
        if (conn.config().sslContext() == null) {
            throw MySqlError.ER_HANDSHAKE.exception("TLS is not configured on this server");
        }
        Channel channel = conn.channel();
        channel.pipeline().addFirst("ssl", conn.config().sslContext().newHandler(channel.alloc()));
        ByteBuf early = channel.pipeline().get(PacketDecoder.class).takeUndecoded();
        if (early.isReadable()) {
            channel.pipeline().fireChannelRead(early);
        } else {
            early.release();
        }
    }

    private boolean tlsActive() {
        return conn.channel().pipeline().get(SslHandler.class) != null;
    }

    private InetAddress clientAddress() {
        return conn.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** The client's address as errors and logs show it. */
    private String clientHost() {
        return conn.channel().remoteAddress() instanceof InetSocketAddress a ? ClientText.of(a.getHostString()) : "unknown";
    }

    private UserCredentials credentials() {
        return conn.sessions().credentials(login.user());
    }

    private MySqlException denied(boolean usingPassword) {
        String user = ClientText.of(login.user());
        String host = clientHost();
        log.info("connection {}: access denied for user '{}' from {}", conn.connectionId(), user, host);
        return MySqlError.ER_ACCESS_DENIED.exception(user, host, usingPassword ? "YES" : "NO");
    }
}
