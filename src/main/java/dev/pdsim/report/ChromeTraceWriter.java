package dev.pdsim.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pdsim.serving.TraceSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams a Chrome trace-event JSON file (opens in ui.perfetto.dev and chrome://tracing): one
 * process per instance, one thread (track) per rank, complete events ("X") in microseconds. Stops
 * adding events past {@code maxEvents}, saying so in the metadata, so a long run cannot fill a disk.
 */
public final class ChromeTraceWriter implements TraceSink, AutoCloseable {
    private final JsonGenerator out;
    private final Map<String, Integer> pids = new LinkedHashMap<>();
    private final Map<String, Boolean> namedThreads = new LinkedHashMap<>();
    private final long maxEvents;
    private long events;
    private boolean truncated;

    public ChromeTraceWriter(Path file, long maxEvents) {
        this.maxEvents = maxEvents;
        try {
            out = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8);
            out.writeStartObject();
            out.writeStringField("displayTimeUnit", "ms");
            out.writeArrayFieldStart("traceEvents");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void slice(String instance, int rank, String name, String category, long startNs, long endNs, String args) {
        event("X", instance, rank, name, category, startNs, Math.max(endNs - startNs, 0), args);
    }

    @Override
    public void instant(String instance, int rank, String name, long atNs, String args) {
        event("i", instance, rank, name, null, atNs, -1, args);
    }

    /** A complete ("X", with a duration) or instant ("i", thread-scoped) event. */
    private void event(String phase, String instance, int rank, String name, String category, long atNs, long durNs,
                       String args) {
        if (!admit()) {
            return;
        }
        int pid = pid(instance);
        thread(pid, instance, rank);
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
            out.writeNumberField("tid", rank);
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

    private boolean admit() {
        if (events >= maxEvents) {
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

    private void thread(int pid, String instance, int rank) {
        if (namedThreads.putIfAbsent(instance + "/" + rank, Boolean.TRUE) == null) {
            metadata("thread_name", pid, rank, "rank " + rank);
        }
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
            out.writeBooleanField("truncated", truncated);
            out.writeNumberField("events", events);
            out.writeEndObject();
            out.writeEndObject();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
