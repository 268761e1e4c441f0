package io.ringfence.gateway.client;

import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.GatewayFixture;

/** Shared settings of the client tests: quick timers, small buffers, loopback, ephemeral ports. */
final class ClientTests {
    static final String HOST = "127.0.0.1";

    private ClientTests() {
    }

    /** The fixture's server settings: clients submitter (SUBMIT), watcher (SUBSCRIBE), admin (ADMIN). */
    /**
     * The fixture's server, holding 512 KiB per session: the LogonAck tells the client so, and it keeps half of it
     * unacknowledged, more than the tests' stores (up to 256 KiB), so their bursts are not held back.
     */
    static GatewayConfig serverConfig() {
        final GatewayConfig config = GatewayFixture.config();
        config.outboundBufferBytes = 512 * 1024;
        return config;
    }

    static GatewayClientConfig clientConfig() {
        return clientConfig(64 * 1024);
    }

    static GatewayClientConfig clientConfig(final int unackedBufferBytes) {
        final GatewayClientConfig config = new GatewayClientConfig();
        config.maxFrameBytes = 4096;
        config.unackedBufferBytes = unackedBufferBytes;
        config.connectTimeoutMillis = 2_000;
        config.logonTimeoutMillis = 2_000;
        config.reconnectBackoffMillis = 20;
        config.reconnectMaxBackoffMillis = 100;
        return config;
    }

    static GatewayClient logOn(final int port, final String clientId, final ClientListener listener) throws GatewayClientException {
        return GatewayClient.open(clientConfig(), listener, HOST, port, clientId, GatewayFixture.SECRET);
    }

    /** A framed LogonAck for {@code GatewayFixture.SUBMITTER} (heartbeat 100 ms), as a stand-in server sends it. */
    static byte[] submitterLogonAck() {
        final org.agrona.concurrent.UnsafeBuffer ack = new org.agrona.concurrent.UnsafeBuffer(new byte[256]);
        final io.ringfence.sbe.LogonAckEncoder encoder = new io.ringfence.gateway.frame.FrameEncoder()
            .begin(ack, 0, new io.ringfence.sbe.LogonAckEncoder()).clientId(GatewayFixture.SUBMITTER)
            .role(io.ringfence.sbe.Role.SUBMIT).lastJournaledClientSeq(0).heartbeatMillis(100).engineSeq(-1);
        final byte[] bytes = new byte[io.ringfence.gateway.frame.FrameEncoder.frame(ack, 0, encoder)];
        ack.getBytes(0, bytes);
        return bytes;
    }
}
