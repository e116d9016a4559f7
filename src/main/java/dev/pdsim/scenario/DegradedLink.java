package dev.pdsim.scenario;

import dev.pdsim.diag.Numbers;

/**
 * An injected fault: from {@code atS} to {@code toS} seconds of simulated time, KV transfers over
 * {@code link} get {@code bandwidthFactor} of their bandwidth. {@code link} is {@value #KV_FABRIC}
 * (every transfer between prefill and decode servers) or a server ({@code <role>-<index>}: the
 * transfers it sends or receives, as when its NIC or its switch port degrades).
 */
public record DegradedLink(String link, double atS, double toS, double bandwidthFactor) implements Fault {
    /** The link name of the whole KV-transfer fabric. */
    public static final String KV_FABRIC = "kv";

    @Override
    public String describe() {
        return (link.equals(KV_FABRIC) ? "KV-transfer fabric" : "KV link of " + link) + " at "
                + Numbers.plain(bandwidthFactor) + "x bandwidth from " + Numbers.plain(atS) + " s to " + Numbers.plain(toS)
                + " s";
    }

    @Override
    public String target() {
        return link;
    }

    /** Whether a transfer between {@code prefill} and {@code decode} goes over this link. */
    public boolean carries(String prefill, String decode) {
        return link.equals(KV_FABRIC) || link.equals(prefill) || link.equals(decode);
    }
}
