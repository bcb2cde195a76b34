package io.arbor.protocol;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

import java.net.SocketAddress;

/**
 * Netty transport choice. Default: native epoll on Linux (fewer copies and syscalls than NIO's selector,
 * which matters at tens of thousands of small queries a second), NIO elsewhere. {@code -Darbor.transport=}
 * {@code io_uring|epoll|nio} overrides it. Every channel of a loop group must use the matching channel
 * classes, so all bootstraps ask here.
 */
public final class Transports {
    private enum Kind { IO_URING, EPOLL, NIO }

    private static final Kind KIND = choose();

    private Transports() {}

    private static Kind choose() {
        String wanted = System.getProperty("arbor.transport", "epoll");
        if (wanted.equals("io_uring") && IoUring.isAvailable()) {
            return Kind.IO_URING;
        }
        if (!wanted.equals("nio") && Epoll.isAvailable()) {
            return Kind.EPOLL;
        }
        return Kind.NIO;
    }

    public static EventLoopGroup group(int threads) {
        IoHandlerFactory factory = switch (KIND) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return switch (KIND) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return switch (KIND) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** Whether Unix domain sockets are available to backend connections (native transports only). */
    public static boolean domainSockets() {
        return KIND != Kind.NIO;
    }

    public static Class<? extends Channel> domainSocketChannel() {
        return KIND == Kind.IO_URING ? io.netty.channel.uring.IoUringDomainSocketChannel.class
                : EpollDomainSocketChannel.class;
    }

    public static SocketAddress domainSocketAddress(String path) {
        return new DomainSocketAddress(path);
    }

    public static String name() {
        return KIND.name().toLowerCase(java.util.Locale.ROOT);
    }
}
