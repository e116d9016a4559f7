package dev.pdsim.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a sweep on Apache Spark: the grid is a Dataset of indices, each task turns its indices into
 * rows with the {@link SweepEvaluator} the thread pool uses, and the driver sorts the rows and
 * hands them to the listener in index order. Same grid, same rows, same bytes as {@link SweepRunner}; only where
 * the simulations run differs.
 */
public final class SparkSweepRunner {
    /**
     * Partitions per core Spark offers: enough that the last tasks do not leave the other cores
     * idle for long, few enough that task start-up stays small next to the simulations.
     */
    private static final int PARTITIONS_PER_CORE = 8;

    private SparkSweepRunner() {
    }

    /**
     * Runs the whole grid as one Spark job and returns its rows (filtered combinations left out),
     * after handing them to the listener in index order.
     *
     * @param check whether every run checks the simulator's invariants ({@code --check})
     */
    public static Dataset<SweepRow> run(SparkSession spark, SweepSpec spec, boolean check, SweepRunner.Listener listener) {
        return run(spark, spec, SweepEvaluator.simulation(check), listener);
    }

    static Dataset<SweepRow> run(SparkSession spark, SweepSpec spec, SweepEvaluator.Replay replay,
                                 SweepRunner.Listener listener) {
        long total = spec.size();
        int partitions = (int) Math.max(1, Math.min(total, (long) spark.sparkContext().defaultParallelism() * PARTITIONS_PER_CORE));
        Dataset<Long> indices = spark.range(0, partitions, 1, partitions)
                .flatMap(new Strided(partitions, total), Encoders.LONG());
        Dataset<SweepRow> rows = indices
                .mapPartitions(new RowsOfIndices(spec.source(), replay), Encoders.javaSerialization(SweepRow.class))
                .persist();
        List<SweepRow> collected = new ArrayList<>(rows.collectAsList());
        collected.sort(Comparator.comparingInt(SweepRow::index));
        SweepEvaluator driverSide = new SweepEvaluator(spec);
        int next = 0;
        for (SweepRow row : collected) {
            for (; next < row.index(); next++) {
                listener.filtered(driverSide.combination(next));
            }
            listener.row(row);
            next++;
        }
        for (; next < total; next++) {
            listener.filtered(driverSide.combination(next));
        }
        return rows;
    }

    /**
     * Partition {@code p} of {@code n} holds indices p, p + n, p + 2n, ...: neighbours in the grid
     * differ in the last axes only (often the load), so contiguous ranges would put the slow
     * combinations of a layout in the same few tasks; strides spread them over all of them.
     */
    private record Strided(int partitions, long total) implements FlatMapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Long> call(Long partition) {
            return LongStream.iterate(partition, i -> i < total, i -> i + partitions).boxed().iterator();
        }
    }

    /**
     * A task's work: rebuild the sweep from its texts once per partition, then one row per index.
     * Serializable by its fields alone, so it runs on any executor.
     */
    private record RowsOfIndices(SweepSource source, SweepEvaluator.Replay replay)
            implements MapPartitionsFunction<Long, SweepRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<SweepRow> call(Iterator<Long> indices) {
            SweepEvaluator evaluator = new SweepEvaluator(SweepLoader.parse(source), replay);
            List<SweepRow> out = new ArrayList<>();
            while (indices.hasNext()) {
                SweepRow row = evaluator.evaluate(indices.next().intValue()).row();
                if (row != null) {
                    out.add(row);
                }
            }
            return out.iterator();
        }
    }
}
