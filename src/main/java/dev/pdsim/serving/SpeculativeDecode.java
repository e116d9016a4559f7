package dev.pdsim.serving;

import dev.pdsim.scenario.SpeculativeAcceptance;
import dev.pdsim.scenario.SpeculativeArgs;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * What EAGLE speculative decoding with DeepSeek's MTP layer does to one decode server's iteration
 * (srt/speculative/eagle_worker.py:296-337): the draft proposes {@code num_steps} tokens per
 * request, the target verifies them with the last accepted token in one forward, and the draft
 * extends over the tokens accepted. With a chain (topk 1) a request gains 1 + A tokens, A the
 * leading drafts accepted, each with its position's probability given all before it were.
 * Draws come from the server's own stream, so runs without speculation draw nothing new.
 */
final class SpeculativeDecode {
    private final SpeculativeArgs args;
    private final SpeculativeAcceptance acceptance;
    private final RandomGenerator random;
    /** Verifies by tokens gained, index 1..num_draft_tokens (before a request's last token caps it). */
    private final long[] gained;

    SpeculativeDecode(SpeculativeArgs args, SpeculativeAcceptance acceptance, RandomGenerator random) {
        this.args = args;
        this.acceptance = acceptance;
        this.random = random;
        this.gained = new long[args.numDraftTokens() + 1];
    }

    SpeculativeArgs args() {
        return args;
    }

    /** One request's verify: the verified token plus the drafts accepted before the first rejection. */
    int drawGain() {
        int drafts = args.numDraftTokens() - 1;
        int accepted = 0;
        while (accepted < drafts && random.nextDouble() < acceptance.at(accepted + 1)) {
            accepted++;
        }
        gained[accepted + 1]++;
        return accepted + 1;
    }

    /** The accepted lengths drawn so far, index 1..num_draft_tokens (index 0 unused). */
    long[] gainedHistogram() {
        return gained.clone();
    }
}
