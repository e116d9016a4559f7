package dev.pdsim.scenario;

/** {@code --deepep-mode}: DeepEP kernels; {@code auto} picks normal for prefill and low-latency for decode. */
public enum DeepEpMode {
    AUTO, NORMAL, LOW_LATENCY;

    public String flagValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
