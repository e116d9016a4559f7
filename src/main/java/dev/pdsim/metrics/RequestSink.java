package dev.pdsim.metrics;

import java.util.List;

/**
 * Takes each request's record once, when it reaches its terminal state, so a run's memory stays
 * proportional to the requests in flight rather than to all requests ever submitted.
 */
public interface RequestSink extends AutoCloseable {
    void accept(RequestRecord record);

    @Override
    void close();

    RequestSink NONE = new RequestSink() {
        @Override
        public void accept(RequestRecord record) {
        }

        @Override
        public void close() {
        }
    };

    /** Keeps every record in {@code records}, in the order the requests end. */
    static RequestSink into(List<RequestRecord> records) {
        return new RequestSink() {
            @Override
            public void accept(RequestRecord record) {
                records.add(record);
            }

            @Override
            public void close() {
            }
        };
    }
}
