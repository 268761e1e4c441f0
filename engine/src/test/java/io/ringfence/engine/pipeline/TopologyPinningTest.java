package io.ringfence.engine.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyPinningTest {
    @Test
    void shouldPinNothingOnOneCore() {
        final Topology t = Topology.resolve(Layout.AUTO, WaitKind.AUTO, 1, CpuPlan.AUTO);
        assertEquals(Layout.COMBINED, t.layout());
        assertEquals(Map.of(), t.cpus());
        assertEquals(-1, t.cpuOf("rf-engine"));
    }

    @Test
    void shouldPinTheCombinedThreadToCpuOneOnTwoCoresAndLeaveCpuZeroToTheProducer() {
        final Topology t = Topology.resolve(Layout.AUTO, WaitKind.AUTO, 2, CpuPlan.AUTO);
        assertEquals(Layout.COMBINED, t.layout());
        assertEquals(Map.of("rf-engine", 1), t.cpus());
        assertTrue(t.toString().contains("pinned {rf-engine@1}"), t.toString());
    }

    @Test
    void shouldPinNothingWhenThreeDedicatedStagesAreAskedForOnTwoCores() {
        assertEquals(Map.of(), Topology.resolve(Layout.DEDICATED, WaitKind.YIELDING, 2, CpuPlan.AUTO).cpus());
    }

    @Test
    void shouldGiveEachDedicatedStageItsOwnCpuOnFourCoresLeavingCpuZero() {
        final Topology t = Topology.resolve(Layout.AUTO, WaitKind.AUTO, 4, CpuPlan.AUTO);
        assertEquals(Layout.DEDICATED, t.layout());
        assertEquals(List.of("rf-journal", "rf-business", "rf-dispatch"), List.copyOf(t.cpus().keySet()));
        assertEquals(List.of(1, 2, 3), List.copyOf(t.cpus().values()));
    }

    @Test
    void shouldGiveEachDedicatedStageItsOwnCpuOnSixteenCores() {
        final Topology t = Topology.resolve(Layout.AUTO, WaitKind.AUTO, 16, CpuPlan.AUTO);
        assertEquals(1, t.cpuOf("rf-journal"));
        assertEquals(2, t.cpuOf("rf-business"));
        assertEquals(3, t.cpuOf("rf-dispatch"));
        assertEquals(-1, t.cpuOf("main"));
    }

    @Test
    void shouldNeverPinTwoStageThreadsToOneCpuOrUseCpuZeroAutomatically() {
        for (int cores = 1; cores <= 64; cores++) {
            for (final Layout layout : new Layout[] {Layout.AUTO, Layout.COMBINED, Layout.DEDICATED}) {
                final Map<String, Integer> cpus = Topology.resolve(layout, WaitKind.AUTO, cores, CpuPlan.AUTO).cpus();
                assertEquals(cpus.size(), Set.copyOf(cpus.values()).size(), cores + " cores " + layout);
                for (final int cpu : cpus.values()) {
                    assertTrue(cpu >= 1 && cpu < cores, cores + " cores " + layout + " " + cpus);
                }
            }
        }
    }

    @Test
    void shouldPinNothingWithoutAPlan() {
        assertEquals(Map.of(), Topology.resolve(Layout.AUTO, WaitKind.AUTO, 16).cpus());
    }

    @Test
    void shouldTakeExplicitCpusByThreadNameOrInStartOrder() {
        assertEquals(Map.of("rf-business", 5),
                Topology.resolve(Layout.DEDICATED, WaitKind.YIELDING, 8, CpuPlan.byName(Map.of("rf-business", 5))).cpus());
        final Topology t = Topology.resolve(Layout.DEDICATED, WaitKind.YIELDING, 8, CpuPlan.inOrder(List.of(7, 6)));
        assertEquals(7, t.cpuOf("rf-journal"));
        assertEquals(6, t.cpuOf("rf-business"));
        assertEquals(-1, t.cpuOf("rf-dispatch"));
    }

    @Test
    void shouldRefuseACpuTheMachineDoesNotHave() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Topology.resolve(Layout.COMBINED, WaitKind.YIELDING, 2, CpuPlan.byName(Map.of("rf-engine", 2))));
        assertEquals("gives rf-engine cpu 2, but this machine has cpus 0..1", e.getMessage());
    }

    @Test
    void shouldRefuseAThreadTheLayoutDoesNotHave() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Topology.resolve(Layout.DEDICATED, WaitKind.YIELDING, 16, CpuPlan.byName(Map.of("rf-engine", 1))));
        assertEquals("names thread 'rf-engine', which the dedicated layout does not have (its threads: rf-journal, rf-business, rf-dispatch)",
                e.getMessage());
    }

    @Test
    void shouldRefuseOneCpuForTwoThreads() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Topology.resolve(Layout.DEDICATED, WaitKind.YIELDING, 16, CpuPlan.inOrder(List.of(3, 3))));
        assertEquals("gives cpu 3 to both rf-journal and rf-business", e.getMessage());
    }

    @Test
    void shouldRefuseMoreCpusThanThreads() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Topology.resolve(Layout.COMBINED, WaitKind.YIELDING, 16, CpuPlan.inOrder(List.of(1, 2))));
        assertTrue(e.getMessage().startsWith("lists 2 cpus for the 1 thread(s) of the combined layout"), e.getMessage());
    }

    @Test
    void shouldRunAStageThreadUnpinnedWhenPinningFails() throws Exception {
        // a cpu the machine does not have: affinity refuses, the thread logs a warning and still runs
        final boolean[] ran = new boolean[1];
        final Thread t = new Thread(() -> ran[0] = StageThreads.pin("rf-test", 4095) != null);
        t.start();
        t.join(10_000);
        assertTrue(ran[0], "pin reported success for a cpu that does not exist, or the thread did not run");
    }

    @Test
    void shouldReportAPinningThatFailedInsteadOfClaimingIt() throws Exception {
        // the topology asked for cpu 4095; the thread runs unpinned and the report says so (bench and server printed
        // "pinned {rf-engine@4095}" from the topology alone)
        final Topology topology = Topology.resolve(Layout.COMBINED, WaitKind.BLOCKING, 4096, CpuPlan.byName(Map.of("rf-engine", 4095)));
        final StageThreads threads = new StageThreads(topology, true);
        assertEquals("rf-engine pinning pending (asked cpu 4095)", threads.pinning(0));
        final Thread t = threads.newThread(() -> { });
        t.start();
        t.join(10_000);
        final String report = threads.pinning(10_000);
        assertTrue(report.startsWith("rf-engine not pinned (asked cpu 4095: "), report);
    }

    @Test
    void shouldReportAPinningThatWorked() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(net.openhft.affinity.Affinity.isJNAAvailable(), "no thread affinity here");
        final int cpu = net.openhft.affinity.Affinity.getAffinity().nextSetBit(0);
        final int cores = Runtime.getRuntime().availableProcessors();
        org.junit.jupiter.api.Assumptions.assumeTrue(cpu >= 0 && cpu < cores, "no usable cpu in this process's set");
        final Topology topology = Topology.resolve(Layout.COMBINED, WaitKind.BLOCKING, cores, CpuPlan.byName(Map.of("rf-engine", cpu)));
        final StageThreads threads = new StageThreads(topology, true);
        final Thread t = threads.newThread(() -> { });
        t.start();
        t.join(10_000);
        assertEquals("pinned {rf-engine@" + cpu + "}", threads.pinning(10_000));
        assertEquals("not pinned", new StageThreads(Topology.resolve(Layout.COMBINED, WaitKind.BLOCKING, cores), true).pinning(0));
    }
}
