package dev.pdsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.Problem;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The speculative section of {@code ServerArgs.__post_init__} (srt/server_args.py:446-505) and its memory. */
class SpeculativeArgsTest {
    private static final SourceLocation HERE = new SourceLocation("t.yaml", 1, 1);

    private record Result(ResolvedServerArgs resolved, List<Problem> problems) {
        ServerArgs args() {
            return resolved.args();
        }

        boolean refused(String text) {
            return problems.stream().anyMatch(p -> p.message().contains(text));
        }
    }

    /** A two-node tp16 decode server on H100 with {@code more} flags ("name=value" or a bare switch). */
    private static Result decode(String... more) {
        List<String> flags = new ArrayList<>(List.of("disaggregation-mode=decode", "nnodes=2", "tp-size=16"));
        flags.addAll(List.of(more));
        List<FlagValue> written = new ArrayList<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            written.add(new FlagValue(ServerFlags.find(eq < 0 ? f : f.substring(0, eq)).orElseThrow(),
                    eq < 0 ? "true" : f.substring(eq + 1), HERE, true));
        }
        Problems problems = new Problems();
        ResolvedServerArgs r = ServerArgsResolver.resolve(written, List.of(), ModelSpec.DEEPSEEK_V3, HardwareProfile.H100,
                8, HERE, problems);
        return new Result(r, problems.list());
    }

    @Test
    void nextnIsEagleWithDeepSeeksDefaultsAndFortyEightRunningRequests() {
        Result r = decode("speculative-algorithm=NEXTN");
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        assertEquals(new SpeculativeArgs(3, 1, 4), r.args().speculative());
        assertEquals(48, r.args().maxRunningRequests());
        assertEquals(100, decode("speculative-algorithm=EAGLE", "max-running-requests=100").args().maxRunningRequests());
        assertNull(decode().args().speculative());
    }

    @Test
    void theDraftReservesTwoMoreGibibytes() {
        int mib = HardwareProfile.H100.gpuMemoryMib();
        double without = decode().args().memFractionStatic();
        double with = decode("speculative-algorithm=EAGLE").args().memFractionStatic();
        // Both are rounded to 3 decimals (srt/server_args.py:314): the difference is 2 GiB within that rounding.
        assertEquals(2.0 * 1024 / mib, without - with, 0.001);
    }

    @Test
    void aChainVerifiesItsStepsPlusOneAndPagesForceAChain() {
        assertEquals(new SpeculativeArgs(2, 1, 3), decode("speculative-algorithm=EAGLE", "speculative-num-steps=2",
                "speculative-eagle-topk=1", "speculative-num-draft-tokens=8").args().speculative());
        Result paged = decode("speculative-algorithm=EAGLE", "speculative-num-steps=5", "speculative-eagle-topk=4",
                "speculative-num-draft-tokens=8", "page-size=64");
        assertTrue(paged.problems().isEmpty(), paged.problems().toString());
        assertEquals(new SpeculativeArgs(5, 1, 6), paged.args().speculative());
    }

    @Test
    void launchesSglangOrPdsimRefuse() {
        assertTrue(decode("speculative-algorithm=EAGLE", "speculative-num-steps=3")
                .refused("SGLang fails comparing None"));
        assertTrue(decode("speculative-algorithm=EAGLE", "speculative-eagle-topk=1")
                .refused("AssertionError, srt/server_args.py:477-481"));
        assertTrue(decode("speculative-algorithm=EAGLE3").refused("accepted: EAGLE, NEXTN"));
        assertTrue(decode("speculative-algorithm=EAGLE", "speculative-num-steps=5", "speculative-eagle-topk=4",
                "speculative-num-draft-tokens=8").refused("chain drafts only"));
        assertTrue(decode("speculative-algorithm=EAGLE", "attention-backend=cutlass_mla")
                .refused("no EAGLE draft backend"));
        assertTrue(decode("speculative-algorithm=EAGLE", "enable-two-batch-overlap", "enable-dp-attention", "dp-size=16")
                .refused("srt/two_batch_overlap.py:35-36"));
        assertFalse(decode("speculative-algorithm=EAGLE", "enable-dp-attention", "dp-size=16")
                .refused("two_batch_overlap"));
    }

    @Test
    void thePoolGrowsByTheDraftAndVerifySlotsOfEveryRequestSlot() {
        // srt/model_executor/model_runner.py:898-914: + slots x (steps x topk) + slots x draft tokens + 100
        Result plain = decode("mem-fraction-static=0.8", "max-running-requests=48");
        Result mtp = decode("mem-fraction-static=0.8", "speculative-algorithm=EAGLE");
        long grown = mtp.resolved().memory().kvPool().tokens() - plain.resolved().memory().kvPool().tokens();
        assertEquals(48L * 3 + 48L * 4 + 100, grown);
    }

    @Test
    void graphsAreCapturedFromTheSpeculativeList() {
        // srt/model_executor/cuda_graph_runner.py:149-156: 1..8 then even sizes; the 48 request slots cap it
        List<Integer> sizes = decode("speculative-algorithm=EAGLE").resolved().memory().captureBatchSizes();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 40, 48), sizes);
    }
}
