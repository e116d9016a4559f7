package dev.pdsim.serving;

/** When in a server's life it failed: while starting, while warming up, or serving user traffic. */
public enum FailurePhase {
    /** Capturing decode CUDA graphs at start-up, before the server takes any request (even its warmup). */
    CUDA_GRAPH_CAPTURE("CUDA-graph capture"),
    /** On the warmup request every server sends itself once it is up, before user traffic starts. */
    WARMUP("warmup"),
    /** On user traffic. */
    SERVING("serving");

    private final String label;

    FailurePhase(String label) {
        this.label = label;
    }

    /** As reports print it. */
    public String label() {
        return label;
    }
}
