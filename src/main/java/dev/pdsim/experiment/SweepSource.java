package dev.pdsim.experiment;

import java.io.Serializable;

/**
 * A sweep as the texts of its two files. A scenario refers to no other file, so these texts are
 * all a Spark executor needs to rebuild the sweep, wherever it runs and whatever its disks hold.
 *
 * @param file     the sweep file's name, for problem locations and sweep.json
 * @param baseFile the base scenario's name, as the sweep shows it
 */
public record SweepSource(String file, String text, String baseFile, String baseText) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A base scenario file: its name and text. */
    record Base(String file, String text) {
    }
}
