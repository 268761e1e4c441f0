package io.ringfence.tools.convert;

import io.ringfence.tools.RingfenceMain;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * {@code ringfence convert --format NAME [--input PATH] --out FILE.jsonl}: turns a public data
 * set into event JSON Lines (DESIGN §4.1, §9). The format is a {@link SourceConverter} chosen
 * from {@link SourceFormats}; each format's policy is in its class Javadoc and in this
 * command's {@code --help}.
 *
 * <p>The output is written to a temporary file next to {@code --out} and renamed when complete,
 * so a failed run never leaves a partial file behind. Progress goes to stderr as a bar when
 * there is a terminal; the summary line always does.
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Turns a public data set (see shared/data/README.md) into event JSON Lines "
                + "(DESIGN §4.1), one event per line, sorted by event time.",
            "A summary (rows read, source records, events written, records skipped per reason) "
                + "goes to stderr, with a progress bar while reading when stderr is a terminal.",
        },
        footer = {
            "",
            "Formats and their policies:",
            OnlineRetailConverter.HELP,
            FraudEcommerceConverter.HELP,
            PaySimConverter.HELP,
            "",
            "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input file (the message",
            "names the file, the line and the reason).",
        })
public final class ConvertCommand implements Callable<Integer> {
    /** Where the default input is looked for, relative to the working directory, in order. */
    static final List<String> SHARED_DIRS = List.of("../shared", "shared");

    private static final int BUFFER = 1 << 16;

    @Spec
    private CommandSpec spec;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            completionCandidates = SourceFormats.Names.class,
            description = "Source format: ${COMPLETION-CANDIDATES}.")
    private String format;

    @Option(names = "--input", paramLabel = "PATH",
            description = {"Input file; gzip (.gz) is read transparently.",
                "Default: the format's file under ../shared/ or else shared/ (relative to the working directory,",
                "then to the checkout the launcher runs from)."})
    private Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl",
            description = "Output JSON Lines file, or - for stdout.")
    private String out;

    @Override
    public Integer call() {
        final SourceConverter converter = SourceFormats.create(format).orElseThrow(() -> usage(
                "unknown --format '" + format + "'; known formats: " + String.join(", ", SourceFormats.names())));
        final Path in = input != null ? input : defaultInput(converter);
        if (Files.isDirectory(in)) {
            throw usage("--input " + in + " is a directory, not a file");
        }
        if (!Files.isRegularFile(in)) {
            throw usage("input file not found: " + in);
        }
        if (out != null && !"-".equals(out) && Files.isDirectory(Path.of(out))) { // said at the end, after the whole conversion (review)
            throw usage("--out " + out + " is a directory; give the file to write");
        }
        final String clash = io.ringfence.tools.io.OutputFiles.sameAsInput("--out", out, "--input", in);
        if (clash != null) {
            throw usage(clash);
        }
        final Path outFile = "-".equals(out) ? null : Path.of(out);
        if (outFile != null) {
            final Path dir = outFile.toAbsolutePath().getParent();
            try {
                Files.createDirectories(dir); // as every other command's --out: a fresh checkout has no out/ yet
            } catch (final IOException e) {
                throw usage("cannot create the output directory " + dir + ": " + e);
            }
        }

        final PrintWriter err = spec.commandLine().getErr();
        final long start = System.nanoTime();
        try {
            converter.reportTo(message -> {
                err.println("ringfence convert: skipped " + message);
                err.flush();
            });
            final ConversionSummary summary = convert(converter, in, outFile);
            final double seconds = (System.nanoTime() - start) / 1e9;
            err.printf(java.util.Locale.ROOT, "ringfence convert: %s -> %s in %.1f s%n", summary.toLine(), outFile == null ? "stdout" : outFile, seconds);
            err.flush();
            return RingfenceMain.EXIT_OK;
        } catch (final BadInputException e) {
            err.println("ringfence convert: bad input file " + e.getMessage());
            err.flush();
            return RingfenceMain.EXIT_USAGE;
        } catch (final IOException | RuntimeException e) {
            err.println("ringfence convert: failed converting " + in + ": " + e);
            err.flush();
            return RingfenceMain.EXIT_FAILURE;
        }
    }

    private ConversionSummary convert(final SourceConverter converter, final Path in, final Path outFile)
            throws IOException, BadInputException {
        final ProgressBar bar = System.console() == null ? null : new ProgressBarBuilder()
                .setTaskName("convert " + converter.name())
                .setInitialMax(Files.size(in))
                .setUnit(" MiB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .build();
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(in), bar == null ? null : bar::stepTo);
             Reader reader = utf8(decompressed(counted));
             JsonLinesTarget target = JsonLinesTarget.open(outFile)) {
            final EventJsonWriter writer = new EventJsonWriter(target.stream());
            final ConversionSummary summary = converter.convert(reader, in.toString(), writer);
            writer.close();
            target.commit();
            return summary;
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
    }

    private Path defaultInput(final SourceConverter converter) {
        for (final String dir : SHARED_DIRS) {
            final Path candidate = Path.of(dir, converter.defaultInput());
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        final String home = System.getProperty("ringfence.home"); // the launcher's checkout: works from any directory
        if (home != null) {
            for (final String dir : SHARED_DIRS) {
                final Path candidate = Path.of(home).resolve(dir).resolve(converter.defaultInput()).normalize();
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        final Path here = Path.of("").toAbsolutePath();
        final boolean elsewhere = home != null && !Path.of(home).toAbsolutePath().normalize().equals(here.normalize());
        // trial: a fresh clone without ../shared/data beside it named the same directory twice and not the way out
        throw usage("no --input given and the default input was not found at "
                + String.join(" or ", SHARED_DIRS.stream().map(d -> d + "/" + converter.defaultInput()).toList())
                + " (relative to " + here + (elsewhere ? " and to " + home : "") + "): give the file with --input PATH"
                + " (each data set's file: README \"Try it on real data\", docs/real-data.md)");
    }

    private ParameterException usage(final String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Gzip is recognised by its magic bytes, whatever the file is called. */
    private static InputStream decompressed(final InputStream raw) throws IOException {
        final BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        final int b0 = in.read();
        final int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, BUFFER) : in;
    }

    private static Reader utf8(final InputStream in) {
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }
}
