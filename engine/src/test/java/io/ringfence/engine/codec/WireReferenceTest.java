package io.ringfence.engine.codec;

import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.LogonEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/wire.md's generated part is what the schema says today. When the schema changes, rewrite it with
 * {@code mvn -B -o -q test -pl journal,engine -Djazzer.skip=true -Dtest=WireReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dringfence.wire.write=true}.
 */
class WireReferenceTest {
    private static final Path PAGE = Path.of("..", "docs", "wire.md");

    @Test
    void docsWireMdHoldsTheLayoutOfTheSchemaAsBuilt() throws Exception {
        final String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        final int begin = page.indexOf(WireReference.BEGIN);
        final int end = page.indexOf(WireReference.END);
        assertTrue(begin >= 0 && end > begin, "docs/wire.md has its generated part's markers");
        final String rendered = WireReference.render(WireReference.ir());
        if (Boolean.getBoolean("ringfence.wire.write")) {
            Files.writeString(PAGE, page.substring(0, begin) + rendered + page.substring(end + WireReference.END.length()),
                StandardCharsets.UTF_8);
            return;
        }
        assertEquals(rendered, page.substring(begin, end + WireReference.END.length()),
            "docs/wire.md is not the schema's layout: rewrite it as this test's Javadoc says");
    }

    @Test
    void theRenderedOffsetsAreTheGeneratedCodecs() throws Exception {
        final String rendered = WireReference.render(WireReference.ir());
        assertTrue(rendered.contains("#### `Order`: template " + OrderEncoder.TEMPLATE_ID + ", block " + OrderEncoder.BLOCK_LENGTH
            + " bytes"), "the Order heading");
        assertTrue(rendered.contains("| " + OrderEncoder.instrumentIdEncodingOffset() + " | 36 | `instrumentId` |"),
            "Order.instrumentId's offset");
        assertTrue(rendered.contains("| " + OrderEncoder.ItemsEncoder.unitPriceEncodingOffset() + " | 8 | `items[].unitPrice` |"),
            "an item's unitPrice offset within its entry");
        assertTrue(rendered.contains("| " + LogonEncoder.answeredClientSeqEncodingOffset() + " | 8 | `answeredClientSeq` | int64 | 6 |"),
            "Logon.answeredClientSeq, since version 6");
    }
}
