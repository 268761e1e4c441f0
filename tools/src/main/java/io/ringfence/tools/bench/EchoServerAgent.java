package io.ringfence.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The physical floor for {@code bench}: a plain TCP echo on loopback that writes back every byte it
 * reads. One thread, non-blocking NIO and {@code TCP_NODELAY}, waiting as the gateway's I/O thread
 * does: blocking in {@code select()}, or with {@code busyPoll} spinning on {@code selectNow()} while
 * its run is measured (only then: it lives across the engine runs, and a spinning echo would take a
 * core from them; audit: it always blocked, so a busy-poll gateway was compared with a blocking echo).
 * It does no framing, so it measures the wire and the thread wake-ups alone.
 */
final class EchoServerAgent implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final boolean busyPoll;
    private volatile boolean running = true;
    private volatile boolean measuring;

    EchoServerAgent(final boolean busyPoll) throws IOException {
        this.busyPoll = busyPoll;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::run, "rf-bench-echo");
        thread.setDaemon(true);
        thread.start();
    }

    /** Its run is measured from now ({@code true}) or no more: with {@code busyPoll} it spins only meanwhile. */
    void measuring(final boolean on) {
        measuring = on;
        selector.wakeup();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    private void run() {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        try {
            final java.util.function.Consumer<SelectionKey> onReady = key -> {
                try {
                    if (key.isAcceptable()) {
                        final SocketChannel channel = server.accept();
                        if (channel != null) {
                            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
                            channel.configureBlocking(false);
                            channel.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        echo((SocketChannel) key.channel(), key, buffer);
                    }
                } catch (final IOException e) {
                    key.cancel();
                    closeQuietly(key.channel());
                }
            };
            while (running) {
                if (busyPoll && measuring) {
                    selector.selectNow(onReady);
                } else {
                    selector.select(onReady, 100);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void echo(final SocketChannel channel, final SelectionKey key, final ByteBuffer buffer) throws IOException {
        buffer.clear();
        final int read = channel.read(buffer);
        if (read < 0) {
            key.cancel();
            channel.close();
            return;
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            // loopback with a reader that keeps up: a full send buffer is rare and brief
            channel.write(buffer);
        }
    }

    private static void closeQuietly(final java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (final IOException ignored) {
            // closing after a failure: nothing more to do
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (final SelectionKey key : selector.keys()) {
            closeQuietly(key.channel());
        }
        selector.close();
        server.close();
    }
}
