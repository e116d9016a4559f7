package dev.pdsim.serving;

import dev.pdsim.model.MemoryModel;
import dev.pdsim.scenario.ServerArgs;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * SGLang's {@code get_new_batch_prefill} with its {@code PrefillAdder} for one rank of a colocated
 * server (srt/managers/scheduler.py:1512-1660, srt/managers/schedule_policy.py:270-520): the
 * chunked request first, then waiting requests first come first served, while the input budget
 * ({@code max_prefill_tokens}), the chunk budget ({@code chunked_prefill_size} per DP rank) and
 * the KV budget last. The KV budget is the free and evictable slots less what admitted prompts
 * take and, for every running and admitted request, its remaining output (at most 4096) scaled by
 * the rank's new-token ratio: {@code 0.7 x schedule_conservativeness} at first, decaying by a
 * 600th of the way to 14% of that every decode step (srt/managers/scheduler.py:453-466, 1686-1690;
 * python/sglang/global_config.py:24-32).
 */
final class ColocatedAdmission {
    /** {@code CLIP_MAX_NEW_TOKENS_ESTIMATION} (srt/managers/schedule_policy.py:38-40). */
    static final int CLIP_MAX_NEW_TOKENS = 4096;
    private static final double INIT_NEW_TOKEN_RATIO = 0.7;
    private static final double MIN_NEW_TOKEN_RATIO_FACTOR = 0.14;
    private static final double NEW_TOKEN_RATIO_DECAY_STEPS = 600;

    private final boolean chunking;
    private final int chunkTokens;
    private final int maxPrefillTokens;
    private final int maxRunningPerRank;
    private final int pageSize;
    private final double initRatio;
    private final double minRatio;
    private final double decay;

    /** @param maxRunningPerRank the scheduler's cap of one DP rank, as the server's memory gives it */
    ColocatedAdmission(ServerArgs a, int maxRunningPerRank) {
        this.chunking = a.chunkedPrefillSize() > 0;
        this.chunkTokens = a.chunkedPrefillSize();
        this.maxPrefillTokens = a.maxPrefillTokens();
        this.maxRunningPerRank = maxRunningPerRank;
        this.pageSize = a.pageSize();
        this.initRatio = Math.min(INIT_NEW_TOKEN_RATIO * a.scheduleConservativeness(), 1.0);
        this.minRatio = Math.min(initRatio * MIN_NEW_TOKEN_RATIO_FACTOR, 1.0);
        this.decay = (initRatio - minRatio) / NEW_TOKEN_RATIO_DECAY_STEPS;
    }

    double initNewTokenRatio() {
        return initRatio;
    }

    /** The ratio after one decode step that needed no retraction. */
    double decayed(double ratio) {
        return Math.max(ratio - decay, minRatio);
    }

    /**
     * Fills {@code rank.extending} with the requests of its next prefill batch, admitting new ones
     * (their prompt slots taken now, as a disaggregated prefill server does); returns the tokens each
     * computes. Empty when the rank should decode instead.
     *
     * @param mixed whether the running requests will decode inside this batch (each takes one token of the budgets)
     */
    List<Integer> admit(ColocatedRank rank, boolean mixed, long now) {
        List<Integer> taken = new ArrayList<>();
        if ((rank.batchFull || rank.waiting.isEmpty()) && rank.chunked == null) {
            return taken;
        }
        int runningBs = rank.running.size();
        if (runningBs >= maxRunningPerRank && rank.chunked == null) {
            rank.batchFull = true;
            return taken;
        }
        int mixedTokens = mixed ? runningBs : 0;
        Budget budget = new Budget(maxPrefillTokens - mixedTokens, chunking ? chunkTokens - mixedTokens : Long.MAX_VALUE,
                mixedTokens);
        for (Request q : rank.running) {
            budget.totalOffset += Math.min(q.outputLen - q.generated, CLIP_MAX_NEW_TOKENS) * rank.newTokenRatio;
        }
        if (rank.chunked != null) {
            Request q = rank.chunked;
            long left = (long) q.inputLen + q.recompute - q.prefilled;
            boolean truncated = left > budget.chunk;
            int t = (int) Math.min(left, budget.chunk);
            rank.extending.add(q);
            taken.add(t);
            budget.take(ceilPaged(t), truncated ? 0 : Math.min(q.outputLen, CLIP_MAX_NEW_TOKENS));
        }
        long allocated = 0;
        for (Iterator<Request> it = rank.waiting.iterator(); it.hasNext(); ) {
            if (rank.extending.size() >= maxRunningPerRank - runningBs) {
                rank.batchFull = true;
                break;
            }
            Request q = it.next();
            int cached = rank.cache.match(q);
            int extend = q.inputLen - cached + q.recompute;
            long available = rank.kvFree + rank.cache.evictable();
            long total = extend + Math.min(q.outputLen, CLIP_MAX_NEW_TOKENS);
            long input = ceilPaged(extend);
            int t = extend;
            if (total >= budget.remTotal(available)) {
                rank.cache.cancel(q);
                rank.batchFull = true;
                break;
            }
            if (input >= budget.input && !rank.extending.isEmpty()) {
                rank.cache.cancel(q);
                break;
            }
            if (input <= budget.chunk) {
                budget.take(input, Math.min(q.outputLen, CLIP_MAX_NEW_TOKENS));
            } else {
                // Chunked: at least one page stays for the rest (schedule_policy.py:505-508).
                long trunc = budget.chunk - pageSize + 1;
                if (trunc <= 0) {
                    rank.cache.cancel(q);
                    break;
                }
                t = (int) trunc;
                budget.take(trunc, 0);
            }
            it.remove();
            allocated += extend;
            admitted(rank, q, cached, now);
            rank.extending.add(q);
            taken.add(t);
            if (budget.remTotal(available) <= 0 || budget.curRem(available) <= 0) {
                rank.batchFull = true;
                break;
            }
            if (t < extend || budget.input <= 0 || budget.chunk <= 0) {
                break;
            }
        }
        rank.allocate(allocated);
        return taken;
    }

    private void admitted(ColocatedRank rank, Request q, int cached, long now) {
        q.prefillSlotsHeld = true;
        q.prefilled = cached;
        q.outputSlots += q.recompute;
        rank.outputSlots += q.recompute;
        if (q.prefillStartNs == Request.UNSET) {
            q.prefillStartNs = now;
            q.cachedTokens = cached;
            rank.tally.admitted(q, cached);
        }
    }

    private long ceilPaged(long tokens) {
        return MemoryModel.slotsHeld(tokens, pageSize);
    }

    /** The adder's running budgets; the KV ones depend on the free and evictable slots when asked. */
    private static final class Budget {
        long input;
        long chunk;
        /** {@code rem_total_token_offset}: admitted inputs plus the output expected of every request. */
        double totalOffset;
        /** {@code cur_rem_token_offset}: admitted inputs only. */
        long curOffset;

        Budget(long input, long chunk, long mixedTokens) {
            this.input = input;
            this.chunk = chunk;
            this.totalOffset = mixedTokens;
            this.curOffset = mixedTokens;
        }

        void take(long inputTokens, long expectedOutput) {
            totalOffset += inputTokens + expectedOutput;
            curOffset += inputTokens;
            input -= inputTokens;
            chunk -= inputTokens;
        }

        double remTotal(long available) {
            return available - totalOffset;
        }

        long curRem(long available) {
            return available - curOffset;
        }
    }
}
