package dev.pdsim.report;

import dev.pdsim.experiment.SweepFigures;
import dev.pdsim.experiment.SweepRow;
import dev.pdsim.experiment.SweepSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * sweep.parquet: the columns of sweep.csv, typed and unrounded, in index order, for grids too
 * large to read comfortably as text. Written by Spark's executors, so on a cluster the folder
 * must be one they can all write (a shared file system, HDFS, S3).
 */
public final class SweepParquet {
    private SweepParquet() {
    }

    public static void write(Dataset<SweepRow> rows, SweepSpec spec, String path) {
        StructType schema = schema(spec);
        rows.map(new Cells(spec.axes().size()), Encoders.row(schema)).sort("index").write().parquet(path);
    }

    static StructType schema(SweepSpec spec) {
        List<String> names = SweepReport.columns(spec);
        int axes = spec.axes().size();
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            fields.add(DataTypes.createStructField(names.get(i), type(i, axes), i > axes + 4));
        }
        return DataTypes.createStructType(fields);
    }

    /** Column {@code i}'s type: index, labels, seed, outcome, failure, gpus, counts, then figures. */
    private static DataType type(int i, int axes) {
        int k = i - axes;
        if (i == 0 || k == 4) {
            return DataTypes.IntegerType;
        }
        if (i <= axes || k == 2 || k == 3) {
            return DataTypes.StringType;
        }
        return k <= 8 ? DataTypes.LongType : DataTypes.DoubleType;
    }

    /** One row's cells in column order; the figures are null when it was not replayed to its end. */
    private record Cells(int axes) implements MapFunction<SweepRow, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Row call(SweepRow row) {
            List<Object> cells = row.leadingCells();
            SweepFigures f = row.figures();
            if (f == null) {
                for (int i = 0; i < SweepReport.FIGURE_COLUMNS.size(); i++) {
                    cells.add(null);
                }
            } else {
                cells.addAll(List.of(f.finished(), f.aborted(), f.unfinished(), f.corruptedTokens()));
                for (double v : new double[] {f.inputTokensPerSPerNode(), f.outputTokensPerSPerNode(),
                        f.tokensPerSPerGpu(), f.ttftP50(), f.ttftP99(), f.tpotP50(), f.tpotP99(), f.itlP50(), f.itlP99(),
                        f.e2eP50(), f.e2eP99(), f.goodputPerS(), f.goodputPerS() / row.gpus(), f.tpotMean(),
                        f.outputTokensPerSPerGpu(), f.tokensPerSPerUserP50(), f.tokensPerSPerUserMean()}) {
                    cells.add(Double.isNaN(v) ? null : v); // nothing measured: null, as sweep.csv leaves it empty
                }
            }
            return RowFactory.create(cells.toArray());
        }
    }
}
