package io.arbor.gateway.http;

import io.arbor.protocol.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;

/**
 * The gateway's HTTP listener: {@code GET /health} and PlanetScale's HTTP query API (see {@link ApiHandler}).
 * HTTP/1.1 with keep-alive and HTTP/2, over TLS when configured; responses are gzip-compressed when the client
 * accepts it. How each connection finds its protocol: {@link ApiChannelInitializer}.
 */
public final class HttpApiServer implements AutoCloseable {
    /**
     * The ALPN offer for the TLS context: h2 first, else HTTP/1.1. A client that offers neither, or no ALPN at all
     * (any MySQL client when the MySQL listener shares the context), is not refused and gets no protocol chosen.
     */
    public static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private final Channel channel;

    private HttpApiServer(Channel channel) {
        this.channel = channel;
    }

    /** @param tls null for plain HTTP; built with {@link #ALPN}, or clients get HTTP/1.1 only */
    public static HttpApiServer start(EventLoopGroup group, String host, int port, HttpBackend backend, byte[] sessionSecret, SslContext tls)
            throws InterruptedException {
        Channel ch = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ApiChannelInitializer(backend, sessionSecret, tls))
                .bind(host, port).sync().channel();
        return new HttpApiServer(ch);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
