package dev.pdsim.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, so it follows the pom. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"pdsim " + (v == null ? "(development build)" : v)
                + ", models SGLang 0.4.8.post1 disaggregated serving"};
    }
}
