/**
 * The ringfence journal: a sequenced, append-only log of opaque records on Chronicle Queue.
 *
 * <pre>
 *   journal stage ──append(seq, header, payload)──▶ {@link io.ringfence.journal.JournalAppender}
 *                                                        │ one excerpt per record
 *                                                        ▼ ({@link io.ringfence.journal.JournalRecordDescriptor})
 *                                      data directory: yyyyMMdd'F'.cq4 per roll cycle + metadata.cq4t
 *                                                        │
 *   replay / recovery / tools ◀──next(handler)── {@link io.ringfence.journal.JournalReader} (seek by sequence)
 * </pre>
 *
 * <p>{@link io.ringfence.journal.Journal} opens a directory; {@link io.ringfence.journal.JournalConfig}
 * holds its settings. Damage is reported as {@link io.ringfence.journal.JournalCorruptException}; every
 * other refusal as {@link io.ringfence.journal.JournalException}.
 */
package io.ringfence.journal;
