package io.arbor.control.rest;

import io.arbor.protocol.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * The control plane's HTTP listener: Netty's HTTP/1.1 codec and aggregator, then {@link ControlApi} on a virtual
 * thread per request (it blocks on the topology, which must not stall the event loop), the response written back
 * from there. Requests are small JSON documents: bodies over 1 MiB are refused by the aggregator (413).
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_BODY = 1 << 20;

    private final ControlApi api;
    private final EventLoopGroup group = Transports.group(1);
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("arbor-control-api-", 0).factory());
    private Channel channel;

    public ControlServer(ControlApi api) {
        this.api = requireNonNull(api, "api is null");
    }

    /** Listens on 127.0.0.1:{@code port} (0 = any free port); returns the port. */
    public int start(int port) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY), new Handler());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        int bound = port();
        log.info("control plane API listening on 127.0.0.1:{}", bound);
        return bound;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        work.shutdownNow();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * One per connection; shares the connection's event loop, so {@code previous} needs no lock. Requests of one
     * connection run one after another (pipelined ones too), so their responses go out in order.
     */
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            boolean keepAlive = HttpUtil.isKeepAlive(msg);
            QueryStringDecoder uri = new QueryStringDecoder(msg.uri());
            java.util.Map<String, String> query = new java.util.HashMap<>();
            uri.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.getFirst()));
            ControlApi.Request request = new ControlApi.Request(msg.method().name(), uri.path(),
                    msg.headers().get(HttpHeaderNames.AUTHORIZATION), msg.content().toString(StandardCharsets.UTF_8), query);
            previous = previous.thenRunAsync(() -> {
                ControlApi.Response response = api.handle(request);
                byte[] body = response.text().getBytes(StandardCharsets.UTF_8);
                FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
                if (response.body() != null) {
                    out.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
                }
                HttpUtil.setContentLength(out, body.length);
                HttpUtil.setKeepAlive(out, keepAlive);
                var written = ctx.writeAndFlush(out);
                if (!keepAlive) {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
            }, work).exceptionally(e -> {
                log.warn("control API: {} {} failed", request.method(), request.path(), e);
                ctx.close();
                return null;
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("control API connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
