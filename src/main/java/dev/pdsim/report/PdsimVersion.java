package dev.pdsim.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** pdsim's version, written into the classpath by the build from the pom, so tests and the jar agree. */
public final class PdsimVersion {
    private static final String VERSION = read();

    private PdsimVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = PdsimVersion.class.getResourceAsStream("/dev/pdsim/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/pdsim/version.properties is missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
