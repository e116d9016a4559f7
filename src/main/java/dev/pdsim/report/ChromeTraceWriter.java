package dev.pdsim.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pdsim.serving.TraceSink;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Streams a Chrome trace-event JSON file (opens in ui.perfetto.dev and chrome://tracing): one
 * process per instance; per rank a track and, below it, one track per TBO child, since the two
 * children's operations overlap in time and slices on one track must nest. Complete events ("X")
 * in microseconds. Only events that overlap the time window are written, and writing stops at a
 * byte budget (the metadata then says {@code truncated}), so a busy cluster's trace stays small
 * enough for Perfetto to open.
 */
public final class ChromeTraceWriter implements TraceSink, AutoCloseable {
    /** Tracks per rank: its own, then TBO child A, then child B. */
    private static final int TRACKS_PER_RANK = 3;

    private final CountingStream counted;
    private final JsonGenerator out;
    private final Map<String, Integer> pids = new LinkedHashMap<>();
    private final Set<String> namedThreads = new HashSet<>();
    private final long windowStartNs;
    private final long windowEndNs;
    private final long maxBytes;
    private long events;
    private long lastEventNs = -1;
    private boolean truncated;

    /** Writes the events that overlap {@code [windowStartNs, windowEndNs]}, until the file reaches {@code maxBytes}. */
    public ChromeTraceWriter(Path file, long windowStartNs, long windowEndNs, long maxBytes) {
        this.windowStartNs = windowStartNs;
        this.windowEndNs = windowEndNs;
        this.maxBytes = maxBytes;
        try {
            counted = new CountingStream(new BufferedOutputStream(Files.newOutputStream(file)));
            out = new JsonFactory().createGenerator((OutputStream) counted, JsonEncoding.UTF8);
            out.writeStartObject();
            out.writeStringField("displayTimeUnit", "ms");
            out.writeArrayFieldStart("traceEvents");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void slice(String instance, int rank, String child, String name, String category, long startNs, long endNs,
                      String args) {
        if (endNs < windowStartNs || startNs > windowEndNs) {
            return;
        }
        event("X", instance, rank, child, name, category, startNs, Math.max(endNs - startNs, 0), args);
    }

    @Override
    public void instant(String instance, int rank, String name, long atNs, String args) {
        if (atNs < windowStartNs || atNs > windowEndNs) {
            return;
        }
        event("i", instance, rank, null, name, null, atNs, -1, args);
    }

    /** A complete ("X", with a duration) or instant ("i", thread-scoped) event. */
    private void event(String phase, String instance, int rank, String child, String name, String category, long atNs,
                       long durNs, String args) {
        if (!admit()) {
            return;
        }
        lastEventNs = Math.max(lastEventNs, atNs);
        int pid = pid(instance);
        int tid = thread(pid, rank, child);
        try {
            out.writeStartObject();
            out.writeStringField("ph", phase);
            out.writeStringField("name", name);
            if (category != null) {
                out.writeStringField("cat", category);
            } else {
                out.writeStringField("s", "t");
            }
            out.writeNumberField("pid", pid);
            out.writeNumberField("tid", tid);
            out.writeNumberField("ts", atNs / 1000.0);
            if (durNs >= 0) {
                out.writeNumberField("dur", durNs / 1000.0);
            }
            out.writeObjectFieldStart("args");
            out.writeStringField("detail", args);
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the size cap stopped the trace before its window ended. */
    public boolean truncated() {
        return truncated;
    }

    /** The latest start of an event the trace kept, -1 before the first. */
    public long lastEventNs() {
        return lastEventNs;
    }

    private boolean admit() {
        if (truncated || counted.count + out.getOutputBuffered() >= maxBytes) {
            truncated = true;
            return false;
        }
        events++;
        return true;
    }

    private int pid(String instance) {
        Integer pid = pids.get(instance);
        if (pid != null) {
            return pid;
        }
        int id = pids.size() + 1;
        pids.put(instance, id);
        metadata("process_name", id, 0, instance);
        metadata("process_sort_index", id, 0, Integer.toString(id));
        return id;
    }

    /** The track of a rank, or of one of its TBO children, named and ordered under the rank on first use. */
    private int thread(int pid, int rank, String child) {
        int tid = rank * TRACKS_PER_RANK + (child == null ? 0 : child.equals("A") ? 1 : 2);
        if (namedThreads.add(pid + "/" + tid)) {
            metadata("thread_name", pid, tid, "rank " + rank + (child == null ? "" : " TBO " + child));
            metadata("thread_sort_index", pid, tid, Integer.toString(tid));
        }
        return tid;
    }

    private void metadata(String kind, int pid, int tid, String name) {
        try {
            out.writeStartObject();
            out.writeStringField("ph", "M");
            out.writeStringField("name", kind);
            out.writeNumberField("pid", pid);
            out.writeNumberField("tid", tid);
            out.writeObjectFieldStart("args");
            if (kind.endsWith("sort_index")) {
                out.writeNumberField("sort_index", Integer.parseInt(name));
            } else {
                out.writeStringField("name", name);
            }
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.writeEndArray();
            out.writeObjectFieldStart("metadata");
            out.writeStringField("generator", "pdsim");
            out.writeNumberField("window_start_s", windowStartNs / 1e9);
            out.writeNumberField("window_end_s", windowEndNs / 1e9);
            out.writeBooleanField("truncated", truncated);
            out.writeNumberField("events", events);
            out.writeEndObject();
            out.writeEndObject();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts the bytes that reach the file, for the budget. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
