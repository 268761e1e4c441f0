package io.ringfence.gateway.testing;

import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A blocking loopback client with bounded reads: every wait ends within the read timeout. */
public final class TestClient implements AutoCloseable {
    public static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private TestClient(final Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static TestClient connect(final int port) throws IOException {
        return connect(port, 0);
    }

    /** @param receiveBufferBytes SO_RCVBUF to ask for, 0 for the default */
    public static TestClient connect(final int port, final int receiveBufferBytes) throws IOException {
        final Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        return new TestClient(socket);
    }

    /** Connects and logs on; returns once the LogonAck is read. */
    public static TestClient logOn(final int port, final String clientId, final String secret) throws IOException {
        final TestClient client = connect(port);
        client.send(Frames.logon(clientId, secret));
        final Frame ack = client.readSkippingHeartbeats();
        assertEquals(LogonAckDecoder.TEMPLATE_ID, ack.templateId(), "expected LogonAck, got " + ack);
        return client;
    }

    public void send(final byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(final byte[] bytes, final int offset, final int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
    }

    /** The next frame, whatever it is. */
    public Frame read() throws IOException {
        final int length = in.readInt();
        final int encodingType = in.readUnsignedShort();
        final byte[] message = new byte[length - 6];
        in.readFully(message);
        return new Frame(encodingType, new UnsafeBuffer(message));
    }

    /** The next frame that is not a Heartbeat. */
    public Frame readSkippingHeartbeats() throws IOException {
        while (true) {
            final Frame frame = read();
            if (frame.templateId() != HeartbeatDecoder.TEMPLATE_ID) {
                return frame;
            }
        }
    }

    /** Reads a Reject with this code (skipping heartbeats), then end of stream. */
    public void expectRejectAndClose(final RejectCode code) throws IOException {
        expectRejectAndClose(code, "");
    }

    /** The same, the Reject's reason holding {@code reasonPart}. */
    public void expectRejectAndClose(final RejectCode code, final String reasonPart) throws IOException {
        final Frame frame = readSkippingHeartbeats();
        assertEquals(RejectDecoder.TEMPLATE_ID, frame.templateId(), "expected a Reject, got " + frame);
        final RejectDecoder reject = frame.reject();
        assertEquals(code, reject.code(), "reject code");
        final String reason = reject.reason();
        assertTrue(reason.contains(reasonPart), "reason '" + reason + "' should contain '" + reasonPart + "'");
        expectClosed();
    }

    /** Reads until the server closes the connection; fails on a frame other than a Heartbeat, or the timeout. */
    public void expectClosed() throws IOException {
        try {
            while (true) {
                final Frame frame = read();
                if (frame.templateId() != HeartbeatDecoder.TEMPLATE_ID) {
                    fail("expected the server to close the connection, but got " + frame);
                }
            }
        } catch (final SocketException | EOFException e) {
            // reset or end: closed
        } catch (final SocketTimeoutException e) {
            fail("the server did not close the connection within " + READ_TIMEOUT_MILLIS + " ms");
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One received frame. */
    public record Frame(int encodingType, UnsafeBuffer message) {
        public int templateId() {
            return new MessageHeaderDecoder().wrap(message, 0).templateId();
        }

        public RejectDecoder reject() {
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
            return new RejectDecoder().wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        }

        public LogonAckDecoder logonAck() {
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
            return new LogonAckDecoder().wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        }

        @Override
        public String toString() {
            return "Frame{template " + templateId() + ", " + message.capacity() + " bytes}";
        }
    }
}
