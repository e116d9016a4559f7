package dev.pdsim.serving;

import dev.pdsim.cluster.BatchStateRead;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.model.ForwardKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The Python call path of SGLang 0.4.8.post1 down to the call that fails on a TBO child, as a
 * traceback shows it: a serving forward, the overlapped-operations
 * executor (srt/two_batch_overlap.py:462-549, srt/operations.py:41-84), the layer operation, and
 * the communicator or MoE function that reads the missing state.
 */
final class SglangCallPath {
    private SglangCallPath() {
    }

    /** Where the forward was launched from. */
    enum Entry {
        /** A scheduled batch, run by the overlap thread's worker. */
        SERVING,
        /** The eager runs that precede capturing a decode CUDA graph at start-up. */
        CUDA_GRAPH_CAPTURE
    }

    /** What the failing operation was doing when it failed. */
    enum Failing {
        /** {@code get_dp_local_info} on the counts. */
        COUNTS,
        /** {@code global_tokens.fill_(0)} on a None buffer, or the all-reduce that never completes. */
        DP_GATHER_BUFFER,
        /** A {@code gathered_buffer[:n]} slice. */
        BUFFER_SLICE,
        /** A DeepEP-only attribute of the MoE block ({@code DeepseekV2MoE}, {@code Qwen3MoeSparseMoeBlock}). */
        MOE_ATTRIBUTE
    }

    /**
     * The path from {@code entry} to the failing call. A scheduled batch's forward runs on the
     * overlap thread's worker (srt/managers/tp_worker.py, model_runner.py:1257-1266); a capture runs
     * while the scheduler process builds its worker: Scheduler.__init__ (srt/managers/scheduler.py:332, 2667),
     * TpModelWorkerClient and TpModelWorker (tp_worker_overlap_thread.py:64, tp_worker.py:79),
     * ModelRunner.initialize (model_runner.py:220, 300), init_cuda_graphs (model_runner.py:1157) and
     * CudaGraphRunner (cuda_graph_runner.py:337-339, 417-423, 576-582), whose {@code run_once} calls
     * the model's forward directly.
     */
    static List<String> of(SglangModelCode code, Entry entry, ForwardKind mode, LayerStage stage, BatchStateRead read,
                           Failing failing) {
        List<String> path = new ArrayList<>();
        if (entry == Entry.CUDA_GRAPH_CAPTURE) {
            path.addAll(List.of("scheduler.run_scheduler_process", "scheduler.Scheduler.__init__",
                    "tp_worker_overlap_thread.TpModelWorkerClient.__init__", "tp_worker.TpModelWorker.__init__",
                    "model_runner.ModelRunner.__init__", "model_runner.initialize", "model_runner.init_cuda_graphs",
                    "cuda_graph_runner.CudaGraphRunner.__init__", "cuda_graph_runner.capture",
                    "cuda_graph_runner.capture_one_batch_size", "cuda_graph_runner.run_once"));
        } else {
            path.addAll(List.of("tp_worker_overlap_thread.forward_thread_func", "tp_worker.forward_batch_generation",
                    "model_runner.forward",
                    mode == ForwardKind.EXTEND ? "model_runner.forward_extend" : "model_runner.forward_decode"));
        }
        path.addAll(List.of(code.causalLm() + ".forward", code.model() + ".forward",
                "two_batch_overlap.model_forward_maybe_tbo", "two_batch_overlap.execute_overlapped_operations",
                "operations._StageExecutor.next"));
        switch (stage) {
            case COMM_PREPARE_ATTN -> path.addAll(List.of(code.decoderLayer() + ".op_comm_prepare_attn",
                    "communicator.prepare_attn", "communicator._scattered_to_tp_attn_full"));
            case COMM_PREPARE_MLP -> {
                path.addAll(List.of(code.decoderLayer() + ".op_comm_prepare_mlp", "communicator.prepare_mlp",
                        "communicator._gather_hidden_states_and_residual"));
                if (read != BatchStateRead.RESIDUAL_GATHER_AND_DP_GATHER || failing != Failing.BUFFER_SLICE) {
                    path.addAll(List.of("dp_attention.dp_gather_partial", "dp_attention._dp_gather"));
                }
                if (failing == Failing.COUNTS) {
                    path.add("dp_attention.get_dp_local_info");
                }
            }
            case SELECT_EXPERTS -> path.add(code.moe() + ".op_select_experts");
            case DISPATCH_A -> path.add(code.moe() + ".op_dispatch_a");
            case COMM_POSTPROCESS_LAYER -> {
                path.addAll(List.of(code.decoderLayer() + ".op_comm_postprocess_layer",
                        "communicator.postprocess_layer"));
                path.add(read == BatchStateRead.DP_SCATTER ? "communicator._scatter_hidden_states"
                        : "communicator._gather");
                if (failing == Failing.COUNTS) {
                    path.addAll(List.of("dp_attention.dp_scatter", "dp_attention.get_dp_local_info"));
                }
            }
            default -> throw new IllegalArgumentException("no batch state is read in " + stage);
        }
        return List.copyOf(path);
    }
}
