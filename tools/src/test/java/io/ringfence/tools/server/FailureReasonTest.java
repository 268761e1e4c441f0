package io.ringfence.tools.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos trial: a server whose journal could not map its next block (an address-space limit) stopped with "engine stage
 * failed at engine sequence 1: Failed to acquireByteStore start: 0x0 offset: 0x0 ...", naming neither cause nor remedy.
 */
class FailureReasonTest {
    @Test
    void aFailedMapOfTheJournalIsNamedWithWhatToCheck() {
        final Throwable failure = new IllegalStateException("engine stage failed at engine sequence 1",
                new RuntimeException("Failed to acquireByteStore start: 0x0 offset: 0x0 safeLimit: 0x0",
                        new OutOfMemoryError("Map failed")));
        final String reason = ServerCommand.reason(failure);
        assertTrue(reason.startsWith("the journal could not map more of its file into memory (java.lang.OutOfMemoryError: Map"
                + " failed): the process's address space (ulimit -v), its count of mappings (vm.max_map_count)"), reason);
        assertTrue(reason.endsWith("(engine stage failed at engine sequence 1)"), reason);
    }

    @Test
    void anotherFailureKeepsItsOwnMessage() {
        assertTrue(ServerCommand.reason(new IllegalStateException("boom")).equals("boom"));
    }
}
