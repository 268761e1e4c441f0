package io.ringfence.gateway.client;

import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.sbe.AckEncoder;
import io.ringfence.sbe.InventoryEncoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.LogonAckEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.Role;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client review of 2026-12-06. The gateway sends an answer to the client id's live session, so the answers to what a lost
 * connection sent arrive on the next one, right behind its LogonAck, while the client's kept messages wait to be written
 * again. Those messages were acknowledged but kept, and the resends' answers (repeats) released nothing: a full store
 * refused every send for good while it counted everything answered, and a sender already waiting for room was not woken
 * when the room came. A fake gateway plays it: connection 1 takes a full store's messages and drops unanswered;
 * connection 2 sends its LogonAck and, in the same write, the answers to all of them.
 */
class AnswersBeforeResendTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void messagesAnsweredBeforeTheirResendAreLetGoAndAWaitingSenderGoesOn() throws Exception {
        final AtomicInteger framesOnFirst = new AtomicInteger();
        final AtomicInteger oldOnSecond = new AtomicInteger();
        final AtomicLong answerThrough = new AtomicLong();
        final CountDownLatch drop = new CountDownLatch(1);
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            final Thread server = new Thread(() -> serve(listening, framesOnFirst, oldOnSecond, answerThrough, drop), "fake-gateway");
            server.setDaemon(true);
            server.start();

            final GatewayClientConfig config = new GatewayClientConfig();
            config.maxFrameBytes = 512;
            config.unackedBufferBytes = 2048;
            config.reconnectBackoffMillis = 50;
            try (GatewayClient client = GatewayClient.open(config, ClientListener.NONE, "127.0.0.1", listening.getLocalPort(),
                    "shop-1", "0123456789abcdef0123")) {
                final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
                final InventoryEncoder inventory = new InventoryEncoder().wrapAndApplyHeader(message, 0, new MessageHeaderEncoder());
                inventory.clientSeq(0).eventTime(1).sku("sku-1").warehouse("w").mode(InventoryMode.DELTA).quantity(1);
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + inventory.encodedLength();
                while (client.send(message, 0, length) > 0) {
                    // fill the store
                }
                final long kept = client.lastAssignedSeq();
                assertTrue(kept > 1, "a store of " + kept);
                final long by = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (framesOnFirst.get() < kept && System.nanoTime() < by) {
                    Thread.sleep(5);
                }
                assertEquals(kept, framesOnFirst.get(), "connection 1 got every message");
                answerThrough.set(kept);

                final long[] waited = new long[2];
                final Thread sender = new Thread(() -> {
                    try {
                        final long start = System.nanoTime();
                        waited[0] = client.send(message, 0, length, 20, TimeUnit.SECONDS);
                        waited[1] = System.nanoTime() - start;
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "waiting-sender");
                sender.start();
                Thread.sleep(200); // waiting for room when the connection drops
                drop.countDown();
                sender.join();
                assertEquals(kept + 1, waited[0], "the waiting sender got room once the answers came");
                assertTrue(waited[1] < TimeUnit.SECONDS.toNanos(10), "well before its timeout: " + waited[1] / 1_000_000 + " ms");
                assertTrue(client.awaitAcknowledged(10, TimeUnit.SECONDS), "its message is answered too");
                assertEquals(0, client.unacknowledgedBytes(), "nothing held");
                assertEquals(oldOnSecond.get(), client.resentMessages(), "resends counted as they went");
            }
        }
    }

    /** Connection 1: takes messages, answers none, drops; connection 2: LogonAck + every answer in one write, then answers all. */
    private static void serve(final ServerSocket listening, final AtomicInteger framesOnFirst, final AtomicInteger oldOnSecond,
                              final AtomicLong answerThrough, final CountDownLatch drop) {
        try (Socket first = listening.accept()) {
            final DataInputStream in = new DataInputStream(first.getInputStream());
            readFrame(in); // Logon
            first.getOutputStream().write(logonAck(0));
            final Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        readFrame(in);
                        framesOnFirst.incrementAndGet();
                    }
                } catch (final IOException closed) {
                    // dropped
                }
            });
            reader.setDaemon(true);
            reader.start();
            drop.await();
        } catch (final IOException | InterruptedException e) {
            return;
        }
        try (Socket second = listening.accept()) {
            final DataInputStream in = new DataInputStream(second.getInputStream());
            final OutputStream out = second.getOutputStream();
            readFrame(in); // Logon
            final long through = answerThrough.get();
            final ByteArrayOutputStream batch = new ByteArrayOutputStream();
            batch.write(logonAck(through)); // journaled up to there
            for (long seq = 1; seq <= through; seq++) {
                batch.write(ack(seq)); // the engine's answers to connection 1's messages, routed to the live session
            }
            out.write(batch.toByteArray());
            out.flush();
            while (true) {
                final long seq = clientSeq(readFrame(in));
                if (seq <= through) {
                    oldOnSecond.incrementAndGet();
                }
                out.write(ack(seq)); // a resend answered again from the record, a new message answered
                out.flush();
            }
        } catch (final IOException e) {
            // the client closed
        }
    }

    private static byte[] readFrame(final DataInputStream in) throws IOException {
        final int length = in.readInt();
        final byte[] frame = new byte[length];
        new UnsafeBuffer(frame).putInt(0, length, ByteOrder.BIG_ENDIAN);
        in.readFully(frame, 4, length - 4);
        return frame;
    }

    private static long clientSeq(final byte[] frame) {
        return new UnsafeBuffer(frame).getLong(SofhHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] logonAck(final long journaled) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final LogonAckEncoder ack = new LogonAckEncoder().wrapAndApplyHeader(buffer, SofhHeader.LENGTH, new MessageHeaderEncoder());
        ack.clientId("shop-1").role(Role.SUBMIT).lastJournaledClientSeq(journaled).heartbeatMillis(10_000).engineSeq(journaled)
                .lastJournaledFingerprint(0).maxFrameBytes(0).outboundBufferBytes(0);
        return frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + ack.encodedLength());
    }

    private static byte[] ack(final long clientSeq) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final AckEncoder ack = new AckEncoder().wrapAndApplyHeader(buffer, SofhHeader.LENGTH, new MessageHeaderEncoder());
        ack.seq(clientSeq).clientSeq(clientSeq);
        return frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + ack.encodedLength());
    }

    private static byte[] frame(final UnsafeBuffer buffer, final int sbeLength) {
        SofhHeader.put(buffer, 0, SofhHeader.LENGTH + sbeLength);
        final byte[] frame = new byte[SofhHeader.LENGTH + sbeLength];
        buffer.getBytes(0, frame);
        return frame;
    }
}
