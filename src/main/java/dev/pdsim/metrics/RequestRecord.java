package dev.pdsim.metrics;

/**
 * Everything requests.csv holds about one request. Times in simulated nanoseconds, negative when
 * the request never reached that point.
 */
public record RequestRecord(long id, String kind, long arrivalNs, int inputLen, int outputLen, long bootstrapRoom,
                            String prefillInstance, int prefillDpRank, String decodeInstance, int decodeDpRank,
                            long bootstrappedNs, long prefillStartNs, long prefillEndNs, long kvTransferStartNs,
                            long kvTransferEndNs, long decodeStartNs, long firstTokenNs, long finishNs,
                            int outputTokens, String state, String reason) {

    public static final String[] HEADER = {"id", "kind", "arrival_s", "input_len", "output_len", "bootstrap_room",
            "prefill_instance", "prefill_dp_rank", "decode_instance", "decode_dp_rank", "bootstrapped_s",
            "prefill_start_s", "prefill_end_s", "kv_transfer_start_s", "kv_transfer_end_s", "decode_start_s",
            "first_token_s", "finish_s", "output_tokens", "state", "reason"};
}
