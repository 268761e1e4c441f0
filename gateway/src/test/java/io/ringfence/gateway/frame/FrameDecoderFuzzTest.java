package io.ringfence.gateway.frame;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of framing with Jazzer. Under plain {@code mvn verify} (no
 * {@code JAZZER_FUZZ}) this runs in regression mode: the empty input plus the seeds in
 * {@code FrameDecoderFuzzTestInputs/}. With {@code JAZZER_FUZZ=1} it fuzzes for
 * {@code maxDuration}:
 * <pre>JAZZER_FUZZ=1 mvn -B verify -pl gateway -Dtest=FrameDecoderFuzzTest</pre>
 * Any finding is written to the inputs directory and then replays as a regression seed.
 */
class FrameDecoderFuzzTest {
    /** Small, so the fuzzer reaches the too-large branch and whole frames easily. */
    private static final int MAX_FRAME = 512;
    private static final int MAX_SPLITS = 16;

    private final FramingProperty property = new FramingProperty(MAX_FRAME);

    @FuzzTest(maxDuration = "20s")
    void anyBytesSplitAnywhereDecodeLikeTheWhole(final FuzzedDataProvider data) {
        final int[] splits = new int[data.consumeInt(0, MAX_SPLITS)];
        for (int i = 0; i < splits.length; i++) {
            splits[i] = data.consumeInt(1, MAX_FRAME + 16);
        }
        property.check(data.consumeRemainingAsBytes(), splits);
    }
}
