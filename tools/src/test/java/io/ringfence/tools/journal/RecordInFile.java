package io.ringfence.tools.journal;

import io.ringfence.journal.JournalRecordDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where a journal record lies in the data directory's first cycle file, found from its documented layout (tests). */
record RecordInFile(Path file, int offset, byte[] content) {
    static RecordInFile of(final Path data, final long sequence) throws IOException {
        final Path file;
        try (Stream<Path> files = Files.list(data)) {
            file = files.filter(p -> p.toString().endsWith(".cq4")).sorted().findFirst().orElseThrow();
        }
        final byte[] content = Files.readAllBytes(file);
        for (int i = 4; i + JournalRecordDescriptor.HEADER_LENGTH <= content.length; i += 4) {
            if (content[i] == 1 && content[i + 1] == 0 && ByteBuffer.wrap(content, i + JournalRecordDescriptor.SEQUENCE_OFFSET, 8)
                    .order(ByteOrder.LITTLE_ENDIAN).getLong() == sequence) {
                return new RecordInFile(file, i, content);
            }
        }
        throw new AssertionError("record " + sequence + " not found in " + file);
    }

    /** The excerpt's length, from Chronicle's 4-byte header before it. */
    int length() {
        return ByteBuffer.wrap(content, offset - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0x3fffffff;
    }
}
