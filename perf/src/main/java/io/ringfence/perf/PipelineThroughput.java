package io.ringfence.perf;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.journal.ZeroRunPacking;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Sustained throughput of the whole in-process pipeline with journaling on: pre-encoded events
 * published as fast as the pipeline accepts them into a Chronicle journal in a temp directory,
 * through the default windows and fraud scoring, to a sink that only counts. Each round starts a
 * fresh engine of each {@link PipelineVariant} in turn (the Disruptor, then or before the
 * ArrayBlockingQueue baseline, same events, same layout, same journaling) so the ratio comes from
 * one run. Prints events/s per round and variant, the thread layout, GC collections and bytes
 * allocated per thread, then the medians and their ratio.
 */
public final class PipelineThroughput {
    private PipelineThroughput() {
    }

    public static void main(final String[] args) throws Exception {
        long events = 5_000_000;
        String layout = "auto";
        String wait = "auto";
        int rounds = 3;
        boolean noWindows = false;
        boolean noJournal = false;
        String mix = "shop";
        int prefaultGb = 0;
        boolean noFraud = false;
        String sync = "none";
        String syncEvery = "1s";
        String compare = "abq";
        long warmup = 1_000_000;
        String cpus = "none";
        String repeats = "first";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events": events = PerfArgs.longAt(args, ++i, 1, Long.MAX_VALUE); break;
                case "--layout": layout = PerfArgs.value(args, ++i); break;
                case "--wait": wait = PerfArgs.value(args, ++i); break;
                case "--rounds": rounds = PerfArgs.intAt(args, ++i, 1, 1000); break;
                case "--no-windows": noWindows = true; break;
                case "--no-journal": noJournal = true; break;
                case "--no-fraud": noFraud = true; break;
                case "--mix": mix = PerfArgs.oneOf(args, ++i, "shop", "orders"); break;
                case "--prefault-gb": prefaultGb = PerfArgs.intAt(args, ++i, 0, 1024); break;
                case "--sync": sync = PerfArgs.value(args, ++i); break;
                case "--sync-every": syncEvery = PerfArgs.value(args, ++i); break;
                case "--compare": compare = PerfArgs.oneOf(args, ++i, "abq", "none"); break;
                case "--warmup": warmup = PerfArgs.longAt(args, ++i, 0, Long.MAX_VALUE); break;
                case "--cpus": cpus = PerfArgs.value(args, ++i); break;
                case "--repeats": repeats = PerfArgs.oneOf(args, ++i, "first", "again"); break;
                default: throw PerfArgs.unknown(args[i], "--events, --rounds, --warmup, --layout, --wait, --cpus, --compare, --repeats, --mix, --sync, --sync-every, --prefault-gb, --no-windows, --no-journal, --no-fraud");
            }
        }
        if (prefaultGb > 0) {
            prefault(prefaultGb);
        }
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.layout = layout;
        config.pipeline.waitStrategy = wait;
        config.journal.sync = sync;
        config.decisions.repeats = repeats; // again: no repeat table (each pass has new ids either way)
        config.journal.syncEvery = syncEvery;
        config.pipeline.cpus = cpus.matches("[0-9, ]+") ? parseCpuList(cpus) : cpus;
        if (!"abq".equals(compare) && !"none".equals(compare)) {
            throw new IllegalArgumentException("--compare must be abq or none: " + compare);
        }
        config.validate();
        if (noWindows) {
            config.windows = new java.util.ArrayList<>();
        }
        if (noFraud) {
            config.fraud.enabled = false;
        }
        final int distinct = 1 << 16;
        final UnsafeBuffer[] orders = "orders".equals(mix) ? encodeOrders(distinct) : encodeShop(distinct);
        final MixPasses passes = new MixPasses(orders); // each pass over the mix has new order and payment ids
        for (int k = 0; k < orders.length; k++) {
            passes.event(k, 0); // the first pass's suffixes, so the packed size below is what is journaled
        }
        long bytes = 0;
        long packedBytes = 0;
        final UnsafeBuffer packed = new UnsafeBuffer(new byte[1 << 20]);
        for (final UnsafeBuffer b : orders) {
            bytes += b.capacity();
            packedBytes += Math.min(b.capacity(), ZeroRunPacking.pack(b, 0, b.capacity(), packed, 0));
        }
        final int[] lengths = new int[distinct];
        for (int i = 0; i < distinct; i++) {
            lengths[i] = orders[i].capacity();
        }
        System.out.printf("pipeline throughput: %,d events per round after %,d to fill each fresh engine's state, %d rounds + warm-up, cores=%d, mix=%s (%d distinct events, new order and payment ids each pass, mean SBE size %d bytes, journaled zero-run packed as %d bytes + 48 header)%n",
                events, warmup, rounds, Runtime.getRuntime().availableProcessors(), mix, distinct, bytes / distinct, packedBytes / distinct);
        final Path base = Path.of(System.getProperty("ringfence.perf.dir", System.getProperty("java.io.tmpdir")));
        final CountingSink sink = new CountingSink();
        final java.util.List<PipelineVariant> variants = "none".equals(compare)
                ? java.util.List.of(PipelineVariant.DISRUPTOR) : java.util.List.of(PipelineVariant.DISRUPTOR, PipelineVariant.ABQ);
        final java.util.Map<PipelineVariant, java.util.List<Double>> rates = new java.util.EnumMap<>(PipelineVariant.class);
        final long timeStep = 5_000; // 5 ms of event time per order
        long i = 0;
        for (int round = 0; round <= rounds; round++) {
            for (int v = 0; v < variants.size(); v++) {
                // alternate which variant goes first, so neither always follows the other's page cache and GC
                final PipelineVariant variant = variants.get((v + round) % variants.size());
                final Path dir = Files.createTempDirectory(base, "rf-perf-" + variant.label);
                try (PipelineVariant.Running engine = variant.start(config, dir, !noJournal, sink)) {
                    if (round == 0) {
                        System.out.println(variant.label + " topology: " + engine.topology() + ", ring " + engine.ringSize()
                                + (noJournal ? "; no journal" : "; journal in " + base));
                    }
                    // fill this engine's state first (windows cycle after an hour of event time = 720,000 events),
                    // so the measured events see the steady state a long-running engine has
                    for (final long end = i + warmup; i < end; i++) {
                        engine.publish(i, i, passes.event(i, 1_700_000_000_000_000L + i * timeStep), lengths[(int) (i & (distinct - 1))]);
                    }
                    engine.awaitDispatched();
                    final long gcBefore = gcCount();
                    final java.util.Map<String, Long> before = perThread();
                    final long outputsBefore = sink.outputs;
                    final long start = System.nanoTime();
                    for (final long end = i + events; i < end; i++) {
                        engine.publish(i, i, passes.event(i, 1_700_000_000_000_000L + i * timeStep), lengths[(int) (i & (distinct - 1))]);
                    }
                    engine.awaitDispatched();
                    final long elapsed = System.nanoTime() - start;
                    final java.util.Map<String, Long> after = perThread();
                    final StringBuilder cpu = new StringBuilder();
                    final com.sun.management.ThreadMXBean tmx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                    for (final long id : tmx.getAllThreadIds()) {
                        final java.lang.management.ThreadInfo info = tmx.getThreadInfo(id);
                        if (info != null && (info.getThreadName().startsWith("rf-") || info.getThreadName().equals("main"))) {
                            cpu.append(String.format(" %s cpu=%.2fs user=%.2fs", info.getThreadName(), tmx.getThreadCpuTime(id) / 1e9,
                                    tmx.getThreadUserTime(id) / 1e9));
                        }
                    }
                    final StringBuilder alloc = new StringBuilder();
                    long total = 0;
                    for (final java.util.Map.Entry<String, Long> e : after.entrySet()) {
                        final long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                        if (d > 0) {
                            total += d;
                            alloc.append(' ').append(e.getKey()).append('=').append(String.format("%,d", d));
                        }
                    }
                    final double rate = events * 1e9 / elapsed;
                    if (round > 0) {
                        rates.computeIfAbsent(variant, x -> new java.util.ArrayList<>()).add(rate);
                    }
                    System.out.printf("%-9s %s: %,.0f events/s (%.2f s), outputs %,d, GC collections %d, allocated %,d bytes = %.3f B/event [%s ]%n",
                            variant.label, round == 0 ? "warm-up" : "round " + round, rate, elapsed / 1e9, sink.outputs - outputsBefore,
                            gcCount() - gcBefore, total, total / (double) events, alloc);
                    System.out.println("          thread CPU times so far (main: the whole run; rf-* threads: this engine's, incl. filling its state):" + cpu);
                }
                deleteTree(dir);
            }
        }
        final double disruptor = median(rates.get(PipelineVariant.DISRUPTOR));
        System.out.printf("median of %d rounds: disruptor %,.0f events/s", rounds, disruptor);
        if (rates.containsKey(PipelineVariant.ABQ)) {
            final double abq = median(rates.get(PipelineVariant.ABQ));
            System.out.printf(", ArrayBlockingQueue %,.0f events/s, disruptor/abq %.2fx%n", abq, disruptor / abq);
        } else {
            System.out.println();
        }
    }

    private static java.util.List<Integer> parseCpuList(final String text) {
        final java.util.List<Integer> out = new java.util.ArrayList<>();
        for (final String part : text.split(",")) {
            out.add(Integer.parseInt(part.trim()));
        }
        return out;
    }

    private static double median(final java.util.List<Double> values) {
        final java.util.List<Double> sorted = new java.util.ArrayList<>(values);
        java.util.Collections.sort(sorted);
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The seeded synthetic shop of {@code ringfence generate}: activity, orders, payments, status changes, stock moves. */
    /**
     * Touches {@code gb} GiB of fresh memory once and frees it. On a VM whose guest memory the host
     * backs lazily (this one: ~3.3 µs of system time per first-touched 4 KB page), the journal's page
     * cache otherwise pays that on every new page and the benchmark measures the hypervisor; after
     * this, freed pages are reused without a host fault for a while. Reported so both can be compared.
     */
    private static void prefault(final int gb) {
        final long chunk = 256L << 20;
        final long started = System.nanoTime();
        final long[] chunks = new long[gb * 4]; // all held at once, or the allocator hands back the same pages
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = org.agrona.UnsafeApi.allocateMemory(chunk);
            for (long p = 0; p < chunk; p += 4096) {
                org.agrona.UnsafeApi.putByte(chunks[c] + p, (byte) 1);
            }
        }
        for (final long address : chunks) {
            org.agrona.UnsafeApi.freeMemory(address);
        }
        System.out.printf("prefaulted %d GiB of memory in %.1f s%n", gb, (System.nanoTime() - started) / 1e9);
    }

    static UnsafeBuffer[] encodeShop(final int n) throws java.io.IOException {
        final java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
        new io.ringfence.tools.generate.ShopWorkload(11, 2000, 0, 5_000, json).write(n);
        final io.ringfence.engine.codec.JsonEventParser parser = new io.ringfence.engine.codec.JsonEventParser(1 << 18);
        final io.ringfence.engine.codec.ParseResult result = new io.ringfence.engine.codec.ParseResult();
        final org.agrona.ExpandableArrayBuffer scratch = new org.agrona.ExpandableArrayBuffer(4096);
        final UnsafeBuffer[] out = new UnsafeBuffer[n];
        int i = 0;
        for (final String line : json.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            final int length = parser.parse(line, i + 1, i + 1, scratch, 0, result);
            if (length < 0) {
                throw new IllegalStateException("generated line refused: " + result + ": " + line);
            }
            final byte[] exact = new byte[length];
            scratch.getBytes(0, exact);
            out[i++] = new UnsafeBuffer(exact);
        }
        return out;
    }

    static UnsafeBuffer[] encodeOrders(final int n) {
        final SplittableRandom random = new SplittableRandom(7);
        final String[] countries = {"United Kingdom", "Germany", "France", "Netherlands", "Spain"};
        final UnsafeBuffer[] out = new UnsafeBuffer[n];
        final OrderEncoder enc = new OrderEncoder();
        final MessageHeaderEncoder hdr = new MessageHeaderEncoder();
        for (int i = 0; i < n; i++) {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[1024]);
            enc.wrapAndApplyHeader(b, 0, hdr)
                    .clientSeq(i).eventTime(0)
                    .orderId("o" + i).userId("u" + random.nextInt(2000)).merchantId("shop-" + random.nextInt(20))
                    .amount(100 + random.nextInt(100_000)).currency("GBP")
                    .country(countries[random.nextInt(countries.length)]).ip("10.0.0." + random.nextInt(255))
                    .deviceId("d" + random.nextInt(3000)).instrumentId("card-" + random.nextInt(2500));
            final OrderEncoder.ItemsEncoder items = enc.itemsCount(2);
            for (int j = 0; j < 2; j++) {
                items.next().sku("sku-" + random.nextInt(500)).qty(1 + random.nextInt(3)).unitPrice(250).category("home");
            }
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
            final byte[] exact = new byte[length];
            b.getBytes(0, exact);
            out[i] = new UnsafeBuffer(exact);
        }
        return out;
    }

    private static long gcCount() {
        long n = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static java.util.Map<String, Long> perThread() {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (final long id : threads.getAllThreadIds()) {
            final java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
            final long a = threads.getThreadAllocatedBytes(id);
            if (info != null && a > 0) {
                out.merge(info.getThreadName(), a, Long::sum);
            }
        }
        return out;
    }

    private static void deleteTree(final Path dir) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Counts outputs; touches nothing else. */
    static final class CountingSink implements OutputSink {
        volatile long outputs;

        @Override
        public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                             final int offset, final int length) {
            outputs++;
        }
    }

}
