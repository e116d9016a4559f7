package dev.pdsim.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One GPU type and its node, read from {@code hardware.yaml} beside this class: the single place
 * that holds every hardware constant of the cost model, each with its source.
 *
 * @param gpuMemoryMib the GPU's memory as {@code nvidia-smi} reports {@code memory.total}, in MiB: what
 *                     SGLang's {@code get_device_memory_capacity} returns (srt/utils.py:1235-1259) and
 *                     compares with its memory tiers
 */
public record HardwareProfile(String name, String description,
                              @JsonProperty("gpu_memory_mib") int gpuMemoryMib, Peak peak, Achieved achieved) {

    /**
     * GPU memory in GiB. ASSUMPTION: SGLang sizes the KV pool from the memory free after distributed
     * initialisation (srt/model_executor/model_runner.py:496-500); pdsim takes the whole card, as
     * the CUDA context and NCCL buffers it leaves out are not known per launch.
     */
    public double gpuMemoryGiB() {
        return gpuMemoryMib / 1024.0;
    }

    /** Datasheet figures. */
    public record Peak(double bf16Tflops, double fp8Tflops, double hbmTbps, double nvlinkGbps, double nicGbps, int sms) {
    }

    /** What published kernels reach on this hardware (see hardware.yaml for each source). */
    public record Achieved(double fp8GemmTflops, double fp8GroupedGemmTflops, double gemmHalfRows, double attentionBf16Tflops,
                           double attentionHalfKeys, double flashmlaTbps,
                           double flashmlaTflops, double hbmEfficiency, double[] deepepNormalNvlinkGbps,
                           double deepepMeasuredNvlinkGbps, TreeMap<Integer, double[]> deepepNormalRdmaGbps,
                           int deepepNormalSms, double elementwisePasses,
                           double deepepLowLatencyTokensPerRank, TreeMap<Integer, double[]> deepepLowLatencyUs,
                           TreeMap<Integer, double[]> deepepLowLatencyFixedFraction,
                           double ncclNvlinkGbps, double ncclRdmaGbps,
                           double nvlinkHopUs, double rdmaHopUs, double glooStepUs, double glooNodeUs, double glooGbps,
                           double kvTransferGbps, double kvTransferSetupUs, double kernelLaunchUs,
                           double graphLaunchUs, double gemmFixedUs, double schedulerUs, double idleSchedulerUs, double selectExpertsUs,
                           double sustainedComputeFraction,
                           double expertPopularitySigma,
                           double expertDriftSigma, double imbalanceSigma) {

        /**
         * DeepEP low-latency [dispatch, combine] microseconds at {@link #deepepLowLatencyTokensPerRank()}
         * tokens per rank, interpolated in log2(EP size).
         */
        public double[] lowLatencyUs(int epSize) {
            return byEpSize(deepepLowLatencyUs, epSize);
        }

        /** The fixed share of those [dispatch, combine] times, interpolated in log2(EP size). */
        public double[] lowLatencyFixedFraction(int epSize) {
            return byEpSize(deepepLowLatencyFixedFraction, epSize);
        }

        /** DeepEP normal kernels' internode [dispatch, combine] RDMA GB/s, interpolated in log2(EP size). */
        public double[] normalRdmaGbps(int epSize) {
            return byEpSize(deepepNormalRdmaGbps, epSize);
        }

        /** A published per-EP-size pair; between two sizes linear in log2, outside the table the nearest. */
        private static double[] byEpSize(TreeMap<Integer, double[]> table, int epSize) {
            Map.Entry<Integer, double[]> lo = table.floorEntry(epSize);
            Map.Entry<Integer, double[]> hi = table.ceilingEntry(epSize);
            if (lo == null) {
                return hi.getValue().clone();
            }
            if (hi == null || lo.getKey().equals(hi.getKey())) {
                return lo.getValue().clone();
            }
            double f = (log2(epSize) - log2(lo.getKey())) / (log2(hi.getKey()) - log2(lo.getKey()));
            return new double[] {lerp(lo.getValue()[0], hi.getValue()[0], f), lerp(lo.getValue()[1], hi.getValue()[1], f)};
        }

        private static double log2(double x) {
            return Math.log(x) / Math.log(2);
        }

        private static double lerp(double a, double b, double f) {
            return a + (b - a) * f;
        }
    }

    private static final Map<String, HardwareProfile> BY_NAME = load();

    public static final HardwareProfile H100 = BY_NAME.get("h100");
    public static final HardwareProfile H800 = BY_NAME.get("h800");

    public static Optional<HardwareProfile> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    /** Reads hardware.yaml; each profile's achieved rates override the shared defaults. */
    private static Map<String, HardwareProfile> load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        try (InputStream in = HardwareProfile.class.getResourceAsStream("hardware.yaml")) {
            JsonNode root = yaml.readTree(in);
            ObjectNode defaults = (ObjectNode) root.get("achieved_defaults");
            Map<String, HardwareProfile> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.get("profiles").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ObjectNode p = (ObjectNode) e.getValue().deepCopy();
                ObjectNode achieved = defaults.deepCopy();
                achieved.setAll((ObjectNode) p.get("achieved"));
                p.set("achieved", achieved);
                p.put("name", e.getKey());
                out.put(e.getKey(), yaml.treeToValue(p, HardwareProfile.class));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("hardware.yaml is unreadable", e);
        }
    }
}
