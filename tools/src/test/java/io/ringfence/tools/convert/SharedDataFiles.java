package io.ringfence.tools.convert;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data files of the shared data folder ({@code shared/data}, described in its README),
 * for tests that convert them. Surefire names the folder in the system property
 * {@value #SHARED_DATA_PROPERTY}. A missing file fails the test, never skips it.
 */
public final class SharedDataFiles {
    /** System property (set by surefire) naming the shared data folder. */
    public static final String SHARED_DATA_PROPERTY = "ringfence.shared.data";

    private SharedDataFiles() {
    }

    /**
     * @param relative the file below {@code shared/data}, e.g. {@code paysim/paysim_first5330.csv}
     * @param dataSet  the data set's name, for the message
     * @param section  its section in {@code shared/data/README.md}, for the message
     */
    public static Path require(final String relative, final String dataSet, final int section) {
        final String shared = System.getProperty(SHARED_DATA_PROPERTY);
        if (shared == null) {
            throw new AssertionError("system property " + SHARED_DATA_PROPERTY
                    + " is not set; run the tests through Maven (surefire sets it to the shared data folder)");
        }
        final Path file = Path.of(shared, relative);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(dataSet + " data file not found: " + file.toAbsolutePath()
                    + " (" + SHARED_DATA_PROPERTY + "=" + shared + "); see shared/data/README.md section " + section);
        }
        return file;
    }
}
