package dev.pdsim.cli;

import dev.pdsim.report.PdsimVersion;
import picocli.CommandLine;

/** The version the build stamped from the pom, the same that summary.json records. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"pdsim " + PdsimVersion.get() + ", models SGLang 0.4.8.post1 disaggregated serving"};
    }
}
