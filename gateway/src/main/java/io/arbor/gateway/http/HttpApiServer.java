package io.arbor.gateway.http;

import io.arbor.gateway.Gateway;
import io.arbor.gateway.HttpExecutor;
import io.arbor.protocol.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;

/**
 * The gateway's HTTP listener: {@code GET /health} and PlanetScale's HTTP query API (see {@link ApiHandler}).
 * HTTP/1.1 with keep-alive, over TLS when configured; responses are gzip-compressed when the client accepts it.
 */
public final class HttpApiServer implements AutoCloseable {
    private final Channel channel;

    private HttpApiServer(Channel channel) {
        this.channel = channel;
    }

    public static HttpApiServer start(EventLoopGroup group, String host, int port, Gateway gateway,
                                      HttpExecutor executor, byte[] sessionSecret, SslContext tls)
            throws InterruptedException {
        int maxBody = gateway.maxHttpBodyBytes();
        Channel ch = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        if (tls != null) {
                            c.pipeline().addLast(tls.newHandler(c.alloc()));
                        }
                        c.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpContentCompressor(), new TooLargeHandler(maxBody),
                                new HttpObjectAggregator(maxBody), new ApiHandler(gateway, executor, sessionSecret));
                    }
                }).bind(host, port).sync().channel();
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
