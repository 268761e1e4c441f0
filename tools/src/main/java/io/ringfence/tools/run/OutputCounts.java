package io.ringfence.tools.run;

/** Outputs a sink wrote, in total, by SBE template id and decisions by outcome, for the closing summary. */
public interface OutputCounts {
    /** Outputs written so far. */
    long written();

    /** Outputs of one SBE template id (read after the pipeline has drained). */
    long count(int templateId);

    /** Decisions of one outcome (read after the pipeline has drained). */
    long decisions(io.ringfence.sbe.Outcome outcome);

    /** The engine's rejects of journaled events by code ({@link OutcomeCounts#engineRejects(long)}), if all {@code total}. */
    String engineRejects(long total);
}
