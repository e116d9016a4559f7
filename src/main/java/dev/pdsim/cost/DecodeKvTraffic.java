package dev.pdsim.cost;

import dev.pdsim.model.MlaAttention;
import dev.pdsim.model.ModelSpec;
import dev.pdsim.scenario.ServerArgs;
import java.util.function.LongSupplier;

/**
 * The KV-cache bytes one decode forward moves per layer in SGLang 0.4.8.post1, which depend on
 * the KV dtype and on how the attention backend reads it.
 *
 * <ul>
 *   <li>flashmla, triton and cutlass_mla hand the stored cache to their kernel, so an FP8 cache is
 *       read at one byte a value: FlashMLA's FP8 call (srt/layers/attention/flashmla_backend.py:354-368),
 *       Triton's decode kernel loading the buffer itself (srt/layers/attention/triton_backend.py:718-721),
 *       cutlass_mla's call (srt/layers/attention/cutlass_mla_backend.py:269-280). ASSUMPTION: FlashMLA
 *       with fp8_e5m2 (its BF16 call, :369-382) and cutlass_mla with any FP8 cache run and read one byte
 *       a value; whether those kernels accept the mix is not verified here (no GPU), and running them
 *       would settle it.</li>
 *   <li>fa3 and flashinfer first convert the layer's whole cache buffer to the query's BF16
 *       ({@code get_key_buffer(layer_id).to(q.dtype)}, srt/layers/attention/flashattention_backend.py:1059-1061,
 *       srt/layers/attention/flashinfer_mla_backend.py:485-487), then read the BF16 copy: with FP8 KV
 *       every decode forward reads the whole pool ({@code size + page_size} tokens,
 *       srt/mem_cache/memory_pool.py:548-552) at one byte and writes it at two, per layer, and the
 *       kernel still reads two bytes a cached token. With BF16 KV the conversion is a no-op.</li>
 * </ul>
 *
 * @param bytesPerCachedToken what the attention kernel reads for each cached token it attends to
 * @param conversionBytes     bytes the whole-buffer conversion reads and writes before the kernel, 0 if none
 */
record DecodeKvTraffic(double bytesPerCachedToken, double conversionBytes) {

    /** @param poolTokens the rank's KV pool, asked only when the backend converts the buffer */
    static DecodeKvTraffic of(ModelSpec model, ServerArgs args, LongSupplier poolTokens) {
        int stored = args.kvElementBytes();
        double cell = model.attention().kvValuesPerTokenLayer(args.attnTpSize()); // values per token and layer
        String backend = args.decodeAttentionBackend();
        // Only the MLA paths convert; GQA kernels read the stored dtype (see RooflineCostModel's GQA attention).
        boolean converts = model.attention() instanceof MlaAttention && stored != ModelSpec.ACTIVATION_BYTES
                && (backend.equals("fa3") || backend.equals("flashinfer"));
        if (!converts) {
            return new DecodeKvTraffic(cell * stored, 0);
        }
        double bufferTokens = poolTokens.getAsLong() + args.pageSize();
        return new DecodeKvTraffic(cell * ModelSpec.ACTIVATION_BYTES,
                bufferTokens * cell * (stored + ModelSpec.ACTIVATION_BYTES));
    }
}
