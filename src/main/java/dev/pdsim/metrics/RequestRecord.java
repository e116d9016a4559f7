package dev.pdsim.metrics;

/**
 * Everything requests.csv holds about one request. Times in seconds of simulated time, negative
 * when the request never reached that point.
 */
public record RequestRecord(long id, String kind, double arrivalS, int inputLen, int outputLen, long bootstrapRoom,
                            String prefillInstance, int prefillDpRank, String decodeInstance, int decodeDpRank,
                            double bootstrappedS, double prefillStartS, double prefillEndS, double kvTransferStartS,
                            double kvTransferEndS, double decodeStartS, double firstTokenS, double finishS,
                            int outputTokens, String state, String reason) {

    public static final String[] HEADER = {"id", "kind", "arrival_s", "input_len", "output_len", "bootstrap_room",
            "prefill_instance", "prefill_dp_rank", "decode_instance", "decode_dp_rank", "bootstrapped_s",
            "prefill_start_s", "prefill_end_s", "kv_transfer_start_s", "kv_transfer_end_s", "decode_start_s",
            "first_token_s", "finish_s", "output_tokens", "state", "reason"};
}
