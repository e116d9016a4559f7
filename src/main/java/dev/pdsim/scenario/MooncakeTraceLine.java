package dev.pdsim.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One line of Mooncake's JSONL trace: {@code {"timestamp": ms, "input_length": n, "output_length": n,
 * "hash_ids": [...]}}. Other keys are ignored; the four are required.
 */
final class MooncakeTraceLine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MooncakeTraceLine() {
    }

    /** The request of {@code line}, its arrival the timestamp in nanoseconds (not yet an offset). */
    static TraceRequest parse(String line) throws TraceLineException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new TraceLineException(e.getLocation() == null ? 1 : e.getLocation().getColumnNr(),
                    "not a JSON object: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new TraceLineException(1, "not a JSON object; each line is one request {\"timestamp\": ms, "
                    + "\"input_length\": n, \"output_length\": n, \"hash_ids\": [...]}");
        }
        JsonNode ts = field(n, "timestamp");
        if (!ts.isNumber() || !(ts.asDouble() >= 0) || ts.asDouble() > Long.MAX_VALUE / 1e6) {
            throw new TraceLineException(column(line, "timestamp"), "timestamp must be milliseconds (a number >= 0), "
                    + "got " + ts);
        }
        int input = tokens(n, line, "input_length");
        int output = tokens(n, line, "output_length");
        JsonNode ids = field(n, "hash_ids");
        if (!ids.isArray()) {
            throw new TraceLineException(column(line, "hash_ids"), "hash_ids must be a list of block ids, got " + ids);
        }
        int blocks = (input + TraceRequest.BLOCK_TOKENS - 1) / TraceRequest.BLOCK_TOKENS;
        if (ids.size() > blocks) {
            throw new TraceLineException(column(line, "hash_ids"), "hash_ids has " + ids.size() + " ids but "
                    + "input_length " + input + " fills only " + blocks + (blocks == 1 ? " block" : " blocks") + " of "
                    + TraceRequest.BLOCK_TOKENS + " tokens");
        }
        long[] blockIds = new long[ids.size()];
        for (int i = 0; i < blockIds.length; i++) {
            JsonNode id = ids.get(i);
            if (!id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() < 0) {
                throw new TraceLineException(column(line, "hash_ids"), "hash_ids[" + i + "] must be a whole number "
                        + ">= 0, got " + id);
            }
            blockIds[i] = id.asLong();
        }
        return new TraceRequest(Math.round(ts.asDouble() * 1e6), input, output, blockIds, -1);
    }

    private static JsonNode field(JsonNode n, String key) throws TraceLineException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new TraceLineException(1, "missing \"" + key + "\"; each line needs timestamp, input_length, "
                    + "output_length and hash_ids");
        }
        return v;
    }

    private static int tokens(JsonNode n, String line, String key) throws TraceLineException {
        JsonNode v = field(n, key);
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > ScenarioFields.MAX_TOKENS) {
            throw new TraceLineException(column(line, key), key + " must be a whole number of tokens from 1 to "
                    + ScenarioFields.MAX_TOKENS + ", got " + v);
        }
        return v.asInt();
    }

    /** Where the key is written on the line, so the message points at it. */
    private static int column(String line, String key) {
        return line.indexOf('"' + key + '"') + 1;
    }
}
