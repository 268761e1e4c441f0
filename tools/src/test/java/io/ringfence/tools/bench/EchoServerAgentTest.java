package io.ringfence.tools.bench;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The echo floor waits as the gateway does: with busy-poll it spins while its own run is measured and only then (it lives
 * across the engine runs of a bench, whose cores it must not take), and it echoes either way.
 */
class EchoServerAgentTest {
    private static long echoCpuNanos() {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (final Thread t : Thread.getAllStackTraces().keySet()) {
            if ("rf-bench-echo".equals(t.getName())) {
                return threads.getThreadCpuTime(t.getId());
            }
        }
        throw new AssertionError("no rf-bench-echo thread");
    }

    private static void assertEchoes(final int port) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            final byte[] sent = {1, 2, 3, 4, 5};
            final OutputStream out = socket.getOutputStream();
            out.write(sent);
            out.flush();
            final InputStream in = socket.getInputStream();
            final byte[] back = in.readNBytes(sent.length);
            assertArrayEquals(sent, back);
        }
    }

    @Test
    void aBusyPollEchoSpinsOnlyWhileMeasuredAndEchoesEitherWay() throws Exception {
        try (EchoServerAgent echo = new EchoServerAgent(true)) {
            assertEchoes(echo.port());
            Thread.sleep(200);
            long before = echoCpuNanos();
            Thread.sleep(500);
            final long idle = echoCpuNanos() - before;
            assertTrue(idle < 50_000_000L, "blocks in select while not measured: " + idle / 1_000_000 + " ms of CPU in 500 ms");

            echo.measuring(true);
            assertEchoes(echo.port());
            before = echoCpuNanos();
            Thread.sleep(500);
            final long measured = echoCpuNanos() - before;
            echo.measuring(false);
            assertTrue(measured > 100_000_000L, "spins while measured: " + measured / 1_000_000 + " ms of CPU in 500 ms");
        }
    }
}
