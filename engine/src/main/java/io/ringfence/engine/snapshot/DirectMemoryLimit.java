package io.ringfence.engine.snapshot;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * The JVM's limit on direct memory ({@code -XX:MaxDirectMemorySize}; by default the heap's maximum), which snapshot
 * buffers and the gateway's session buffers count against.
 */
public final class DirectMemoryLimit {
    private DirectMemoryLimit() {
    }

    /** The limit in bytes. */
    public static long bytes() {
        try {
            final long configured = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxDirectMemorySize").getValue());
            return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
        } catch (final RuntimeException e) {
            return Runtime.getRuntime().maxMemory(); // not a HotSpot JVM: the default it would have
        }
    }
}
