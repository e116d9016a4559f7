package dev.pdsim.serving;

import dev.pdsim.cluster.LayerStage;
import dev.pdsim.model.Resource;

/** One operation of one (micro-)batch in a forward pass, at layer fidelity. Offsets from the forward's start. */
public record StageSpan(int layer, LayerStage stage, String child, long startNs, long endNs, Resource resource) {
}
