package io.ringfence.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every sync policy journals and reads back the same records; sync() is callable after each append or batch. */
class JournalSyncTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JournalSync.class)
    void shouldJournalAndReadBackUnderEverySyncPolicy(final JournalSync sync) {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        try (Journal journal = Journal.open(JournalConfig.builder(dir).sync(sync, 5).build())) {
            final JournalAppender appender = journal.appender();
            for (int i = 1; i <= 1_000; i++) {
                payload.putInt(0, i);
                appender.append(i, i, 1, i, payload, 0, 64);
                if (i % 10 == 0) {
                    appender.sync();
                }
            }
        }
        final long[] read = new long[1];
        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            while (reader.next((s, t, src, c, b, o, l) -> {
                assertEquals(read[0] + 1, s);
                assertEquals(s, b.getInt(o));
                read[0]++;
            })) {
                // to the end
            }
        }
        assertEquals(1_000, read[0]);
    }
}
