package dev.pdsim.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Streams request records to requests.csv as they finish (one row each, in completion order). */
public final class RequestCsvWriter implements RequestSink {
    private final CSVPrinter printer;

    public RequestCsvWriter(Path file) {
        try {
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(RequestRecord.HEADER)
                    .setRecordSeparator('\n').build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void accept(RequestRecord r) {
        try {
            printer.printRecord(r.id(), r.kind(), s(r.arrivalS()), r.inputLen(), r.outputLen(), r.bootstrapRoom(),
                    r.prefillInstance(), r.prefillDpRank(), r.decodeInstance(), r.decodeDpRank(), s(r.bootstrappedS()),
                    s(r.prefillStartS()), s(r.prefillEndS()), s(r.kvTransferStartS()), s(r.kvTransferEndS()),
                    s(r.decodeStartS()), s(r.firstTokenS()), s(r.finishS()), r.outputTokens(), r.state(), r.reason());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nanosecond-exact seconds (9 decimals), empty when the request never got there. */
    private static String s(double seconds) {
        return seconds < 0 ? "" : String.format(Locale.ROOT, "%.9f", seconds);
    }

    @Override
    public void close() {
        try {
            printer.close(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
