package dev.pdsim.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            printer.printRecord(r.id(), r.kind(), s(r.arrivalNs()), r.inputLen(), r.outputLen(), r.bootstrapRoom(),
                    r.prefillInstance(), r.prefillDpRank(), r.decodeInstance(), r.decodeDpRank(), s(r.bootstrappedNs()),
                    s(r.prefillStartNs()), s(r.prefillEndNs()), s(r.kvTransferStartNs()), s(r.kvTransferEndNs()),
                    s(r.decodeStartNs()), s(r.firstTokenNs()), s(r.finishNs()), r.outputTokens(), r.state(), r.reason());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nanosecond-exact seconds (9 decimals, no floating point), empty when the request never got there. */
    static String s(long ns) {
        if (ns < 0) {
            return "";
        }
        // Built in one buffer: one row has eight of these, and a large run writes millions of rows.
        StringBuilder sb = new StringBuilder(20).append(ns / 1_000_000_000L).append('.');
        long frac = ns % 1_000_000_000L;
        for (long digit = 100_000_000L; digit > frac && digit > 1; digit /= 10) {
            sb.append('0');
        }
        return sb.append(frac).toString();
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
