package dev.pdsim.scenario;

/**
 * EAGLE speculative decoding of one server after {@code ServerArgs.__post_init__}
 * (srt/server_args.py:446-505): for DeepSeek-V3/R1 the draft is the checkpoint's own MTP layer
 * ({@code --speculative-algorithm NEXTN} is EAGLE under another name, :446-448).
 *
 * @param numSteps       draft tokens proposed per request per iteration ({@code speculative_num_steps})
 * @param eagleTopk      branches kept per draft step ({@code speculative_eagle_topk}); pdsim runs only 1
 * @param numDraftTokens tokens the target verifies per request: the last accepted one plus the drafts
 */
public record SpeculativeArgs(int numSteps, int eagleTopk, int numDraftTokens) {

    /**
     * KV slots the shared pool adds for drafts and verification of {@code requestSlots} requests
     * (srt/model_executor/model_runner.py:898-914): each request's draft tokens, its verified
     * tokens, and 100 spare.
     */
    public long poolHeadroomTokens(int requestSlots) {
        return (long) requestSlots * numSteps * eagleTopk + (long) requestSlots * numDraftTokens + 100;
    }

    /** Slots a running request holds for one iteration's drafts and verification, beyond its own tokens. */
    public int transientSlotsPerRequest() {
        return numSteps * eagleTopk + numDraftTokens;
    }
}
