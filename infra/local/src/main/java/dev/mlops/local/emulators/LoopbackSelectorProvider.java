package dev.mlops.local.emulators;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * The JDK's own channels, except that a server socket asked to listen on every interface listens on loopback only.
 * S3Mock opens its HTTP connector (the port the stack uses) with no address, which Tomcat binds to every
 * interface, and S3Mock has no setting for it; its JVM is started with
 * {@code -Djava.nio.channels.spi.SelectorProvider=} this class (and {@code --add-exports
 * java.base/sun.nio.ch=ALL-UNNAMED}, to reach the JDK's default provider it wraps), so nothing it serves is
 * reachable from the network. Only JDK classes are used: it runs on S3Mock's class path, not ours.
 */
public final class LoopbackSelectorProvider extends SelectorProvider {

    private final SelectorProvider system;

    public LoopbackSelectorProvider() {
        try {
            this.system = (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider").getMethod("get")
                    .invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's default selector provider is not reachable (start the JVM with"
                    + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED)", e);
        }
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return system.openDatagramChannel();
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return system.openDatagramChannel(family);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return system.openPipe();
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        return system.openSelector();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return new LoopbackServerSocketChannel(this, system.openServerSocketChannel());
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return new LoopbackServerSocketChannel(this, system.openServerSocketChannel(family));
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return system.openSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return system.openSocketChannel(family);
    }

    /**
     * A server socket channel whose wildcard bind becomes a loopback bind; everything else is the JDK's channel
     * (accepted connections are the JDK's own, so selectors take them as usual). Used in blocking mode (Tomcat's
     * acceptor); it is not itself registered with a selector.
     */
    static final class LoopbackServerSocketChannel extends ServerSocketChannel {

        private final ServerSocketChannel channel;

        LoopbackServerSocketChannel(SelectorProvider provider, ServerSocketChannel channel) {
            super(provider);
            this.channel = channel;
        }

        /** The address to listen on: loopback where every interface (or none) was asked for. */
        static InetSocketAddress loopback(SocketAddress asked) {
            InetSocketAddress address = (InetSocketAddress) asked;
            if (address == null || address.getAddress() == null || address.getAddress().isAnyLocalAddress()) {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), address == null ? 0 : address.getPort());
            }
            return address;
        }

        @Override
        public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
            channel.bind(loopback(local), backlog);
            return this;
        }

        @Override
        public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
            channel.setOption(name, value);
            return this;
        }

        @Override
        public <T> T getOption(SocketOption<T> name) throws IOException {
            return channel.getOption(name);
        }

        @Override
        public Set<SocketOption<?>> supportedOptions() {
            return channel.supportedOptions();
        }

        @Override
        public ServerSocket socket() {
            return channel.socket();
        }

        @Override
        public SocketChannel accept() throws IOException {
            return channel.accept();
        }

        @Override
        public SocketAddress getLocalAddress() throws IOException {
            return channel.getLocalAddress();
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException {
            channel.close();
        }

        @Override
        protected void implConfigureBlocking(boolean block) throws IOException {
            channel.configureBlocking(block);
        }
    }
}
