package dev.pdsim.workload;

import dev.pdsim.scenario.TraceRequest;
import java.util.Arrays;

/**
 * A request's prompt as a prefix cache sees it: {@code tokens} long, starting with blocks that
 * other prompts may share. Block i holds {@code blockTokens[i]} tokens and is named
 * {@code blockIds[i]}; two prompts hold the same tokens up to the end of block i exactly when
 * their blocks 0..i have the same ids and lengths. The tokens after the last block are this
 * prompt's own.
 */
public record Prompt(int tokens, long[] blockIds, int[] blockTokens) {

    public Prompt {
        if (blockIds.length != blockTokens.length || Arrays.stream(blockTokens).sum() > tokens) {
            throw new IllegalArgumentException("blocks do not fit a prompt of " + tokens + " tokens");
        }
    }

    /** A prompt that shares nothing. */
    public static Prompt unique(int tokens) {
        return new Prompt(tokens, new long[0], new int[0]);
    }

    /**
     * Mooncake's blocks: {@link TraceRequest#BLOCK_TOKENS} tokens each, the last one holding what is
     * left of the prompt.
     */
    static Prompt ofBlocks(int tokens, long[] ids) {
        int[] lens = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            lens[i] = Math.min(TraceRequest.BLOCK_TOKENS, tokens - i * TraceRequest.BLOCK_TOKENS);
        }
        return new Prompt(tokens, ids, lens);
    }

    /**
     * A prompt starting with prefix {@code group} of {@code length} tokens, cut into blocks of
     * {@link TraceRequest#BLOCK_TOKENS} so that prompts of the group share its leading blocks. At
     * least one token is the prompt's own, so a prompt no longer than the prefix shares only the
     * blocks it holds whole.
     */
    static Prompt withPrefix(int tokens, int group, int length) {
        int blocksPerPrefix = (length + TraceRequest.BLOCK_TOKENS - 1) / TraceRequest.BLOCK_TOKENS;
        int shared = Math.min(length, tokens - 1);
        int blocks = (shared + TraceRequest.BLOCK_TOKENS - 1) / TraceRequest.BLOCK_TOKENS;
        long[] ids = new long[blocks];
        int[] lens = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            ids[i] = (long) group * blocksPerPrefix + i;
            lens[i] = Math.min(TraceRequest.BLOCK_TOKENS, shared - i * TraceRequest.BLOCK_TOKENS);
        }
        return new Prompt(tokens, ids, lens);
    }
}
