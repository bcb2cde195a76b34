package io.arbor.protocol;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;

/** The MySQL protocol listener: accepts clients and gives each a {@link ClientConnection}. */
public final class MySqlServer implements AutoCloseable {
    private final Channel serverChannel;

    private MySqlServer(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /** @param guards shared with the gateway's other listener: connection caps, login throttle, memory budget */
    public static MySqlServer start(EventLoopGroup group, String host, int port, ServerConfig config,
                                    SessionFactory sessions, EdgeGuards guards) throws InterruptedException {
        Sha2Cache sha2Cache = new Sha2Cache();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Small packets until login (the connection raises the limit then), and one packet at
                        // a time, so a TLS upgrade never finds the ClientHello already decoded as a MySQL packet.
                        PacketDecoder decoder = new PacketDecoder(ServerConfig.PRE_AUTH_MAX_PACKET, guards.budget());
                        decoder.setSingleDecode(true);
                        ch.pipeline().addLast("packets", decoder);
                        ch.pipeline().addLast("connection", new ClientConnection(config, sessions, sha2Cache, guards));
                    }
                });
        Channel ch = b.bind(host, port).sync().channel();
        return new MySqlServer(ch);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
