package io.ringfence.gateway.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Ends TCP connections so that what was last written (a Reject) reaches the peer: the output is
 * shut down first (FIN after the queued bytes), input already received is read and dropped
 * (closing with unread input would make the kernel send a reset, which can destroy the Reject
 * in flight), then the socket is closed. I/O thread only; failures are ignored, the connection
 * is going anyway.
 */
final class Connections {
    private static final int MAX_DRAIN_READS = 4;

    private final ByteBuffer drain = ByteBuffer.allocateDirect(16 * 1024);

    void close(final SocketChannel channel) {
        try {
            if (channel.isConnected()) {
                channel.shutdownOutput();
                for (int i = 0; i < MAX_DRAIN_READS; i++) {
                    drain.clear();
                    if (channel.read(drain) <= 0) {
                        break;
                    }
                }
            }
        } catch (final IOException ignored) {
            // the peer is gone already
        }
        try {
            channel.close();
        } catch (final IOException ignored) {
            // nothing more to do
        }
    }
}
