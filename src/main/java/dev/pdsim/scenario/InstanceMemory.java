package dev.pdsim.scenario;

import dev.pdsim.model.CudaGraphBatchSizes;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.MemoryModel;
import dev.pdsim.model.MemoryModel.KvPool;
import dev.pdsim.model.MemoryModel.MoeBackend;
import dev.pdsim.model.MemoryModel.WeightLayout;
import dev.pdsim.model.MemoryModel.WeightPart;
import dev.pdsim.model.ModelSpec;
import java.util.List;
import java.util.Locale;

/**
 * The memory of one rank of an instance as SGLang 0.4.8.post1 sets it up at start-up, and whether
 * it starts at all: weights by part, the KV pool, the request slots and per-DP-rank running limit,
 * and the CUDA-graph batch sizes a decode server captures. The loader refuses an instance that
 * SGLang would not start, so {@code validate} and {@code replay} refuse the same files with the
 * same message.
 *
 * @param kvElementBytes   bytes per KV value: 2 for {@code --kv-cache-dtype auto} (the model's BF16), 1 for FP8
 * @param requestSlots     {@code req_to_token_pool.size}
 * @param maxRunningPerRank the scheduler's {@code max_running_requests} of one DP rank
 * @param captureBatchSizes CUDA-graph batch sizes; empty when CUDA graphs are off
 * @param refusal          why SGLang (or pdsim, and then it says so) would not start this instance; null if it starts
 */
public record InstanceMemory(List<WeightPart> weights, KvPool kvPool, int kvElementBytes, int contextLength,
                             int requestSlots, int maxRunningPerRank, List<Integer> captureBatchSizes,
                             String refusal) {
    /**
     * pdsim's own floor, above SGLang's (which refuses only an empty pool): a rank with room for less
     * than one 1K-token prompt would start and then queue realistic requests forever, so such a
     * layout is refused as weights that do not fit rather than run as a hang.
     */
    private static final long MIN_KV_TOKENS_PER_RANK = 1024;

    public double weightBytes() {
        return MemoryModel.totalBytes(weights);
    }

    /** The memory of {@code a}'s ranks for {@code model} on {@code hw}. */
    public static InstanceMemory of(ServerArgs a, ModelSpec model, HardwareProfile hw) {
        MoeBackend moe = a.enableDeepepMoe() ? MoeBackend.DEEPEP
                : a.enableEpMoe() ? MoeBackend.EXPERT_PARALLEL : MoeBackend.TENSOR_PARALLEL;
        List<WeightPart> weights = MemoryModel.weightsPerGpu(model, new WeightLayout(a.tpSize(), a.attnTpSize(),
                a.enableDpAttention(), a.enableDpLmHead(), Integer.valueOf(1).equals(a.moeDenseTpSize()), moe,
                a.epNumRedundantExperts()));
        double weightBytes = MemoryModel.totalBytes(weights);
        int elementBytes = a.kvElementBytes();
        KvPool pool = MemoryModel.kvPool(model, a.attnTpSize(), hw.gpuMemoryGiB(), a.memFractionStatic(), weightBytes,
                elementBytes, a.maxTotalTokens(), a.pageSize());
        int context = a.contextLength() != null ? a.contextLength() : model.maxPositionEmbeddings();
        // --max-running-requests sizes the request pool undivided (model_runner.py:292-296, 880-889).
        int slots = a.maxRunningRequests() != null ? a.maxRunningRequests()
                : MemoryModel.defaultRequestSlots(pool.profiledTokens(), context);
        if (a.speculative() != null) {
            pool = MemoryModel.withHeadroom(pool, a.speculative().poolHeadroomTokens(slots), a.maxTotalTokens(),
                    a.pageSize());
        }
        // tp_worker.py:120-129: the limit of one DP rank, never above the request pool.
        long perRank = a.maxRunningRequests() == null ? pool.tokens() / 2
                : a.maxRunningRequests() / (a.enableDpAttention() ? a.dpSize() : 1);
        int maxRunning = (int) Math.min(perRank, slots);

        String fail = null;
        List<Integer> capture = List.of();
        double gpuBytes = hw.gpuMemoryGiB() * (1 << 30);
        String where = String.format(Locale.ROOT, "weights need %.1f GiB per GPU, mem_fraction_static %s of %.1f GiB",
                MemoryModel.toGiB(weightBytes), a.memFractionStatic(), hw.gpuMemoryGiB());
        if (weightBytes > gpuBytes) {
            fail = String.format(Locale.ROOT, "weights need %.1f GiB per GPU, more than the %.1f GiB of one %s GPU; "
                            + "SGLang fails while loading them (CUDA out of memory); shard over more GPUs",
                    MemoryModel.toGiB(weightBytes), hw.gpuMemoryGiB(), hw.name());
        } else if (pool.tokens() <= 0) {
            fail = where + " leaves no KV-cache token per rank; SGLang refuses to start (RuntimeError: Not enough "
                    + "memory, srt/model_executor/model_runner.py:932-935); raise --mem-fraction-static or shard over more GPUs";
        } else {
            if (!a.disableCudaGraph()) {
                try {
                    capture = CudaGraphBatchSizes.capture(new CudaGraphBatchSizes.Inputs(a.cudaGraphBs(),
                            a.speculative() != null,
                            a.disableCudaGraphPadding(),
                            hw.gpuMemoryMib(), slots, a.enableTwoBatchOverlap(), a.cudaGraphMaxBs()));
                } catch (IllegalStateException e) {
                    fail = "CUDA-graph batch sizes: " + e.getMessage() + "; SGLang fails at start-up";
                }
            }
            if (fail == null && maxRunning <= 0) {
                fail = "max_running_requests " + a.maxRunningRequests() + " // dp_size " + a.dpSize() + " = 0 requests "
                        + "per DP rank; SGLang refuses to start (AssertionError: max_running_request is zero, "
                        + "srt/managers/tp_worker.py:129)";
            } else if (fail == null && Math.min(context - 1L, pool.tokens() - 1) - 5 <= 0) {
                fail = "context_length " + context + " and a KV pool of " + pool.tokens() + " tokens leave no room "
                        + "for a prompt; SGLang refuses to start (AssertionError: Memory pool size is too small, "
                        + "srt/managers/tp_worker.py:130-137)";
            } else if (fail == null && pool.tokens() < MIN_KV_TOKENS_PER_RANK) {
                fail = where + " leaves room for only " + pool.tokens() + " KV-cache tokens per rank; SGLang itself "
                        + "would start (it refuses only an empty pool), but pdsim needs " + MIN_KV_TOKENS_PER_RANK
                        + " per rank, as requests of realistic length would never fit; raise --mem-fraction-static "
                        + "or --max-total-tokens, or shard over more GPUs";
            }
        }
        return new InstanceMemory(weights, pool, elementBytes, context, slots, maxRunning, capture, fail);
    }
}
