package io.ringfence.tools.run;

/** Outputs a sink wrote, in total and by SBE template id, for the closing summary. */
public interface OutputCounts {
    /** Outputs written so far. */
    long written();

    /** Outputs of one SBE template id (read after the pipeline has drained). */
    long count(int templateId);
}
