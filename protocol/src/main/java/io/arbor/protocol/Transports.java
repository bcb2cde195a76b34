package io.arbor.protocol;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Netty transport choice: native epoll on Linux (fewer copies and syscalls than NIO's selector, which
 * matters at tens of thousands of small queries a second), NIO elsewhere. Every channel of a loop group
 * must use the matching channel classes, so all bootstraps ask here.
 */
public final class Transports {
    private static final boolean EPOLL = Epoll.isAvailable() && !Boolean.getBoolean("arbor.nio");

    private Transports() {}

    public static EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Whether Unix domain sockets are available (epoll only). */
    public static boolean domainSockets() {
        return EPOLL;
    }

    public static Class<? extends io.netty.channel.Channel> domainSocketChannel() {
        return io.netty.channel.epoll.EpollDomainSocketChannel.class;
    }

    public static java.net.SocketAddress domainSocketAddress(String path) {
        return new io.netty.channel.unix.DomainSocketAddress(path);
    }

    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }
}
