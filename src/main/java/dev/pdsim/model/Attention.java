package dev.pdsim.model;

/**
 * How a model's attention is built, as far as its weights and KV cache go: DeepSeek's multi-head
 * latent attention or grouped-query attention. SGLang picks one KV pool and one set of attention
 * kernels by this ({@code use_mla_backend}, srt/model_executor/model_runner.py:818-847).
 */
public sealed interface Attention permits MlaAttention, GqaAttention {

    /** Projection parameters of one layer, for a model of {@code hiddenSize} and {@code heads} query heads. */
    long paramsPerLayer(int hiddenSize, int heads);

    /**
     * KV-cache values one token keeps in one layer on one rank of an attention-TP group of
     * {@code attnTpSize}: what SGLang's pool sizes its cell by.
     */
    long kvValuesPerTokenLayer(int attnTpSize);
}
