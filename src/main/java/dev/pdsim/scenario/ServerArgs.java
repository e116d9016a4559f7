package dev.pdsim.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The server arguments of one SGLang instance after {@code ServerArgs.__post_init__} of 0.4.8.post1
 * has run: defaults filled and silent adjustments applied (e.g. {@code chunked_prefill_size} is
 * already divided by {@code dp_size} under DP attention). Built only by {@link ServerArgsResolver}.
 *
 * @param chunkedPrefillSize per-DP-rank chunk, or -1 when chunked prefill is off
 * @param moeDenseTpSize     null when unset
 * @param maxRunningRequests null when unset (derived from KV capacity by the scheduler)
 * @param maxTotalTokens     null when unset (derived from memory)
 * @param pageSize           after the attention backend's override (flashmla 64, cutlass_mla 128)
 * @param cudaGraphMaxBs     null when unset (no limit on the captured batch sizes)
 * @param cudaGraphBs        {@code --cuda-graph-bs}: the batch sizes to capture, null when unset (the default list)
 * @param disableCudaGraphPadding a batch replays a graph only when one was captured for exactly its size
 * @param kvCacheDtype       {@code --kv-cache-dtype}: auto, fp8_e5m2 or fp8_e4m3
 * @param attentionBackend   null when unset (SGLang picks one for the GPU)
 * @param initExpertLocation {@code --init-expert-location}: "trivial", a file (.json or .pt) or JSON text
 * @param watchdogTimeoutS   seconds a forward may take before the watchdog kills the server
 * @param transferBackend    KV transfer engine; "fake" (SGLang's benchmarking backend) moves no KV,
 *                           so a decode server so launched serves without any prefill server
 * @param speculative        EAGLE/MTP speculative decoding, null when {@code --speculative-algorithm} is unset
 * @param enableMixedChunk   {@code --enable-mixed-chunk}: a colocated server's running requests decode inside its extend batches
 */
public record ServerArgs(
        DisaggregationMode disaggregationMode,
        int nnodes,
        int nodeRank,
        int tpSize,
        int dpSize,
        int ppSize,
        int epSize,
        boolean enableDpAttention,
        boolean enableDpLmHead,
        boolean enableTwoBatchOverlap,
        boolean enableDeepepMoe,
        DeepEpMode deepepMode,
        boolean enableEpMoe,
        Integer moeDenseTpSize,
        int chunkedPrefillSize,
        int maxPrefillTokens,
        Integer maxRunningRequests,
        Integer maxTotalTokens,
        Integer contextLength,
        double memFractionStatic,
        int pageSize,
        boolean disableRadixCache,
        boolean disableCudaGraph,
        Integer cudaGraphMaxBs,
        List<Integer> cudaGraphBs,
        boolean disableCudaGraphPadding,
        String kvCacheDtype,
        String attentionBackend,
        double watchdogTimeoutS,
        double scheduleConservativeness,
        int epNumRedundantExperts,
        String epDispatchAlgorithm,
        String eplbAlgorithm,
        boolean enableEplb,
        String initExpertLocation,
        Integer disaggregationDecodeTp,
        Integer disaggregationDecodeDp,
        int numReservedDecodeTokens,
        String transferBackend,
        boolean enableMixedChunk,
        // Left out of a run's config when off, so launches without it read as before.
        @JsonInclude(JsonInclude.Include.NON_NULL) SpeculativeArgs speculative) {

    /** A decode server on SGLang's fake transfer backend: requests arrive with (garbage) KV already in place. */
    public boolean fakeTransfer() {
        return "fake".equals(transferBackend);
    }

    /**
     * Whether the experts sit in a placement balanced for a measured load rather than SGLang's
     * trivial one: EPLB's, or a placement given with {@code --init-expert-location} (a file or JSON
     * text, srt/managers/expert_location.py:416-448). ASSUMPTION: a given placement is as balanced
     * for the served load as EPLB's: recorded statistics ({@code logical_count}, what the LMSYS
     * scripts pass) are placed by EPLB's own algorithm ({@code init_by_eplb}, :126-164), and a written
     * {@code physical_to_logical_map} is taken to come from the same tools. Reading the file's counts
     * (pdsim cannot: it lives on the servers) would settle how well it fits the simulated workload.
     */
    public boolean balancedExpertPlacement() {
        return enableEplb || !"trivial".equals(initExpertLocation);
    }

    /**
     * Bytes of one stored KV value: the model's BF16 for {@code auto}, one for either FP8 type, stored
     * as uint8 (srt/model_executor/model_runner.py:861-876, srt/mem_cache/memory_pool.py:112-117).
     */
    public int kvElementBytes() {
        return kvCacheDtype.equals("auto") ? 2 : 1;
    }

    /**
     * The backend MLA decode attention runs on. Unset, SGLang picks fa3 for MLA on Hopper
     * (srt/model_executor/model_runner.py:352-355); fa3 with an fp8_e5m2 cache then falls back to
     * triton (:392-399). ASSUMPTION: every GPU pdsim ships (H100, H200, H20) is Hopper with CUDA 12.3
     * or later, which that choice requires; a Blackwell profile would get flashinfer (:356-357).
     */
    public String decodeAttentionBackend() {
        String chosen = attentionBackend != null ? attentionBackend : "fa3";
        return chosen.equals("fa3") && kvCacheDtype.equals("fp8_e5m2") ? "triton" : chosen;
    }

    /** Attention-TP size inside one DP rank: {@code tp_size / dp_size} under DP attention, else tp. */
    public int attnTpSize() {
        return enableDpAttention ? tpSize / dpSize : tpSize;
    }

    /** Number of GPUs of the instance (pp is 1 in pdsim). */
    public int worldSize() {
        return tpSize * ppSize;
    }

    public int gpusPerNodeUsed() {
        return worldSize() / nnodes;
    }

    /** Whether DeepEP runs its normal (prefill) kernels for this server's forward mode. */
    public boolean deepEpNormalKernels() {
        return deepepMode == DeepEpMode.NORMAL
                || (deepepMode == DeepEpMode.AUTO && disaggregationMode != DisaggregationMode.DECODE);
    }
}
