package dev.pdsim.scenario;

/** {@code --disaggregation-mode}: which half of PD disaggregation a server runs. */
public enum DisaggregationMode {
    NULL, PREFILL, DECODE;

    public String flagValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
