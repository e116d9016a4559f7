package dev.pdsim.cli;

import dev.pdsim.experiment.Calibration;
import dev.pdsim.report.OutputDirectory;
import dev.pdsim.report.TextTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true, header = "Compare simulated figures with the published DeepSeek deployment figures.",
        description = {"Run the calibration scenarios (scenarios/calibration/) and compare each simulated figure with",
                "the published one: setup, published, simulated, error %%, source. Writes calibrate.csv."})
final class CalibrateCommand extends CommandBase {
    @Option(names = "--scenarios", paramLabel = "DIR", description = "Folder of the calibration scenarios (default: scenarios/calibration).")
    Path scenarios = Path.of("scenarios", "calibration");

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/calibrate, a new one per run).")
    Path out;

    @Override
    public Integer call() {
        List<Calibration.Result> results = Calibration.run(scenarios, name -> {
            err().printf("calibrate: running %s%n", name);
            err().flush();
        });
        Path dir = OutputDirectory.prepare(out, Path.of("results"), "calibrate");
        TextTable t = new TextTable("setup", "metric", "batch/GPU", "KV len", "routing", "published", "simulated", "error",
                "within", "role", "source").numeric(2, 3, 5, 6, 7);
        for (Calibration.Result r : results) {
            boolean published = r.target().hasPublished();
            t.add(r.target().setup(), r.target().metric(), String.valueOf(r.setup().batchPerGpu()),
                    String.valueOf(r.setup().kvLength()), r.setup().routing(), published ? published(r.target()) : "-",
                    fmt(r.simulated()), published ? String.format(Locale.ROOT, "%+.1f%%", r.errorPercent()) : "-",
                    !published ? "-" : (r.withinTolerance() ? "yes" : "NO")
                            + String.format(Locale.ROOT, " (+/-%.0f%%)", 100 * r.target().tolerance()),
                    r.target().role(), r.target().source());
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("calibrate.csv"), StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("setup", "metric", "phase",
                     "batch_per_gpu", "kv_length", "routing", "mtp", "published", "simulated", "error_percent",
                     "tolerance_percent", "within", "role", "source").setRecordSeparator('\n').build())) {
            for (Calibration.Result r : results) {
                boolean published = r.target().hasPublished();
                Calibration.Setup s = r.setup();
                csv.printRecord(r.target().setup(), r.target().metric(), s.phase(), s.batchPerGpu(), s.kvLength(),
                        s.routing(), s.mtp(), published ? r.target().published() : "",
                        String.format(Locale.ROOT, "%.3f", r.simulated()),
                        published ? String.format(Locale.ROOT, "%.2f", r.errorPercent()) : "",
                        published ? 100 * r.target().tolerance() : "", published ? r.withinTolerance() : "",
                        r.target().role(), r.target().source());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OutputDirectory.complete(dir);
        out().printf("%s%n(role: \"fit\" marks a figure that hardware.yaml constants were fitted to; a \"prediction\" had "
                + "nothing fitted to it. batch/GPU: requests per GPU for decode, tokens per GPU per forward for prefill; "
                + "KV len: cached tokens per decoding request, the prompt for prefill; no row uses MTP)%nwrote %s%n", t,
                dir.resolve("calibrate.csv"));
        out().flush();
        return 0;
    }

    private static String published(Calibration.Target t) {
        if (!t.publishedRange()) {
            return fmt(t.published());
        }
        return String.format(Locale.ROOT, "%.2f-%.2f", t.published() * (1 - t.tolerance()), t.published() * (1 + t.tolerance()));
    }

    private static String fmt(double v) {
        return v < 100 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%,.0f", v);
    }
}
