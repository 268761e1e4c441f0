package io.ringfence.tools.snapshot;

import io.ringfence.engine.Engine;
import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.tools.generate.ShopWorkload;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test support: a seeded shop workload as SBE events, journals written from it, outputs collected by sequence. */
final class SnapshotJournals {
    static final long START = 1_700_000_000_000_000L;
    /** Ingest times one second apart (journaled; the snapshot policy's event clock). */
    static final long INGEST_STEP = 1_000_000L;

    private SnapshotJournals() {
    }

    /** {@code count} events (SBE, header first) of a seeded workload: 2,000 users, an event every ~0.2 s of event time. */
    static List<byte[]> events(final long seed, final int count) {
        return events(seed, 2_000, count);
    }

    /** {@code count} events (SBE, header first) of a seeded workload of {@code users} users, an event every ~0.2 s of event time. */
    static List<byte[]> events(final long seed, final int users, final int count) {
        final ByteArrayOutputStream json = new ByteArrayOutputStream();
        try {
            new ShopWorkload(seed, users, START, 200_000, json).write(count);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final JsonEventParser parser = new JsonEventParser();
        final ParseResult result = new ParseResult();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final List<byte[]> events = new ArrayList<>(count);
        long line = 0;
        for (final String text : json.toString(StandardCharsets.UTF_8).split("\n")) {
            line++;
            final int length = parser.parse(text, line, line, buffer, 0, result);
            if (length == JsonEventParser.REJECTED) {
                throw new IllegalStateException("line " + line + " refused: " + result);
            }
            final byte[] event = new byte[length];
            buffer.getBytes(0, event);
            events.add(event);
        }
        return events;
    }

    static EngineConfig config(final boolean snapshots, final long everyEvents) {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.snapshot.enabled = snapshots;
        config.snapshot.everyEvents = everyEvents;
        config.snapshot.everyEventTime = "0s";
        config.snapshot.retain = 10;
        config.validate();
        return config;
    }

    /** Journals {@code events[from, to)} into {@code data} (continuing its journal), with clientSeq = index + 1. */
    static void journal(final Path data, final List<byte[]> events, final int from, final int to) {
        try (Engine engine = Engine.journaled(config(false, 0), data, new Outputs())) {
            publish(engine.pipeline(), events, from, to);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
        }
    }

    static void publish(final Pipeline pipeline, final List<byte[]> events, final int from, final int to) {
        final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(new byte[0]);
        for (int i = from; i < to; i++) {
            final byte[] e = events.get(i);
            view.wrap(e);
            pipeline.publish(START + (i + 1) * INGEST_STEP, 7, i + 1, view, 0, e.length);
        }
    }

    /** Every output, as (sequence, bytes), in dispatch order. */
    static final class Outputs implements OutputSink {
        final List<Long> sequences = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();

        @Override
        public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                             final int offset, final int length) {
            final byte[] b = new byte[length];
            buffer.getBytes(offset, b);
            sequences.add(sequence);
            messages.add(b);
        }

        /** The outputs of events after {@code sequence}, each prefixed with its sequence, as one list of strings. */
        List<String> after(final long sequence) {
            final List<String> out = new ArrayList<>();
            for (int i = 0; i < sequences.size(); i++) {
                if (sequences.get(i) > sequence) {
                    out.add(sequences.get(i) + ":" + java.util.HexFormat.of().formatHex(messages.get(i)));
                }
            }
            return out;
        }
    }
}
