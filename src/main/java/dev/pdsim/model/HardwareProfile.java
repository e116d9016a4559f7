package dev.pdsim.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Peak figures of one GPU type and its node, as published (see shared calibration notes). Achieved
 * rates are the cost model's business, not this record's.
 *
 * @param gpuMemoryGiB     usable HBM per GPU as the driver reports it (80 GB cards show ~79.6 GiB)
 * @param bf16Tflops       dense BF16 peak
 * @param fp8Tflops        dense FP8 peak
 * @param hbmTBps          HBM bandwidth
 * @param nvlinkGBps       NVLink bandwidth per GPU (one direction)
 * @param nicGbps          InfiniBand per NIC, one NIC per GPU
 */
public record HardwareProfile(String name, double gpuMemoryGiB, double bf16Tflops, double fp8Tflops,
                              double hbmTBps, double nvlinkGBps, double nicGbps, int sms) {

    // H100 SXM: 989 TFLOPS BF16, 1,979 FP8, 3.35 TB/s, 80 GB, NVLink 900 GB/s, 132 SMs; 400 Gb/s NICs.
    public static final HardwareProfile H100 = new HardwareProfile("h100", 79.6, 989, 1979, 3.35, 900, 400, 132);
    // H800: H100 compute and HBM, NVLink cut to 400 GB/s; 8 x 400 Gb/s InfiniBand per node.
    public static final HardwareProfile H800 = new HardwareProfile("h800", 79.6, 989, 1979, 3.35, 400, 400, 132);

    private static final Map<String, HardwareProfile> BY_NAME = Map.of("h100", H100, "h800", H800);

    public static Optional<HardwareProfile> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static List<String> names() {
        return List.of("h100", "h800");
    }
}
