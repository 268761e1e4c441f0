package io.ringfence.tools.pushes;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.trending.TrendingStage;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.TrendingPushDecoder;
import io.ringfence.tools.CommandRun;
import io.ringfence.tools.convert.OnlineRetailIndependentTotals;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push stages' state stays bounded over the whole Online Retail year (issue 7 acceptance):
 * the converted invoices (orders only, no categories: every sku sells under {@code unknown}) run
 * through the business logic with the default settings; live skus never exceed the caps, idle
 * ones are evicted as the window slides, and the heap after the replay is printed for the README.
 */
class OnlineRetailPushStateTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepTrendingStateBoundedOverTheWholeYear() throws IOException {
        final Path events = dir.resolve("orders.jsonl");
        final CommandRun convert = CommandRun.ringfence("convert", "--format", "online-retail", "--input",
                OnlineRetailIndependentTotals.realDataFile().toString(), "--out", events.toString());
        assertEquals(0, convert.exitCode(), convert.err());

        final EngineConfig config = EngineConfigLoader.defaults();
        final EngineLogic logic = new EngineLogic(BusinessSpec.of(config), null);
        final JsonEventParser parser = new JsonEventParser(config.input.maxEventBytes);
        final ParseResult result = new ParseResult();
        final ExpandableArrayBuffer in = new ExpandableArrayBuffer(1 << 16);
        final OutputBuffer out = new OutputBuffer(1 << 16);
        final long[] pushes = {0};
        final int[] maxItems = {0};
        final TrendingStage trending = logic.trending();
        long seq = 0;
        int maxLiveSkus = 0;
        try (BufferedReader reader = Files.newBufferedReader(events)) {
            String line;
            while ((line = reader.readLine()) != null) {
                final int length = parser.parse(line, seq + 1, seq + 1, in, 0, result);
                assertTrue(length > 0, result.toString());
                out.reset();
                logic.onEvent(++seq, 0, in, 0, length, out);
                out.forEach((b, offset, len) -> {
                    final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(b, offset);
                    if (header.templateId() == TrendingPushDecoder.TEMPLATE_ID) {
                        pushes[0]++;
                        final TrendingPushDecoder d = new TrendingPushDecoder()
                            .wrap(b, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                        assertEquals("unknown", d.category());
                        maxItems[0] = Math.max(maxItems[0], d.items().count());
                    }
                });
                maxLiveSkus = Math.max(maxLiveSkus, (int) trending.counter("sales", "liveSkus"));
            }
        }
        System.gc();
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("online retail: %,d orders, %,d trending pushes (top %d), live skus max %,d / end %,d,"
                + " skus replaced in the full category %,d, late %,d, learned skus %,d; heap used after GC %,d MB%n",
            seq, pushes[0], maxItems[0], maxLiveSkus, trending.counter("sales", "liveSkus"),
            trending.counter("sales", "replacedSkus"), trending.counter("sales", "late"), trending.counter("skus", "live"),
            heap >> 20);
        assertEquals(19_959, seq);
        assertTrue(pushes[0] > 1_000, "a list change at most once a minute over a year of trading: " + pushes[0]);
        assertEquals(10, maxItems[0]);
        assertTrue(maxLiveSkus <= 1_024, "one category: at most maxSkusPerCategory live skus, was " + maxLiveSkus);
        assertTrue(trending.counter("sales", "liveSkus") < 1_024, "the window slid past the last trading hour's skus");
        assertEquals(0, trending.counter("skus", "live"), "no category was ever learned (the data has none)");
        assertEquals(0, logic.carts().openCarts(), "no add-to-cart in the data");
    }
}
