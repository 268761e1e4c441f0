package io.ringfence.journal;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Reads Chronicle Queue excerpt headers straight from a {@code .cq4} file, for what the tailer API does not
 * say: whether the data ends in an excerpt whose write never finished. Chronicle marks an excerpt being
 * written with the top bit of its 4-byte header word and readers treat it as "not there yet", so a write
 * cut short by a crash would otherwise look like a clean end.
 *
 * <pre>
 *   header word (little-endian int32, at a 4-byte aligned position):
 *   bit 31 NOT_COMPLETE, bit 30 META_DATA, bits 0..29 length of the excerpt body that follows
 * </pre>
 */
final class ChronicleExcerpts {
    static final int NOT_COMPLETE = 0x8000_0000;
    static final int META_DATA = 0x4000_0000;
    static final int LENGTH_MASK = 0x3FFF_FFFF;
    /** Written at the end of a rolled cycle file. */
    static final int END_OF_DATA = NOT_COMPLETE | META_DATA;
    private static final int MAX_METADATA_HOPS = 16;

    private ChronicleExcerpts() {
    }

    /** Whether the 4-byte excerpt header word at {@code position} of {@code file} is zero (false if it cannot be read). */
    static boolean zeroAt(File file, long position) {
        try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
            if (position < 0 || position + 4 > raf.length()) {
                return false;
            }
            raf.seek(position);
            return raf.readInt() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Where the excerpt whose header word is at {@code position} ends (its header word and body): what a file must hold
     * for it to be read; {@code position + 4} when that word lies past the file's end.
     */
    static long endOfExcerptAt(File file, long position) {
        try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
            if (position < 0 || position + 4 > raf.length()) {
                return position + 4;
            }
            raf.seek(position);
            return position + 4 + (Integer.reverseBytes(raf.readInt()) & LENGTH_MASK);
        } catch (IOException e) {
            return position + 4;
        }
    }

    /**
     * Looks at the excerpt headers from {@code position} (just after the last complete data excerpt),
     * stepping over complete metadata excerpts (Chronicle's indexes).
     *
     * @return null at a clean end (a zero word or the end-of-file marker), otherwise what is there
     */
    static String incompleteAfter(File file, long position) {
        long at = (position + 3) & ~3L;
        try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
            for (int hop = 0; hop < MAX_METADATA_HOPS; hop++) {
                if (at + 4 > raf.length()) {
                    return null;
                }
                raf.seek(at);
                int word = Integer.reverseBytes(raf.readInt());
                if (word == 0 || word == END_OF_DATA) {
                    return null;
                }
                if ((word & NOT_COMPLETE) != 0) {
                    return "the journal ends in an incomplete excerpt at byte " + at + " of " + JournalView.original(file)
                            + " (header 0x" + Integer.toHexString(word) + ": a write that did not finish, cut short"
                            + " by a crash or still in progress)";
                }
                if ((word & META_DATA) == 0) {
                    return null; // a complete data excerpt: a record appended since the reader looked
                }
                at = (at + 4 + (word & LENGTH_MASK) + 3) & ~3L;
            }
            return null;
        } catch (IOException e) {
            return null; // best effort: the records themselves were read and verified
        }
    }
}
