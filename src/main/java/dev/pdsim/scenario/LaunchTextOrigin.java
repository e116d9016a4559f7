package dev.pdsim.scenario;

import dev.pdsim.diag.SourceLocation;
import java.util.List;

/**
 * Finds where each line of a launch text (a YAML block scalar) stands in the file, so a problem in
 * the fifth line of a pasted launch command points at that line and column of the YAML file. YAML
 * strips the block's indentation; matching the text lines against the raw file lines restores it.
 */
final class LaunchTextOrigin implements LaunchLineParser.TextOrigin {
    private final SourceLocation scalarStart;
    private final int[] fileLine;
    private final int[] columnOffset;

    LaunchTextOrigin(SourceLocation scalarStart, List<String> fileLines, String text) {
        this.scalarStart = scalarStart;
        String[] textLines = text.split("\n", -1);
        fileLine = new int[textLines.length];
        columnOffset = new int[textLines.length];
        int search = Math.max(scalarStart.line() - 1, 0);
        for (int i = 0; i < textLines.length; i++) {
            String t = textLines[i].stripTrailing();
            fileLine[i] = -1;
            if (t.isBlank()) {
                continue;
            }
            for (int f = search; f < fileLines.size(); f++) {
                int at = fileLines.get(f).indexOf(t);
                if (at >= 0) {
                    fileLine[i] = f + 1;
                    columnOffset[i] = at;
                    search = f + 1;
                    break;
                }
            }
        }
    }

    @Override
    public SourceLocation locate(int line, int column) {
        if (line < 0 || line >= fileLine.length || fileLine[line] < 0) {
            return scalarStart;
        }
        return new SourceLocation(scalarStart.file(), fileLine[line], columnOffset[line] + column + 1);
    }
}
