package dev.pdsim.serving;

import dev.pdsim.cluster.LayerStage;
import dev.pdsim.model.ForwardKind;
import java.util.ArrayList;
import java.util.List;

/** The Python call path of SGLang 0.4.8.post1 down to {@code get_dp_local_info}, as a traceback shows it. */
final class SglangCallPath {
    private SglangCallPath() {
    }

    static List<String> toDpLocalInfo(ForwardKind mode, LayerStage stage, boolean tbo) {
        List<String> path = new ArrayList<>(List.of(
                "tp_worker_overlap_thread.forward_thread_func",
                "tp_worker.forward_batch_generation",
                "model_runner.forward",
                mode == ForwardKind.DECODE ? "model_runner.forward_decode" : "model_runner.forward_extend",
                "deepseek_v2.DeepseekV2ForCausalLM.forward",
                "deepseek_v2.DeepseekV2Model.forward"));
        if (tbo) {
            path.addAll(List.of("two_batch_overlap.model_forward_maybe_tbo",
                    "two_batch_overlap.execute_overlapped_operations", "operations._StageExecutor.next"));
        } else {
            path.add("deepseek_v2.DeepseekV2DecoderLayer.forward");
        }
        if (stage == LayerStage.COMM_POSTPROCESS_LAYER) {
            path.addAll(List.of("communicator.postprocess_layer", "communicator._scatter_hidden_states",
                    "dp_attention.dp_scatter", "dp_attention.get_dp_local_info"));
        } else {
            path.addAll(List.of("communicator.prepare_mlp", "communicator._gather_hidden_states_and_residual",
                    "dp_attention.dp_gather_partial", "dp_attention._dp_gather", "dp_attention.get_dp_local_info"));
        }
        return List.copyOf(path);
    }
}
