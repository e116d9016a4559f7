package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.experiment.SparkSweepRunner;
import dev.pdsim.experiment.SweepRow;
import dev.pdsim.experiment.SweepRunner;
import dev.pdsim.experiment.SweepSpec;
import dev.pdsim.report.SweepParquet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;

/**
 * {@code pdsim sweep --spark}: a Spark session for one sweep. Only this class names Spark, so
 * target/pdsim.jar, which leaves Spark out, runs every other command without it.
 */
final class SparkSweep {
    /** The --spark value that means "the master spark-submit was given". */
    static final String SUBMITTED = "";
    /** Above this many combinations sweep.parquet is written even without --parquet. */
    static final long PARQUET_ABOVE = 100_000;
    private static final String ACCEPTED = "accepted: local, local[N], local[*], spark://HOST:PORT, yarn, k8s://URL,"
            + " or no value under spark-submit";
    /** Spark's master URLs; checked here so a typo is one line, not Spark's failed start-up. */
    private static final Pattern MASTER = Pattern.compile("local(\\[(\\d+|\\*)(,\\d+)?])?|spark://.+|yarn|k8s://.+");

    private SparkSweep() {
    }

    static void run(String master, SweepSpec spec, String name, Path dir, boolean parquet, boolean check,
                    PrintWriter err, SweepRunner.Listener listener) {
        long t0 = System.nanoTime();
        SparkSession spark = start(master, name);
        try {
            err.printf(Locale.ROOT, "spark: %s, %d cores, up in %.1f s%n", spark.sparkContext().master(),
                    spark.sparkContext().defaultParallelism(), (System.nanoTime() - t0) / 1e9);
            err.flush();
            Dataset<SweepRow> rows = SparkSweepRunner.run(spark, spec, check, listener);
            if (parquet || spec.size() > PARQUET_ABOVE) {
                SweepParquet.write(rows, spec, dir.resolve("sweep.parquet").toAbsolutePath().toString());
            }
            rows.unpersist();
        } finally {
            spark.stop();
        }
    }

    /** A master URL Spark knows, or none under spark-submit (which sets spark.master): before any output. */
    static void checkMaster(String master) {
        if (master.equals(SUBMITTED) ? System.getProperty("spark.master") == null : !MASTER.matcher(master).matches()) {
            throw new InputException(SourceLocation.ofFile("--spark"), (master.equals(SUBMITTED) ? "needs a master"
                    + " outside spark-submit" : "unknown master '" + master + "'") + " (" + ACCEPTED + ")");
        }
    }

    private static SparkSession start(String master, String name) {
        SparkSession.Builder b = SparkSession.builder().appName("pdsim sweep " + name);
        if (!master.equals(SUBMITTED)) {
            b.master(master);
        }
        if (master.startsWith("local")) {
            b.config("spark.ui.enabled", false);
        } else if (!master.equals(SUBMITTED)) {
            shippedJar().ifPresent(jar -> b.config("spark.jars", jar));
        }
        try {
            return b.getOrCreate();
        } catch (Exception e) { // Spark throws its checked SparkException undeclared (a bad master URL)
            throw new InputException(SourceLocation.ofFile("--spark"), "cannot start Spark with master '" + master
                    + "': " + e.getMessage() + " (" + ACCEPTED + ")");
        }
    }

    /** The jar this runs from, for the executors of a cluster started from the command line. */
    private static Optional<String> shippedJar() {
        String location = SparkSweep.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return location.endsWith(".jar") ? Optional.of(location) : Optional.empty();
    }
}
