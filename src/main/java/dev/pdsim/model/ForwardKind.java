package dev.pdsim.model;

/** SGLang's forward modes that pdsim models: EXTEND (prefill), DECODE, and IDLE (no local work). */
public enum ForwardKind {
    EXTEND, DECODE, IDLE
}
