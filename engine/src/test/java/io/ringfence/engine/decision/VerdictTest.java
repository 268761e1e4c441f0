package io.ringfence.engine.decision;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reasons a decision holds: at most eight, the engine's own (OVERSELL, ID_REUSED) told even after eight rules'. */
class VerdictTest {
    private static List<String> reasons(final Verdict v) {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < v.reasonCount(); i++) {
            out.add(v.reasonText(i));
        }
        return out;
    }

    @Test
    void theEnginesOwnReasonsTakeThePlaceOfTheLeastImportantRulesReasons() {
        final Verdict v = new Verdict();
        for (int r = 1; r <= 9; r++) {
            v.reason(Verdict.code("RULE_" + r)); // rules in precedence order: the ninth is not held
        }
        assertEquals(List.of("RULE_1", "RULE_2", "RULE_3", "RULE_4", "RULE_5", "RULE_6", "RULE_7", "RULE_8"), reasons(v));
        v.reasonKept(Verdict.code("OVERSELL"));
        assertEquals(List.of("RULE_1", "RULE_2", "RULE_3", "RULE_4", "RULE_5", "RULE_6", "RULE_7", "OVERSELL"), reasons(v));
        v.reasonKept(Verdict.code("ID_REUSED"));
        assertEquals(List.of("RULE_1", "RULE_2", "RULE_3", "RULE_4", "RULE_5", "RULE_6", "OVERSELL", "ID_REUSED"), reasons(v),
                "review: ID_REUSED took OVERSELL's place");
        v.reset();
        v.reason(Verdict.code("RULE_1"));
        v.reasonKept(Verdict.code("ID_REUSED"));
        assertEquals(List.of("RULE_1", "ID_REUSED"), reasons(v), "with room: appended");
        for (int k = 0; k < 9; k++) {
            v.reasonKept(Verdict.code("K" + k));
        }
        assertEquals(8, v.reasonCount());
        assertEquals("K6", v.reasonText(7), "all kept: the later ones are not held");
    }
}
